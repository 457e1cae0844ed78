/**
 * Fuzzing grep's matcher: random small regular expressions from a grammar of the syntax
 * users write (escapes with arguments, classes, groups, lookaround, quantifiers, anchors,
 * patterns that only match empty) over random text with astral characters, the Kelvin
 * sign and the long s. grep's decision per field equals RegExp#test, the SQL prefilter's
 * literal is in every field the regex matches (as SQLite's instr/lower() would see it),
 * and the match loop runs a bounded number of times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PapersError } from '../../src/errors.js';
import { compilePattern, findMatches, matchesAny, requiredAlternatives } from '../../src/grep.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.js';
import { fillWords } from '../../src/store/fts-words.js';
import { grepScan } from '../../src/store/grep-scan.js';
import { HEAVY_RUNS, TIMEOUT, check, checkAsync } from './support.js';

const CHARS = ['a', 'b', 'e', 'k', 's', 'K', 'S', 'x', ' ', '-', '.', '(', ')', 'é', '深', '😀', '🤗', '\u212A', '\u017F', '\n', '1', '0'];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 40 }).map((cs) => cs.join(''));

const ATOMS = [
  'a', 'b', 'e', 'k', 's', 'x', 'ab', 'ske', ' ', '.', '😀', '深', 'é', '\\b', '\\B', '\\d', '\\w', '\\s', '\\.', '\\(', '\\-', '\\x61', '\\u0065',
  '\\u{1F600}', '\\p{L}', '\\P{L}', '[ab]', '[^a]', '[)]', '[(]', '[😀x]', '^', '$', '(?:)', '\\1', '\\k<n>', '10',
];
const QUANTIFIERS = ['', '', '', '?', '*', '+', '*?', '+?', '{2}', '{0,1}', '{10}', '{1,}', '{'];
const regexSource: fc.Arbitrary<string> = fc.letrec<{ re: string; atom: string }>((tie) => ({
  re: fc.array(fc.tuple(tie('atom') as fc.Arbitrary<string>, fc.constantFrom(...QUANTIFIERS)).map(([a, q]) => a + q), { minLength: 1, maxLength: 5 }).map((xs) => xs.join('')),
  atom: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ATOMS) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('(', '(?:', '(?=', '(?!', '(?<=', '(?<!', '(?<n>'), tie('re') as fc.Arbitrary<string>, fc.option(tie('re') as fc.Arbitrary<string>, { nil: undefined, depthSize: 'small' }))
        .map(([open, a, b]) => `${open}${a}${b === undefined ? '' : '|' + b})`),
    },
  ),
})).re;

/** A RegExp that refuses to run `exec` more than `limit` times: the loop over matches must end. */
function bounded(re: RegExp, limit: number): RegExp {
  let calls = 0;
  const copy = new RegExp(re.source, re.flags);
  const exec = copy.exec.bind(copy);
  copy.exec = (s: string) => {
    if (++calls > limit) throw new Error(`exec called more than ${limit} times`);
    return exec(s);
  };
  return copy;
}

// What SQLite's lower() does: ASCII letters only.
const sqlLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

describe('grep matcher, fuzzed', () => {
  it('decides like RegExp#test, keeps its prefilter sound, and ends', () => {
    check(
      fc.property(regexSource, fc.boolean(), fc.boolean(), fc.boolean(), fc.array(text, { minLength: 1, maxLength: 6 }), (source, ignoreCase, word, fixed, fields) => {
        let compiled: ReturnType<typeof compilePattern>;
        try {
          compiled = compilePattern(source, { ignoreCase, word, fixed });
        } catch (err) {
          if (err instanceof PapersError) return;
          throw err;
        }
        const { regex, literal, alternatives } = compiled;
        const reference = new RegExp(regex.source, regex.flags.replace('g', ''));
        for (const field of fields) {
          const matches = findMatches(bounded(regex, 2 * field.length + 4), 'title', field);
          const expected = reference.test(field);
          expect(matches.length > 0, `/${regex.source}/${regex.flags} on ${JSON.stringify(field)}`).toBe(expected);
          expect(matchesAny(regex, field)).toBe(expected);
          for (const m of matches) expect(field.startsWith(m.text, m.index)).toBe(true);
          if (expected && literal !== null) {
            const haystack = ignoreCase ? sqlLower(field) : field;
            expect(haystack, `literal ${JSON.stringify(literal)} of /${regex.source}/${regex.flags}`).toContain(ignoreCase ? literal.toLowerCase() : literal);
          }
          if (expected && alternatives !== null) {
            const fold = (s: string) => (ignoreCase ? sqlLower(s).replace(/\u212A/g, 'k').replace(/\u017F/g, 's') : s);
            expect(alternatives.some((a) => fold(field).includes(fold(a))), `${JSON.stringify(alternatives)} of /${regex.source}/${regex.flags} in ${JSON.stringify(field)}`).toBe(true);
          }
        }
      }),
    );
  }, TIMEOUT);

  it('every match holds one of the alternatives the index is asked for', () => {
    // Patterns fast-check can generate matches of: no lookaround, no backreferences.
    const PARTS = ['a', 'b', 'ab', 'ske', ' ', '-', 'x', '1', '\\.', '[ab]', '\\d', '.'];
    const QUANT = ['', '', '', '?', '*', '+', '{2}', '{0,2}', '{1,3}'];
    const seq: fc.Arbitrary<string> = fc.letrec<{ re: string; atom: string }>((tie) => ({
      re: fc.array(fc.tuple(tie('atom') as fc.Arbitrary<string>, fc.constantFrom(...QUANT)).map(([a, q]) => a + q), { minLength: 1, maxLength: 6 }).map((xs) => xs.join('')),
      atom: fc.oneof(
        { maxDepth: 3 },
        { weight: 5, arbitrary: fc.constantFrom(...PARTS) },
        { weight: 1, arbitrary: fc.array(tie('re') as fc.Arbitrary<string>, { minLength: 1, maxLength: 3 }).map((alts) => `(?:${alts.join('|')})`) },
      ),
    })).re;
    // A whole match of the pattern, from fast-check's generator of matching strings (anchored,
    // so it adds no text around it). Running the regex instead would be unbounded: nested
    // quantifiers such as (?:.{0,2}|a)*a backtrack for seconds on 35 characters.
    const withMatch = fc
      .tuple(seq, fc.option(seq, { nil: undefined }))
      .map(([a, b]) => (b === undefined ? a : `${a}|${b}`))
      .chain((source) => fc.tuple(fc.constant(source), fc.stringMatching(new RegExp(`^(?:${source})$`), { size: 'xsmall' })));
    check(
      fc.property(withMatch, ([source, match]) => {
        const alternatives = requiredAlternatives(source);
        if (alternatives === null || alternatives.some((a) => match.includes(a))) return;
        // Only a string the pattern really matches is a counterexample (this test runs it rarely).
        if (!new RegExp(`^(?:${source})$`).test(match)) return;
        expect.fail(`${JSON.stringify(alternatives)} of /${source}/ not in its match ${JSON.stringify(match)}`);
      }),
    );
  }, TIMEOUT);

  it('patterns that only match empty end on long text of astral characters', () => {
    const long = '😀🤗 e x '.repeat(5_000);
    for (const p of ['e*', '\\b', '\\B', '(?=p)', '^', '$', 'x*', '(?:)', '😀*', '(?<=😀)', 'y?']) {
      for (const ignoreCase of [false, true]) {
        const { regex } = compilePattern(p, { ignoreCase, word: false, fixed: false });
        const matches = findMatches(bounded(regex, 2 * long.length + 4), 'abstract', long);
        expect(matches.length > 0, p).toBe(new RegExp(regex.source, regex.flags.replace('g', '')).test(long));
      }
    }
  }, TIMEOUT);
});

