import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExitCode, InputError } from '../../src/errors.js';
import { normalizeLine, normalizeParagraphs, titleId } from '../../src/model.js';
import { pageText } from '../../src/sources/page-text.js';
import type { ParseOptions } from '../../src/sources/types.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');

interface ApiItem {
  paper: { id: string; title: string; summary: string };
}
const sample = (name: string): Array<{ title: string; abstract: string; raw: ApiItem }> =>
  (JSON.parse(fixture(`hf-api/${name}`)) as ApiItem[]).map((raw) => ({
    title: normalizeLine(raw.paper.title),
    abstract: normalizeParagraphs(raw.paper.summary),
    raw,
  }));

const june = fixture('page-text/2025-06-09.txt');
const juneExpected = sample('hfdp-ml_2025-06-09.json').slice(0, 10);
const aug20 = fixture('page-text/aug-20.txt');
const aug20Expected = sample('hfdp-zh_2024-03-12.json');

const HEADER_LINES = ['Daily Papers', 'byAK and the research community', 'Submit paper', 'Previous', 'Jun 9', 'Next', 'Aug 20'];

const opts = (over: Partial<ParseOptions> = {}): ParseOptions => ({
  day: null,
  origin: 'copy.txt',
  now: new Date('2025-07-01T12:00:00Z'),
  ...over,
});

