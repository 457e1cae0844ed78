/**
 * The grep scan (store/grep-scan.ts) against a naive reference: every row read whole, the
 * regex run on every searched field. Same papers, same order, same matches, with and without
 * worker threads, with and without the SQL prefilter's literal.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePattern, findMatches, type CompiledPattern, type ColumnField, type GrepField, type GrepOptions } from '../../src/grep.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { emptyPaper } from '../../src/model.js';
import { backlog } from '../../src/store/fts-backlog.js';
import { fillWords } from '../../src/store/fts-words.js';
import { storeListing } from '../../src/store/write.js';
import { anchorOf, grepScan } from '../../src/store/grep-scan.js';
import type { Filters } from '../../src/store/query.js';

/** Texts where a prefilter or a split could go wrong: case, folding, wildcards, NUL, scripts, boundaries. */
const TRICKY = [
  'State-of-the-art results on ImageNet',
  'state of the art, STATE-OF-THE-ART, stateoftheart',
  'Multimodal Understanding and multimodal reasoning in MLLMs',
  'multimodal  understanding (two spaces) and multimodal-reasoning',
  'The Kelvin sign \u212A and the long s \u017F: KELVIN, ſtate, kelvin',
  'only the sign: \u212Aelvin alone, and \u017Fome',
  'Ligatures stored raw: \uFB01ne-tuning, \uFB02ow, ﬃcient, and fine-tuning',
  'Café, cafe\u0301 (decomposed), CAFÉ, naïve, Schrödinger',
  '大型语言模型 (LLM) 的多模态理解 multimodal理解',
  'GPT-4o, gpt4o, GPT‑4o (non-breaking hyphen), 3.5x speedup, 100% accuracy, snake_case_name',
  'a NUL \u0000 then address and Multimodal Reasoning after it',
  'percent % underscore _ backslash \\ quote \' and "double"',
  'glob characters: a*b?c[d]e and a-b-c-d',
  'LLM LLMs LLM-based (LLM) _LLM_ LLM2 xLLM',
  'Address addressing ADDRESS addressed; adDress',
  'emoji 😀 astral 𝒜𝓁𝓅𝒽𝒶 and the word model',
  // Where the index's tokens differ from words split at separators (fts-words.ts).
  'private-use glue: intrinsic\uE000flow, nothing else',
  'mark glue: x\u0305quokka\u0301y, emoji glue: wombat😀, fullwidth ＷＯＭＢＡＴ',
  '',
];

const WORDS = ['model', 'language', 'diffusion', 'agent', 'address', 'reasoning', 'understanding', 'multimodal', 'state', 'art', 'the', 'of', 'LLM', 'Transformer'];

