/**
 * Fuzzing the search-query builder: whatever the user types is data. Every expression it
 * builds is accepted by a real FTS5 table with our tokenizer, is made only of quoted
 * strings (with an optional trailing `*`), keeps the user's words, and finds a paper
 * whose title is the query text itself.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { MAX_PREFIX_TERMS, MAX_QUERY_CHARS, MAX_TERMS, parseQuery, toMatchExpression } from '../../src/store/fts-query.js';
import { spaceCjk } from '../../src/store/cjk.js';
import { openDatabase } from '../../src/store/db.js';
import { storeListing } from '../../src/store/write.js';
import { hfJson } from '../../src/sources/hf-json.js';
import { HF_API, NOW, TIMEOUT, check, hostileString, opts } from './support.js';

// The real schema, with real papers in it, so MATCH runs against a populated index.
const db = openDatabase(':memory:');
for (const f of HF_API) storeListing(db, hfJson.parse(f.text, opts('2025-06-09', f.name)), { now: NOW });
const search = db.prepare(
  `SELECT rowid, highlight(papers_fts, 0, char(1), char(2)) AS t, snippet(papers_fts, 1, char(1), char(2), '…', 40) AS s
   FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank LIMIT 20`,
);
// One-row table with the same tokenizer, for "the text finds itself".
const self = new Database(':memory:');
self.exec(`CREATE VIRTUAL TABLE t USING fts5(title, tokenize='porter unicode61 remove_diacritics 2')`);
self.exec(`CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')`);
const selfTokens = self.prepare('SELECT count(*) AS n FROM v');
const selfInsert = self.prepare('INSERT INTO t(rowid, title) VALUES (1, ?)');
const selfFind = self.prepare('SELECT count(*) AS n FROM t WHERE t MATCH ?');
afterAll(() => {
  db.close();
  self.close();
});

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
/**
 * Only FTS5 strings ("…", quotes doubled), each maybe followed by `*`, separated by one space;
 * or, when a term has a compatibility form, `("typed" OR "folded")` groups joined by ` AND `.
 */
const STRING = String.raw`"(?:[^"]|"")*"\*?`;
const TERM = String.raw`(?:${STRING}|\(${STRING} OR ${STRING}\))`;
const ONLY_STRINGS = new RegExp(String.raw`^(?:${STRING}(?: ${STRING})*|${TERM}(?: AND ${TERM})*)$`);

/** Query text users (and attackers) type. */
const SYNTAX = [
  '"', '*', 'NEAR(', 'NEAR(a b, 2)', ')', '(', "'; DROP TABLE papers; --", '\\', 'AND', 'OR', 'NOT', '^', ':', '-', '+', ',', ';',
  'title:x', '{title}: x', '{title abstract}:', '- title:', 'papers_fts', 'rank', 'a*', '*a', 'a**', '"a b"*', '""', "''", '\u0000',
  ' ', '\t', '\n', 'transformer', 'transformers', 'café', 'CAFE\u0301', 'ﬁne', '深度学习', 'x\u0301', '12', 'gpt-4o', 'sparse-attention',
  '\u200b', '\u00ad', 'İstanbul', 'ß', 'ǅ', '١٢٣', '\u{1d400}', '😀', 'a_b', "l'ordre", 'x.y', 'x/y', '%', '?', '$1',
];
const query = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...SYNTAX), { maxLength: 12 }).map((parts) => parts.join('')) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...SYNTAX), { maxLength: 12 }).map((parts) => parts.join(' ')) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: hostileString(6) },
);

const build = (s: string) => toMatchExpression(parseQuery(s));
/** The query's expression, or null when it is over a size cap (a UsageError naming the cap). */
const buildCapped = (s: string) => {
  try {
    return build(s);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/at most/);
    return null;
  }
};
const ASCII_LOWER = (w: string) => w.replace(/[A-Z]/g, (c) => c.toLowerCase());