/** Parse and return the error thrown, failing the test when none is. */
function parseError(text: string, o: ParseOptions = opts()): Error {
  try {
    pageText.parse(text, o);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected parse to throw');
}

const titlesAndAbstracts = (text: string, o: ParseOptions = opts({ day: '2025-06-09' })) =>
  pageText.parse(text, o).items.map((x) => [x.paper.title, x.paper.abstract]);
const juneTA = juneExpected.map((e) => [e.title, e.abstract]);

describe('pageText.sniff', () => {
  it.each([
    ['Daily Papers\nbyAK and the research community', true],
    ['Stealing Part of a Production Language Model', true],
    ['', true],
    ['  [{"paper":{}}]', false],
    ['{"id":"2506.01111"}', false],
    ['<!doctype html>', false],
  ])('%j → %s', (text, expected) => {
    expect(pageText.sniff(text)).toBe(expected);
  });
});

describe('pageText.parse: 2025-06-09.txt', () => {
  const result = pageText.parse(june, opts({ day: '2025-06-09' }));

  it('finds the 10 papers and nothing else', () => {
    expect(result.format).toBe('page-text');
    expect(result.items).toHaveLength(10);
    expect(result.warnings).toEqual([]);
    for (const { paper } of result.items) expect(HEADER_LINES).not.toContain(paper.title);
  });

  it.each(juneExpected.map((e, i) => [i + 1, e] as const))('paper %i: exact title and abstract, title id, rank', (rank, e) => {
    const { paper, listing } = result.items[rank - 1]!;
    expect(paper.title).toBe(e.title);
    expect(paper.abstract).toBe(e.abstract);
    expect(paper.id).toBe(titleId(e.title));
    expect(paper.id).toMatch(/^title-[0-9a-f]{12}$/);
    expect(paper.upvotes).toBeNull();
    expect(paper.authors).toEqual([]);
    expect(listing).toEqual({ source: 'hf', day: '2025-06-09', rank, upvotes: null });
  });
});

describe('pageText.parse: aug-20.txt (header lines separated by blank lines)', () => {
  it('imports the 9 papers exactly', () => {
    const r = pageText.parse(aug20, opts());
    expect(r.items.map((x) => [x.paper.title, x.paper.abstract])).toEqual(aug20Expected.map((e) => [e.title, e.abstract]));
    expect(r.items.map((x) => x.listing?.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.warnings).toEqual([]);
  });

  // `Aug 20` is the most recent Aug 20 on or before "now", in UTC.
  it.each([
    ['2025-01-15T12:00:00Z', '2024-08-20'],
    ['2024-08-20T00:00:00Z', '2024-08-20'],
    ['2024-08-19T23:59:59Z', '2023-08-20'],
    ['2024-08-20T01:00:00+05:00', '2023-08-20'], // still Aug 19 in UTC
    ['2026-12-31T23:59:59Z', '2026-08-20'],
  ])('now %s → %s', (now, day) => {
    const r = pageText.parse(aug20, opts({ now: new Date(now) }));
    expect(new Set(r.items.map((x) => x.listing?.day))).toEqual(new Set([day]));
  });

  it('--date wins over the header, with a warning when they disagree', () => {
    const r = pageText.parse(aug20, opts({ day: '2024-03-12' }));
    expect(r.items[0]!.listing?.day).toBe('2024-03-12');
    expect(r.warnings).toEqual(['the page says "Aug 20" but the listing day is 2024-03-12; using 2024-03-12']);
    expect(pageText.parse(aug20, opts({ day: '2019-08-20' })).warnings).toEqual([]);
  });
});

describe('pageText.parse: header dates', () => {
  const body = june.slice(june.indexOf('Will It Still'));
  it.each([
    ['Jun 9', '2025-06-09'],
    ['June 9', '2025-06-09'],
    ['Mon, Jun 9', '2025-06-09'],
    ['Jun 9, 2024', '2024-06-09'],
    ['2023-06-09', '2023-06-09'],
    ['Feb 29', '2024-02-29'],
  ])('%s → %s', (header, day) => {
    const r = pageText.parse(`Daily Papers\n${header}\n\n${body}`, opts());
    expect(r.items[0]!.listing?.day).toBe(day);
    expect(r.items).toHaveLength(10);
  });

  it.each([
    ['no date line', `Daily Papers\n\n${body}`],
    ['an impossible date', `Daily Papers\nFeb 30\n\n${body}`],
  ])('%s → InputError asking for --date', (_name, text) => {
    const err = parseError(text);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(ExitCode.Usage);
    expect(err.message).toBe('copy.txt: cannot tell the listing day; pass --date YYYY-MM-DD');
  });
});

describe('pageText.parse: copies that differ in layout', () => {
  const [t1, a1, t2, a2] = [juneExpected[0]!.title, juneExpected[0]!.abstract, juneExpected[1]!.title, juneExpected[1]!.abstract];
  const body = june.slice(june.indexOf(t1));
  const cases: Array<[string, string]> = [
    ['CRLF line endings', june.replace(/\n/g, '\r\n')],
    ['old Mac CR line endings', june.replace(/\n/g, '\r')],
    ['BOM, trailing spaces, NBSP and tabs', '\uFEFF' + june.replace(/\n/g, ' \t\n').replace(/ Question /, '\u00A0Question\t ')],
    ['header glued to the first title', june.replace('Next\n\n', 'Next\n')],
    ['no blank lines at all (one block per line)', june.replace(/\n\n/g, '\n')],
    ['blank-line separated header', june.replace(/\n(?!\n)/g, '\n\n').replace(/\n{3,}/g, '\n\n')],
    ['footer navigation after the last abstract', june + '\nPrevious\nNext\n\nSubscribe\n'],
    ['per-card chrome between papers', body.replace(`${t2}\n`, `41\n\nSubmitted by akhaliq\n· 9 authors\n\n${t2}\n`)],
    ['counter glued above a title', body.replace(`${t2}\n`, `21\n${t2}\n`)],
    [
      'abstracts hard-wrapped as in the API',
      juneExpected.map((e) => `${e.title}\n\n${e.raw.paper.summary}\n`).join('\n'),
    ],
  ];
  it.each(cases)('%s', (_name, text) => {
    const r = pageText.parse(text, opts({ day: '2025-06-09' }));
    expect(r.items.map((x) => [x.paper.title, x.paper.abstract])).toEqual(juneTA);
    expect(r.warnings).toEqual([]);
  });

  it('skips an unknown stray paragraph with a warning, keeping the alignment', () => {
    const stray = 'Trending papers this week';
    const text = `${stray}\n\n${t1}\n\n${a1}\n\n${stray}\n\n${t2}\n\n${a2}\n`;
    const r = pageText.parse(text, opts({ day: '2025-06-09' }));
    expect(r.items.map((x) => [x.paper.title, x.paper.abstract])).toEqual([[t1, a1], [t2, a2]]);
    expect(r.warnings).toEqual(['skipped 2 paragraphs that did not pair as a title followed by an abstract (first: "Trending papers this week")']);
  });

  it('does not let a stray line take a long title as its abstract', () => {
    // A 149-char, 21-word title is "abstract-like" under the loose bounds: the stray
    // line before it could pair with it. The title + 215-char abstract pair is surer.
    const longTitle = 'Language Models as Compilers: Simulating Pseudocode Execution Improves Algorithmic Reasoning in Language Models Across Many Different Benchmark Suites';
    const shortAbstract =
      'We show that simulating pseudocode lets language models reason about algorithms far better than before, and we measure it on many benchmarks with consistent gains across every model size that we tested.';
    const text = `Some stray heading\n\n${longTitle}\n\n${shortAbstract}\n`;
    const r = pageText.parse(text, opts({ day: '2025-06-09' }));
    expect(r.items.map((x) => [x.paper.title, x.paper.abstract])).toEqual([[longTitle, shortAbstract]]);
    expect(r.warnings).toHaveLength(1);
  });

  // Titles of 165–175 chars are inside the real abstract bounds too, so a stray line
  // before one could take it for an abstract; each trait of real papers is what
  // tells the two alignments apart in one of these cases (the rest tie).
  const title = 'Scaling Laws for Sparse Mixture-of-Experts Vision Transformers: An Empirical Study of Routing, Capacity and Token Dropping Across Twelve Image Benchmarks and Six Sizes';
  const question = `${title}?`;
  const twoSentences = 'We study how sparse mixture-of-experts vision transformers scale with routing choices. Across twelve benchmarks, capacity matters more than depth, and dropping tokens costs little accuracy.';
  const threeSentences = 'We study how sparse mixture-of-experts vision transformers scale with routing choices. Capacity matters more than depth. Across twelve benchmarks, dropping tokens costs little accuracy.';
  it.each([
    ['abstract ends a sentence, title does not', 'Featured today', title, twoSentences],
    ['abstract has three sentences', 'Featured today', question, threeSentences],
    ['stray ends with a period', 'Papers are sorted by upvotes.', question, twoSentences],
    ['a title is one line', 'Featured\nEditors picks for today', question, twoSentences],
  ])('overlapping sizes: %s', (_name, stray, t, a) => {
    expect([t.length >= 165 && t.length <= 175, a.length >= 165 && a.length <= 200]).toEqual([true, true]);
    const r = pageText.parse(`${stray}\n\n${t}\n\n${a}\n`, opts({ day: '2025-06-09' }));
    expect(r.items.map((x) => [x.paper.title, x.paper.abstract])).toEqual([[t, a]]);
    expect(r.warnings).toEqual([`skipped 1 paragraph that did not pair as a title followed by an abstract (first: "${normalizeLine(stray)}")`]);
  });

  it('keeps the first of a repeated paper', () => {
    const text = `${t1}\n\n${a1}\n\n${t2}\n\n${a2}\n\n${t1}\n\n${a1}\n`;
    const r = pageText.parse(text, opts({ day: '2025-06-09' }));
    expect(r.items.map((x) => [x.paper.title, x.listing?.rank])).toEqual([[t1, 1], [t2, 2]]);
    expect(r.warnings).toEqual(['skipped 1 repeated paper (same title)']);
  });

  it('tolerates a single replacement character in otherwise good text', () => {
    const text = june.replace('hallucinate', 'halluc\uFFFDnate');
    const r = pageText.parse(text, opts({ day: '2025-06-09' }));
    expect(r.items).toHaveLength(10);
    expect(r.items[0]!.paper.abstract).toContain('halluc\uFFFDnate');
  });
});

describe('pageText.parse: bad input', () => {
  const noPapers = 'copy.txt: no papers found in the text (expected a title line followed by an abstract paragraph)';
  const binaryBytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe]);
  const latin1Garbage = Buffer.from(Array.from({ length: 400 }, (_, i) => 0x80 + (i % 120)));
  const cases: Array<[string, string, string]> = [
    ['empty text', '', noPapers],
    ['blank lines only', '\n\n  \r\n\t\n', noPapers],
    ['header only', 'Daily Papers\nbyAK and the research community\nJun 9\n', noPapers],
    ['header only, blank-line separated, CRLF', 'Daily Papers\r\n\r\nbyAK and the research community\r\n\r\nAug 20\r\n', noPapers],
    ['titles without abstracts', juneExpected.map((e) => e.title).join('\n\n'), noPapers],
    ['abstracts without titles', juneExpected.map((e) => e.abstract).join('\n\n'), noPapers],
    ['binary with NUL bytes (PNG header)', binaryBytes.toString('utf8'), 'copy.txt: looks like a binary file, not a listing'],
    ['binary without NUL (invalid UTF-8)', latin1Garbage.toString('utf8'), 'copy.txt: looks like a binary file, not a listing'],
    ['a NUL inside good text', june.replace('Jun 9', 'Jun\u00009'), 'copy.txt: looks like a binary file, not a listing'],
  ];
  it.each(cases)('%s → InputError (exit 2)', (_name, text, message) => {
    const err = parseError(text, opts({ day: '2025-06-09' }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(ExitCode.Usage);
    expect(err.message).toBe(message);
  });
});