/** A deterministic corpus: the tricky texts spread through generated ones, so every range has some. */
function corpus(n: number): Array<{ id: string; title: string; abstract: string; authors: string; keywords: string; upvotes: number }> {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const words = (k: number) => Array.from({ length: k }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
  return Array.from({ length: n }, (_, i) => ({
    id: `2501.${String(i).padStart(5, '0')}`,
    title: i % 7 === 0 ? TRICKY[i % TRICKY.length]! : words(6),
    abstract: i % 5 === 0 ? `${words(10)} ${TRICKY[(i * 3) % TRICKY.length]} ${words(10)}` : words(40),
    authors: i % 11 === 0 ? 'Ada Lovelace\nAlan Turing\nKurt Gödel' : `Author ${i}\nCo Author`,
    keywords: i % 13 === 0 ? 'multimodal\nreasoning' : '',
    upvotes: i % 10,
  }));
}

let db: Db;

beforeAll(() => {
  db = openDatabase(join(mkdtempSync(join(tmpdir(), 'papers-grep-scan-')), 'papers.db'));
  // Straight into the table: the stored text stays exactly as written (ligatures, NUL, NFD).
  const insert = db.prepare(`INSERT INTO papers (id, title, abstract, authors, keywords, upvotes)
    VALUES (@id, @title, @abstract, @authors, @keywords, @upvotes)`);
  db.transaction(() => corpus(600).forEach((p) => insert.run(p)))();
  // The search index and its words as write.ts would have kept them (for grep's index path).
  db.exec("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')");
  fillWords(db);
});

afterAll(() => db.close());

/** The reference: every paper, newest first, whole; the regex on each field as grep shows it. */
function reference(regex: RegExp, fields: ColumnField[], filters: Filters = {}): Array<{ id: string; matches: string }> {
  const rows = db.prepare('SELECT * FROM papers ORDER BY pk DESC').all() as Array<Record<string, string | number>>;
  const text = (r: Record<string, string | number>, f: ColumnField) => (f === 'authors' || f === 'keywords' ? String(r[f]).split('\n') : String(r[f]));
  return rows
    .filter((r) => filters.minUpvotes == null || Number(r.upvotes) >= filters.minUpvotes)
    .map((r) => ({ id: String(r.id), matches: matchesIn(regex, fields, (f) => text(r, f)) }))
    .filter((r) => r.matches !== '[]');
}

/** Every match in `fields`, as grep's JSON shows them; list fields joined with ", " as grep sees them. */
function matchesIn(regex: RegExp, fields: ColumnField[], value: (f: ColumnField) => string | string[]): string {
  return JSON.stringify(
    fields.flatMap((f) => {
      const v = value(f);
      return findMatches(regex, f, Array.isArray(v) ? v.join(', ') : v);
    }),
  );
}

/**
 * What grepScan finds (its hits' rows read back), with the pattern's literal, or none
 * (`literal: false`); scanned, or through the search index whenever the literal allows (`index`).
 */
async function scanned(pattern: CompiledPattern, ignoreCase: boolean, fields: ColumnField[], workers: number, filters: Filters = {}, literal = true, index = false) {
  const out: Array<{ id: string; matches: string }> = [];
  const lit = literal && pattern.literal ? { text: pattern.literal, ignoreCase, exact: pattern.exact } : null;
  const alternatives = index && pattern.alternatives ? { texts: pattern.alternatives, ignoreCase } : null;
  for await (const batch of grepScan(db, { fields, regex: pattern.regex, literal: lit, alternatives, filters, workers, indexShare: index ? 1 : 0 })) {
    for (const hit of batch) {
      const row = hit.row()!;
      expect(row.id).toBe(hit.id);
      out.push({ id: hit.id, matches: matchesIn(pattern.regex, fields, (f) => row[f]) });
    }
  }
  return out;
}

const CASES: Array<[string, Partial<GrepOptions>, ColumnField[]?]> = [
  ['address', {}],
  ['address', { ignoreCase: true }],
  ['ADDRESS', { word: true, ignoreCase: true }],
  ['kelvin', { ignoreCase: true }],
  ['state', { ignoreCase: true }],
  ['state-of-the-art', { ignoreCase: true, fixed: true }],
  ['multimodal (understanding|reasoning)', { ignoreCase: true }],
  ['multimodal (understanding|reasoning)', {}],
  ['multimodal\\s+understanding', { ignoreCase: true }],
  ['LLM', { word: true }],
  ['LLM', {}],
  ['fine-tuning', { fixed: true }],
  ['\uFB01ne', {}],
  ['café', { ignoreCase: true }],
  ['cafe', { word: true }],
  ['模态理解', {}],
  ['100%', { fixed: true }],
  ['snake_case', { fixed: true }],
  ['a*b?c[d]', { fixed: true }],
  ['*B?C[', { fixed: true, ignoreCase: true }],
  ['b.c.d', {}],
  ['\\\\', {}],
  ['reasoning after', { ignoreCase: true }],
  // Decided by SQL alone (exact), one of them only after a NUL.
  ['multimodal', { ignoreCase: true }],
  ['AFTER IT', { ignoreCase: true }],
  ['then address', {}],
  ['GPT.4o', { ignoreCase: true }],
  ['😀', {}],
  ['^$', {}],
  ['\\b', {}],
  ['x*', {}],
  ['Kurt Gödel', { fixed: true }, ['authors']],
  ['Turing, Kurt', { fixed: true }, ['authors']],
  ['TURING', { ignoreCase: true }, ['authors', 'keywords']],
  ['Gödel', {}, ['authors']],
  ['reasoning', { ignoreCase: true }, ['keywords']],
  ['multimodal, reasoning', { ignoreCase: true }, ['keywords', 'title']],
  ['model', { word: true }, ['title', 'abstract', 'authors', 'keywords']],
  // Found by a rarer anchor first (anchorOf), then whole: `guage`, `ddress`, `-4o`, `*b?c[d]`.
  ['language model', {}],
  ['ANGUAGE', { ignoreCase: true }],
  ['addressed; adDress', { ignoreCase: true, fixed: true }],
  ['gpt-4o', { ignoreCase: true, fixed: true }],
  ['a*b?c[d]e', { fixed: true }],
  ['then address', { ignoreCase: true }],
  // A NUL in the pattern: GLOB and LIKE would end their pattern there and find every paper.
  ['\u0000 then address', { fixed: true }],
  ['NUL \u0000', {}],
  // Only inside tokens glued by a private-use character, a mark, an emoji.
  ['intrinsic', {}],
  ['INTRINSIC', { ignoreCase: true, word: true }],
  ['quokka', {}],
  ['wombat', { word: true }],
  ['wombat', { ignoreCase: true }],
  // Through the index as phrases: words in a row, the first and last possibly parts of words.
  ['state of the art', { ignoreCase: true }],
  ['e-of-the-a', { fixed: true }],
  ['multimodal  understanding', {}],
  ['kelvin sign', { ignoreCase: true }],
  ['LONG S', { ignoreCase: true }],
  ['the long ſ', {}],
  ['gpt-4o, gpt4', { ignoreCase: true, fixed: true }],
  ['Lovelace, Alan', { fixed: true }, ['authors']],
  ['multimodal, reasoning', { fixed: true }, ['keywords']],
  // Alternatives, at the top and in groups.
  ['wombat|quokka', {}],
  ['WOMBAT|address|Kelvin', { ignoreCase: true }],
  ['(state|address)(-of| of|ing)', { ignoreCase: true }],
  ['(?:multimodal|language) (?:model|reasoning)s?', { ignoreCase: true }],
  ['(?<m>multi)modal[ -](reasoning|understanding)', {}],
  ['mult(i|)modal (r|u)', { ignoreCase: true }],
  ['(wombat)+ fullwidth', {}],
];

describe('anchorOf: where SQL starts looking', () => {
  it('starts at the rarest character that leaves three or more', () => {
    expect(anchorOf('intrinsic', false)).toBe('rinsic');
    expect(anchorOf('address', true)).toBe('ddress');
    expect(anchorOf('multimodal understanding', true)).toBe('multimodal understanding');
    expect(anchorOf('gpt-4o', true)).toBe('-4o');
    // Capitals are rare only where case counts; beyond ASCII, never an anchor.
    expect(anchorOf('the Transformer', false)).toBe('Transformer');
    expect(anchorOf('the Transformer', true)).toBe('former');
    expect(anchorOf('aéééé', true)).toBe('aéééé');
    expect(anchorOf('xy', true)).toBe('xy');
  });
});

describe('grepScan: the papers and matches of a naive scan, in its order', () => {
  for (const [pattern, opts, fields = ['title', 'abstract'] as ColumnField[]] of CASES) {
    const o = { ignoreCase: false, word: false, fixed: false, ...opts };
    it(`${JSON.stringify(pattern)} ${JSON.stringify(opts)} in ${fields.join(',')}`, async () => {
      const compiled = compilePattern(pattern, o);
      const expected = reference(compiled.regex, fields);
      // One thread, two workers beside it, and without the literal (the regex alone decides).
      expect(await scanned(compiled, o.ignoreCase, fields, 0)).toEqual(expected);
      expect(await scanned(compiled, o.ignoreCase, fields, 2)).toEqual(expected);
      expect(await scanned(compiled, o.ignoreCase, fields, 0, {}, false)).toEqual(expected);
      // Through the search index wherever the literal allows, on one thread and beside two workers.
      expect(await scanned(compiled, o.ignoreCase, fields, 0, {}, true, true)).toEqual(expected);
      expect(await scanned(compiled, o.ignoreCase, fields, 2, {}, true, true)).toEqual(expected);
      // Through the index by the strings one of which every match holds, with no literal for SQL.
      expect(await scanned(compiled, o.ignoreCase, fields, 0, {}, false, true)).toEqual(expected);
    });
  }

  it('finds what the tricky rows hold (the cases above are not vacuous)', async () => {
    const count = async (pattern: string, opts: Partial<GrepOptions>) => {
      const compiled = compilePattern(pattern, { ignoreCase: false, word: false, fixed: false, ...opts });
      return (await scanned(compiled, opts.ignoreCase === true, ['title', 'abstract'], 2)).length;
    };
    // After a NUL: LIKE alone would stop reading there.
    expect(await count('Multimodal Reasoning after', { ignoreCase: true })).toBeGreaterThan(0);
    expect(await count('AFTER IT', { ignoreCase: true })).toBeGreaterThan(0);
    // Only as the Kelvin sign and the long s, which a case-blind literal must not require as k and s.
    expect(await count('kelvin alone', { ignoreCase: true })).toBeGreaterThan(0);
    expect(await count('and some', { ignoreCase: true })).toBeGreaterThan(0);
    expect(await count('100%', { fixed: true })).toBeGreaterThan(0);
    expect(await count('\uFB01ne', {})).toBeGreaterThan(0);
    expect(await count('intrinsic', {})).toBeGreaterThan(0);
    expect(await count('quokka', {})).toBeGreaterThan(0);
  });

  it('decides by SQL alone only for plain text: not for a regex, a word, a folded form, or k and s case-blind', () => {
    const exact = (pattern: string, opts: Partial<GrepOptions>) => compilePattern(pattern, { ignoreCase: false, word: false, fixed: false, ...opts }).exact;
    expect(exact('address', {})).toBe(true);
    expect(exact('100%', { fixed: true })).toBe(true);
    expect(exact('multimodal', { ignoreCase: true })).toBe(true);
    // k and s also match the Kelvin sign and the long s: LIKE cannot decide.
    expect(exact('address', { ignoreCase: true })).toBe(false);
    expect(exact('address', { word: true })).toBe(false);
    expect(exact('addres+', {})).toBe(false);
    expect(exact('3\\.5', {})).toBe(false);
    expect(exact('\uFB01ne', {})).toBe(false);
    expect(exact('café', { ignoreCase: true })).toBe(false);
  });

  it('applies the filters in SQL, in every range', async () => {
    const compiled = compilePattern('model', { ignoreCase: true, word: false, fixed: false });
    const expected = reference(compiled.regex, ['title', 'abstract'], { minUpvotes: 5 });
    expect(expected.length).toBeGreaterThan(0);
    expect(await scanned(compiled, true, ['title', 'abstract'], 0, { minUpvotes: 5 })).toEqual(expected);
    expect(await scanned(compiled, true, ['title', 'abstract'], 1, { minUpvotes: 5 })).toEqual(expected);
  });

  it('through the index, also finds the papers a bulk import has not indexed yet', async () => {
    const fresh = openDatabase(join(mkdtempSync(join(tmpdir(), 'papers-grep-backlog-')), 'papers.db'));
    const now = new Date('2025-06-10T08:00:00Z');
    const store = (id: string, title: string, bulk: boolean) =>
      storeListing(fresh, { format: 'test', warnings: [], items: [{ paper: { ...emptyPaper(id, title), abstract: 'Burrows.' }, listing: null }] }, { now, bulk });
    store('2506.00001', 'Wombat burrows, indexed', false);
    store('2506.00002', 'Wombat burrows, left for the backlog', true);
    expect(backlog(fresh)).toMatchObject({ papers: 1 });
    const { regex, literal, exact } = compilePattern('wombat', { ignoreCase: true, word: false, fixed: false });
    const ids: string[] = [];
    for await (const batch of grepScan(fresh, { fields: ['title'], regex, literal: { text: literal!, ignoreCase: true, exact }, filters: {}, indexShare: 1 })) ids.push(...batch.map((h) => h.id));
    expect(ids).toEqual(['2506.00002', '2506.00001']);
    fresh.close();
  });

  it('through the index, reads only the papers the index gives for the phrases of the alternatives', async () => {
    const fresh = openDatabase(join(mkdtempSync(join(tmpdir(), 'papers-grep-phrases-')), 'papers.db'));
    const now = new Date('2025-06-10T08:00:00Z');
    const titles = ['Multimodal reasoning at scale', 'Multimodal understanding, revisited', 'Multimodal reasoning, hidden from the index'];
    titles.forEach((title, i) =>
      storeListing(fresh, { format: 'test', warnings: [], items: [{ paper: emptyPaper(`2506.0000${i + 1}`, title), listing: null }] }, { now }),
    );
    // A paper the index no longer has: found by a scan, not through the index.
    fresh.prepare('DELETE FROM papers_fts WHERE rowid = (SELECT pk FROM papers WHERE id = ?)').run('2506.00003');
    const ids = async (pattern: string, indexShare: number) => {
      const { regex, literal, alternatives } = compilePattern(pattern, { ignoreCase: true, word: false, fixed: false });
      const out: string[] = [];
      const request = { fields: ['title'] as ColumnField[], regex, literal: literal ? { text: literal, ignoreCase: true } : null, alternatives: alternatives && { texts: alternatives, ignoreCase: true }, filters: {}, indexShare };
      for await (const batch of grepScan(fresh, request)) out.push(...batch.map((h) => h.id));
      return out;
    };
    expect(await ids('multimodal (understanding|reasoning)', 0)).toEqual(['2506.00003', '2506.00002', '2506.00001']);
    expect(await ids('multimodal (understanding|reasoning)', 1)).toEqual(['2506.00002', '2506.00001']);
    expect(await ids('reasoning|understanding', 1)).toEqual(['2506.00002', '2506.00001']);
    expect(await ids('multimodal reasoning', 1)).toEqual(['2506.00001']);
    fresh.close();
  });

  it('stops its workers when the reader stops early', async () => {
    const { regex, literal } = compilePattern('model', { ignoreCase: false, word: false, fixed: false });
    const ids: string[] = [];
    for await (const batch of grepScan(db, { fields: ['title', 'abstract'], regex, literal: literal ? { text: literal, ignoreCase: false } : null, filters: {}, workers: 2 })) {
      ids.push(...batch.map((h) => h.id));
      if (ids.length >= 10) break;
    }
    expect(ids.slice(0, 10)).toEqual(reference(regex, ['title', 'abstract']).slice(0, 10).map((r) => r.id));
  });
});
