/** Fuzzing our JSONL import (`papers list --jsonl` output): arbitrary, type-confused and mutated exports. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { papersJsonl } from '../../src/sources/jsonl.js';
import {
  DEEP_ARRAY,
  DEEP_OBJECT,
  JSONL,
  TIMEOUT,
  anyJson,
  applyJsonOps,
  applyTextOps,
  check,
  dayOption,
  hostileString,
  jsonOp,
  opts,
  outcome,
  snippet,
  textOps,
  toJsonText,
} from './support.js';

const fixture = fc.constantFrom(...JSONL);
const parse = (text: string, day: string | null) => outcome(() => papersJsonl.parse(text, opts(day)));

const FIELDS = [
  '', 'id', 'title', 'authors', 'authors.0', 'abstract', 'publishedAt', 'listedOn', 'source', 'rank', 'upvotes', 'comments',
  'githubRepo', 'githubStars', 'projectPage', 'aiSummary', 'keywords', 'keywords.0', 'organization', 'categories',
  'primaryCategory', 'doi', 'journalRef', 'arxivComments', 'version', 'updatedAt', 'urls',
  'listings', 'listings.0', 'listings.0.day', 'listings.0.source', 'listings.0.rank', 'listings.0.upvotes',
];

/** A `listings` entry, every field possibly of the wrong type or missing. */
const listingLike = fc.record(
  {
    source: fc.oneof(anyJson, fc.constantFrom('hf', 'arxiv:cs.LG', 'hf\u001b]0;x\u0007', 'a b', '', 'x'.repeat(65))),
    day: fc.oneof(anyJson, fc.constantFrom('2025-06-09', '2025-02-30', '2025-06-09T00:00:00Z', '0000-00-00')),
    rank: fc.oneof(anyJson, fc.integer({ min: -3, max: 3 }), fc.constantFrom(1e300, 2 ** 53 + 2, 0.5)),
    upvotes: fc.oneof(anyJson, fc.integer(), fc.constant(0.5)),
  },
  { requiredKeys: [] },
);

/** A record with the required keys, every field possibly of the wrong type. */
const recordLike = fc.record(
  {
    id: fc.oneof(anyJson, fc.constantFrom('2501.00001', '2501.00001v7', 'hep-th/9901001', 'title-0123456789ab', 'title-', 'title-x\u001b[2J', ' ', '\u00a0', '')),
    title: fc.oneof(anyJson, hostileString(6)),
    listedOn: fc.oneof(anyJson, fc.constantFrom('2025-06-09', '2025-02-30', '2025-13-01', '0000-00-00', null)),
    abstract: fc.oneof(anyJson, hostileString(6)),
    authors: fc.oneof(anyJson, fc.array(fc.oneof(anyJson, hostileString(3)), { maxLength: 4 })),
    source: fc.oneof(anyJson, fc.constantFrom('hf', 'arxiv:cs.LG', 'hf\u001b]0;x\u0007', 'a b', '')),
    rank: fc.oneof(anyJson, fc.integer({ min: -3, max: 3 }), fc.constantFrom(1e300, 2 ** 53 + 2, 0.5)),
    upvotes: anyJson,
    publishedAt: anyJson,
    updatedAt: anyJson,
    version: anyJson,
    keywords: anyJson,
    categories: anyJson,
    listings: fc.oneof(anyJson, fc.array(fc.oneof(anyJson, listingLike), { maxLength: 3 })),
  },
  { requiredKeys: ['id', 'title', 'listedOn'] },
);

type LineOp = { k: 'json'; line: number; ops: Parameters<typeof applyJsonOps>[1] } | { k: 'delete'; line: number } | { k: 'dup'; line: number } | { k: 'junk'; line: number; s: string };
export const lineOp: fc.Arbitrary<LineOp> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('json' as const), line: fc.nat(), ops: fc.array(jsonOp(FIELDS), { minLength: 1, maxLength: 3 }) }) },
  fc.record({ k: fc.constant('delete' as const), line: fc.nat() }),
  fc.record({ k: fc.constant('dup' as const), line: fc.nat() }),
  fc.record({ k: fc.constant('junk' as const), line: fc.nat(), s: fc.oneof(snippet, fc.constantFrom('', '   ', '\r', '{}', '[]', 'null', '{"id":"2501.00001"}')) }),
);

export function applyLineOps(text: string, ops: LineOp[]): string {
  const lines = text.split('\n');
  for (const op of ops) {
    const i = op.line % lines.length;
    if (op.k === 'json') {
      const raw = lines[i]!;
      // Each line is one object: mutate it as the only item of an array (a junk line stays junk).
      try {
        JSON.parse(raw);
      } catch {
        continue;
      }
      lines[i] = applyJsonOps(`[${raw}]`, op.ops.map((o) => (o.k === 'field' ? { ...o, item: 0 } : o))).slice(1, -1);
    } else if (op.k === 'delete') lines.splice(i, 1);
    else if (op.k === 'dup') lines.splice(i, 0, lines[i]!);
    else lines.splice(i, 0, op.s);
    if (lines.length === 0) lines.push('');
  }
  return lines.join('\n');
}