describe('search query builder, fuzzed', () => {
  it('null or an expression of quoted strings that FTS5 accepts, with the same words', () => {
    check(
      fc.property(query, (s) => {
        const expr = buildCapped(s);
        // Each CJK character is a word of its own, as in the index.
        const words = spaceCjk(s).match(WORD) ?? [];
        if (expr === null && words.length > 0) return;
        if (expr === null) return void expect(words).toEqual([]);
        expect(expr).toMatch(ONLY_STRINGS);
        // Every word is kept; a repeated term only once.
        expect(new Set(parseQuery(s).flatMap((t) => t.words.map(ASCII_LOWER)))).toEqual(new Set(words.map(ASCII_LOWER)));
        expect(() => search.all(expr)).not.toThrow();
      }),
    );
  }, TIMEOUT);

  it('a title that is the query text is found by the query', () => {
    check(
      fc.property(query, (s) => {
        const expr = build(s);
        if (expr === null) return;
        self.exec('DELETE FROM t');
        selfInsert.run(spaceCjk(s)); // as the index holds a title (write.ts)
        // Known limit, not syntax: unicode61 splits on the punctuation and symbols of
        // Unicode 6.1 only; anything newer or unassigned or private-use (🤗, ₺, U+0378,
        // U+E000) is a token character to it but a separator to the builder, so
        // "Transformers🤗" is one token that the query "Transformers🤗" (→ "Transformers")
        // cannot find. Here every non-ASCII character is a letter, digit or mark. A title
        // of separators only has no token at all.
        if (/[^\p{L}\p{N}\p{M}\x00-\x7f]/u.test(s) || (selfTokens.get() as { n: number }).n === 0) return;
        expect((selfFind.get(expr) as { n: number }).n).toBe(1);
      }),
    );
  }, TIMEOUT);

  it('long queries (thousands of terms) are refused with a usage error naming the cap, or run', () => {
    check(
      fc.property(fc.array(fc.constantFrom(...SYNTAX), { minLength: 500, maxLength: 3000 }), (parts) => {
        const expr = buildCapped(parts.join(' '));
        if (expr !== null) expect(() => search.all(expr)).not.toThrow();
      }),
      { numRuns: 20 },
    );
  }, TIMEOUT);

  it('repeats are dropped and the caps hold: within them the expression has each distinct term once', () => {
    const term = fc.oneof(fc.constantFrom('a*', 'A*', 'b*', 'model', 'MODEL', '"a b"', '"a b"*', 'x-y', 'é*', '😀'), fc.stringMatching(/^[a-z]{1,3}\*?$/));
    check(
      fc.property(fc.array(term, { maxLength: 400 }), (parts) => {
        const text = parts.join(' ');
        let terms;
        try {
          terms = parseQuery(text);
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
          const distinct = new Set(parts.map((p) => ASCII_LOWER(p).replace(/^"|"$|"(?=\*)/g, '').replace(/-/g, ' ')).filter((p) => /[\p{L}\p{N}]/u.test(p)));
          const prefixes = [...distinct].filter((p) => p.endsWith('*')).length;
          expect(text.length > MAX_QUERY_CHARS || distinct.size > MAX_TERMS || prefixes > MAX_PREFIX_TERMS, text).toBe(true);
          return;
        }
        const keys = terms.map((t) => (t.prefix ? '*' : '') + t.words.map(ASCII_LOWER).join(' '));
        expect(new Set(keys).size).toBe(keys.length);
        expect(terms.length).toBeLessThanOrEqual(MAX_TERMS);
        expect(terms.filter((t) => t.prefix).length).toBeLessThanOrEqual(MAX_PREFIX_TERMS);
        const expr = toMatchExpression(terms);
        if (expr !== null) expect(() => search.all(expr)).not.toThrow();
      }),
    );
  }, TIMEOUT);
});

describe('search query regressions', () => {
  it.each([
    ['"'], ['*'], ['NEAR('], [')'], ["'; DROP TABLE papers; --"], ['\\'], ['AND'], ['OR'], ['NOT'], ['^'], [':'], ['-'],
    ['title:x'], ['{title}: x'], ['{title abstract}: x'], ['NEAR(a b, 2)'], ['a OR b NOT c'], ['-title:x'], ['^x'],
  ])('r7_query_is_data: %j is data, never syntax', (s) => {
    const expr = build(s);
    if (expr !== null) {
      expect(expr).toMatch(ONLY_STRINGS);
      expect(() => search.all(expr)).not.toThrow();
    }
    // The table is still there and whole.
    expect((db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n).toBeGreaterThan(0);
  });
});
