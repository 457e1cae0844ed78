/** Our JSONL import: `listings` restores every listing of an export; records without it keep their one row's listing. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { papersJsonl } from '../../src/sources/jsonl.js';

const now = new Date('2025-06-10T08:00:00Z');
const parse = (fields: Record<string, unknown>, day: string | null = null) =>
  papersJsonl.parse(JSON.stringify({ id: '2506.05176', title: 'A title', listedOn: '2025-06-09', source: 'hf', rank: 4, upvotes: 7, ...fields }), { day, origin: 'f.jsonl', now });
const HF = { source: 'hf', day: '2025-06-09', rank: 2, upvotes: 12 };
const ARXIV = { source: 'arxiv:cs.LG', day: '2025-06-10', rank: 40, upvotes: null };

describe('jsonl listings', () => {
  it('one item per listing, each with its own rank and upvotes', () => {
    const items = parse({ listings: [ARXIV, HF] }).items;
    expect(items.map((i) => i.listing)).toEqual([ARXIV, HF]);
    expect(new Set(items.map((i) => i.paper.id))).toEqual(new Set(['2506.05176']));
  });

  it('an empty array is a paper no listing carried, whatever the row or --date say', () => {
    expect(parse({ listedOn: null, source: null, rank: null, listings: [] }, '2025-06-01').items.map((i) => i.listing)).toEqual([null]);
  });

  it('upvotes may be absent (null)', () => {
    const { upvotes: _, ...noUpvotes } = HF;
    expect(parse({ listings: [noUpvotes] }).items[0]!.listing).toEqual({ ...HF, upvotes: null });
  });

  it('without `listings` (an older export): the row’s own listing, or --date’s', () => {
    expect(parse({}).items.map((i) => i.listing)).toEqual([{ source: 'hf', day: '2025-06-09', rank: 4, upvotes: 7 }]);
    expect(parse({ listedOn: null, source: null }, '2025-06-01').items[0]!.listing).toMatchObject({ source: 'hf', day: '2025-06-01' });
    expect(parse({ listedOn: null }).items[0]!.listing).toBeNull();
  });

  it('a record with `listings` and no `listedOn` is ours too', () => {
    const text = JSON.stringify({ id: '2506.05176', title: 'A title', listings: [HF] });
    expect(papersJsonl.parse(text, { day: null, origin: 'f.jsonl', now }).items[0]!.listing).toEqual(HF);
  });

  it.each<[string, unknown, RegExp]>([
    ['not an array', { source: 'hf' }, /f\.jsonl:1: "listings" must be an array/],
    ['an entry that is not an object', ['hf'], /f\.jsonl:1: listings\[0\]: not an object/],
    ['a day that does not exist', [HF, { ...HF, day: '2025-02-30' }], /f\.jsonl:1: listings\[1\]: "day" "2025-02-30" is not a YYYY-MM-DD date/],
    ['a day with a time', [{ ...HF, day: '2025-06-09T00:00:00Z' }], /listings\[0\]: "day"/],
    ['no day', [{ ...HF, day: undefined }], /listings\[0\]: "day" null is not a YYYY-MM-DD date/],
    ['a source with a space', [{ ...HF, source: 'a b' }], /listings\[0\]: "a b" is not a listing source/],
    ['a source with an escape sequence', [{ ...HF, source: 'hf\u001b]0;x\u0007' }], /listings\[0\]: .* is not a listing source/],
    ['a 65-character source', [{ ...HF, source: 'x'.repeat(65) }], /listings\[0\]: .* is not a listing source/],
    ['an empty source', [{ ...HF, source: '' }], /listings\[0\]: "" is not a listing source/],
    ['rank 0', [{ ...HF, rank: 0 }], /listings\[0\]: "rank" 0 is not a whole number from 1/],
    ['a fractional rank', [{ ...HF, rank: 1.5 }], /listings\[0\]: "rank" 1.5/],
    ['a rank past 2^53', [{ ...HF, rank: 2 ** 53 + 2 }], /listings\[0\]: "rank"/],
    ['a rank as text', [{ ...HF, rank: '2' }], /listings\[0\]: "rank" "2"/],
    ['fractional upvotes', [{ ...HF, upvotes: 0.5 }], /listings\[0\]: "upvotes" 0.5 is not a whole number or null/],
    ['upvotes as text', [{ ...HF, upvotes: '12' }], /listings\[0\]: "upvotes" "12"/],
  ])('%s is an InputError naming the line and the entry', (_, listings, message) => {
    expect(() => parse({ listings })).toThrow(InputError);
    expect(() => parse({ listings })).toThrow(message);
  });
});