/**
 * Characters around which the index's tokens and grep's words may disagree: separators of both,
 * of the index only (U+0305, emoji), and of neither (marks, private use, unassigned, Kelvin).
 */
const GLUE = ['a', 'b', 'c', 'd', 'e', 'k', 's', 'A', 'B', 'K', '1', ' ', '-', '_', '.', '\n', '\u0000', '\u00A0', '\u2011', '\u2019', '\u3000',
  '\u0301', '\u0305', '\uE000', '\u0378', '\u00AA', '\u00B2', 'é', '\u212A', '\u017F', '😀', '模', 'Ａ'];
const glued = fc.array(fc.constantFrom(...GLUE), { maxLength: 30 }).map((cs) => cs.join(''));

describe('grep through the search index, fuzzed', () => {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'papers-fuzz-grep-')), 'papers.db'));
  const insert = db.prepare("INSERT INTO papers (id, title, abstract, authors) VALUES (?, ?, ?, ?)");
  const ids = async (pattern: ReturnType<typeof compilePattern>, ignoreCase: boolean, indexShare: number) => {
    const out: string[] = [];
    const literal = pattern.literal ? { text: pattern.literal, ignoreCase, exact: pattern.exact } : null;
    const alternatives = pattern.alternatives && { texts: pattern.alternatives, ignoreCase };
    for await (const batch of grepScan(db, { fields: ['title', 'abstract', 'authors'], regex: pattern.regex, literal, alternatives, filters: {}, workers: 0, indexShare })) out.push(...batch.map((h) => h.id));
    return out;
  };

  it('finds the papers a scan finds, whatever glues or splits the words around the literal', async () => {
    await checkAsync(
      fc.asyncProperty(fc.array(fc.tuple(glued, glued, glued), { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), fc.boolean(), fc.boolean(), fc.boolean(), async (papers, which, at, ignoreCase, word, fixed) => {
        db.exec('DELETE FROM papers; DELETE FROM fts_words');
        db.transaction(() => papers.forEach(([t, a, au], i) => insert.run(`p${i}`, t, a, au)))();
        db.exec("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')");
        fillWords(db);
        // The pattern: a piece of one of the texts (so that it matches something), or a fixed word.
        const source = papers.flat()[which % (papers.length * 3)]!;
        const start = at % Math.max(1, source.length);
        const piece = source.slice(start, start + 3 + (at % 7)) || 'abc';
        // Sometimes one of two pieces, or a piece then either of two: alternatives for the index.
        const other = papers.flat()[(which + 1) % (papers.length * 3)]!.slice(at % 5, (at % 5) + 4) || 'xyz';
        const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        const shape = fixed ? 0 : at % 3;
        const typed = shape === 0 ? escape(piece) : shape === 1 ? `${escape(piece)}|${escape(other)}` : `${escape(piece.slice(0, 2))}(?:${escape(piece.slice(2))}|${escape(other)})`;
        let pattern: ReturnType<typeof compilePattern>;
        try {
          pattern = compilePattern(fixed ? piece : typed, { ignoreCase, word, fixed });
        } catch (err) {
          if (err instanceof PapersError) return;
          throw err;
        }
        expect(await ids(pattern, ignoreCase, 1), `${JSON.stringify(fixed ? piece : typed)} in ${JSON.stringify(papers)}`).toEqual(await ids(pattern, ignoreCase, 0));
      }),
      { numRuns: HEAVY_RUNS },
    );
  }, TIMEOUT);
});