describe('jsonl parser, fuzzed', () => {
  it('arbitrary text', () => {
    check(fc.property(fc.string({ unit: 'binary' }), dayOption, (text, day) => void parse(text, day)));
  });

  it('lines of arbitrary JSON values', () => {
    check(fc.property(fc.array(fc.jsonValue(), { maxLength: 5 }), dayOption, (vs, day) => void parse(vs.map((v) => JSON.stringify(v)).join('\n'), day)));
  });

  it('records with fields of every wrong type', () => {
    check(fc.property(fc.array(recordLike, { minLength: 1, maxLength: 4 }), dayOption, (recs, day) => void parse(recs.map(toJsonText).join('\n'), day)));
  });

  it('mutated real exports (truncation, byte flips, deleted/duplicated ranges, NUL, BOM, CRLF)', () => {
    check(fc.property(fixture, textOps, dayOption, (f, ops, day) => void parse(applyTextOps(f.text, ops), day)));
  }, TIMEOUT);

  it('real exports with lines and values replaced, deleted, duplicated', () => {
    check(fc.property(fixture, fc.array(lineOp, { minLength: 1, maxLength: 4 }), dayOption, (f, ops, day) => void parse(applyLineOps(f.text, ops), day)));
  }, TIMEOUT);

  it('the unmutated exports parse back to the same papers', () => {
    for (const f of JSONL) {
      const r = parse(f.text, null);
      expect(r).not.toBeInstanceOf(Error);
      // One item per listing; the fixtures' papers have one each.
      if (!(r instanceof Error)) expect(r.items.length).toBe(f.text.trim().split('\n').length);
    }
  });
});

describe('jsonl regressions', () => {
  const rec = (fields: Record<string, unknown>) => JSON.stringify({ id: '2501.00001', title: 'A title', listedOn: '2025-06-09', ...fields });
  const one = (fields: Record<string, unknown>) => papersJsonl.parse(rec(fields), opts(null)).items[0]!;

  it.each([
    ['an escape sequence', 'title-\u001b]0;pwned\u0007'],
    ['a newline', 'title-abc\ndef'],
    ['nothing after the prefix', 'title-'],
    ['1 MB', `title-${'a'.repeat(1 << 20)}`],
  ])('r7_title_id: a title id with %s is refused (ids are printed unsanitized)', (_, id) => {
    expect(() => papersJsonl.parse(rec({ id }), opts(null))).toThrow(InputError);
  });

  it.each([[' '], ['\u00a0'], ['']])('r7_blank_id: a blank id %j is an InputError, not a TypeError', (id) => {
    expect(() => papersJsonl.parse(rec({ id }), opts(null))).toThrow(InputError);
  });

  it('r7_title_id: a real title id is kept', () => {
    expect(one({ id: 'title-0123456789ab' }).paper.id).toBe('title-0123456789ab');
  });

  it.each([['2025-02-30'], ['2025-13-01'], ['0000-00-00']])('r7_listed_on: "listedOn" %s (no such day) is refused', (listedOn) => {
    expect(() => papersJsonl.parse(rec({ listedOn }), opts(null))).toThrow(InputError);
  });

  it.each([[0], [-5], [1.5e300], [2 ** 53 + 2]])('r7_rank: rank %s falls back to the position', (rank) => {
    expect(one({ rank }).listing!.rank).toBe(1);
  });

  it.each([
    ['an escape sequence', 'hf\u001b]0;pwned\u0007'],
    ['a space', 'a b'],
    ['1000 characters', 'x'.repeat(1000)],
  ])('r7_source: a source with %s is refused (sources are printed unsanitized)', (_, source) => {
    expect(() => papersJsonl.parse(rec({ source }), opts(null))).toThrow(InputError);
  });

  it('r7_source: real sources are kept', () => {
    expect(one({ source: 'arxiv:cs.LG' }).listing!.source).toBe('arxiv:cs.LG');
  });

  it('r7_published_at: timestamps that are not timestamps are dropped', () => {
    const p = one({ publishedAt: '2025-06-09\u001b[2J', updatedAt: 'soon' }).paper;
    expect(p.publishedAt).toBeNull();
    expect(p.updatedAt).toBeNull();
    expect(one({ publishedAt: '2025-06-05T17:59:59.000Z' }).paper.publishedAt).toBe('2025-06-05T17:59:59.000Z');
  });

  it.each([
    ['10k-deep array line', DEEP_ARRAY],
    ['10k-deep object line', DEEP_OBJECT],
    ['10k-deep id', `{"id":${DEEP_ARRAY},"title":"t","listedOn":null}`],
  ])('r7_deep_nesting: %s is an InputError', (_, line) => {
    expect(() => papersJsonl.parse(`${rec({})}\n${line}\n`, opts(null))).toThrow(InputError);
  });
});
