/** Fuzzing the HF API JSON parser: arbitrary, type-confused and mutated real listings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { hfJson } from '../../src/sources/hf-json.js';
import {
  DEEP_ARRAY,
  DEEP_OBJECT,
  DEEP_PAPER_OBJECT,
  HF_API,
  HF_FIELDS,
  TIMEOUT,
  applyJsonOps,
  applyTextOps,
  check,
  dayOption,
  anyJson,
  hostileString,
  jsonOp,
  toJsonText,
  opts,
  outcome,
  textOps,
} from './support.js';

const fixture = fc.constantFrom(...HF_API);
const parse = (text: string, day: string | null) => outcome(() => hfJson.parse(text, opts(day)));

/** Something shaped like a daily-papers item whose every field may have the wrong type. */
export const itemLike = fc.record(
  {
    paper: fc.oneof(
      { weight: 1, arbitrary: anyJson },
      {
        weight: 6,
        arbitrary: fc.record(
          {
            id: fc.oneof(anyJson, fc.constantFrom('2501.00001', ' 2501.00002v2 ', 'arXiv:hep-th/9901001', '2501.1')),
            title: fc.oneof(anyJson, hostileString(6)),
            summary: fc.oneof(anyJson, hostileString(6)),
            authors: fc.oneof(anyJson, fc.array(fc.oneof(anyJson, fc.record({ name: fc.oneof(anyJson, hostileString(3)) }, { requiredKeys: [] })), { maxLength: 4 })),
            publishedAt: anyJson,
            submittedOnDailyAt: fc.oneof(anyJson, fc.constantFrom('2025-06-09T12:00:00.000Z', '2025-02-30T00:00:00Z', '2025-06-09', '+275760-09-13T00:00:00Z')),
            upvotes: anyJson,
            ai_summary: anyJson,
            ai_keywords: anyJson,
            organization: anyJson,
          },
          { requiredKeys: ['id'] },
        ),
      },
    ),
    numComments: anyJson,
    title: anyJson,
    organization: anyJson,
  },
  { requiredKeys: ['paper'] },
);

describe('hf-json parser, fuzzed', () => {
  it('arbitrary text: a listing or a PapersError', () => {
    check(fc.property(fc.string({ unit: 'binary' }), dayOption, (text, day) => void parse(text, day)));
  });

  it('arbitrary JSON values', () => {
    check(fc.property(fc.jsonValue(), dayOption, (v, day) => void parse(JSON.stringify(v), day)));
  });

  it('arrays of item-like objects with fields of every wrong type', () => {
    check(fc.property(fc.array(itemLike, { maxLength: 5 }), dayOption, (items, day) => void parse(toJsonText(items), day)));
  });

  it('mutated real listings (truncation, byte flips, deleted/duplicated ranges, NUL, BOM, CRLF)', () => {
    check(fc.property(fixture, textOps, dayOption, (f, ops, day) => void parse(applyTextOps(f.text, ops), day)));
  }, TIMEOUT);

  it('real listings with values replaced (wrong types, null, 1 MB strings, 10k-deep nesting), deleted or duplicated', () => {
    check(
      fc.property(fixture, fc.array(jsonOp(HF_FIELDS), { minLength: 1, maxLength: 3 }), dayOption, (f, ops, day) => {
        const text = applyJsonOps(f.text, ops);
        const r = parse(text, day);
        // Structure mutations never produce invalid JSON: a failure must name the input.
        if (!('items' in r)) expect(r.message).toContain('fuzz-input');
      }),
    );
  }, TIMEOUT);

  it('the unmutated fixtures parse', () => {
    for (const f of HF_API) {
      const r = parse(f.text, '2025-06-09');
      expect(r).not.toBeInstanceOf(Error);
    }
  });
});

describe('hf-json regressions', () => {
  // The first item must look right, or the whole array is refused before any item is read.
  const FIRST = '{"paper":{"id":"2501.00001","title":"first"}}';
  const item = (paper: string) => `[${FIRST},{"paper":${paper}}]`;
  it.each([
    ['10k-deep array as the whole input', DEEP_ARRAY],
    ['10k-deep object as the whole input', DEEP_OBJECT],
    ['10k-deep array as paper.id', item(`{"id":${DEEP_ARRAY},"title":"t"}`)],
    ['10k-deep object as paper.id', item(`{"id":${DEEP_OBJECT},"title":"t"}`)],
    ['10k-deep array as an item', `[${FIRST},${DEEP_ARRAY}]`],
    ['10k-deep paper object', `[${FIRST},${DEEP_PAPER_OBJECT}]`],
    ['100k-deep array as paper.id', item(`{"id":${'['.repeat(100_000)}${']'.repeat(100_000)},"title":"t"}`)],
  ])('r7_deep_nesting: %s is an InputError, never a RangeError', (_, text) => {
    expect(() => hfJson.parse(text, opts('2025-06-09'))).toThrow(InputError);
  });

  it('r7_huge_id: a 1 MB paper id is refused with a short message', () => {
    const err = (() => {
      try {
        hfJson.parse(item(`{"id":"${'9'.repeat(1 << 20)}","title":"t"}`), opts('2025-06-09'));
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message.length).toBeLessThan(500);
  });

  it('r7_published_at: a publishedAt that is not a timestamp is dropped, not printed later', () => {
    const r = hfJson.parse(item('{"id":"2501.00001","title":"t","publishedAt":"2025-06-09\\u001b]0;pwned\\u0007"}'), opts('2025-06-09'));
    expect(r.items[1]!.paper.publishedAt).toBeNull();
    const ok = hfJson.parse(item('{"id":"2501.00001","title":"t","publishedAt":"2025-06-05T17:59:59.000Z"}'), opts('2025-06-09'));
    expect(ok.items[1]!.paper.publishedAt).toBe('2025-06-05T17:59:59.000Z');
  });
});

describe('hf-json regressions, days', () => {
  it.each([['9999-12-31T23:59:59-14:00'], ['0000-01-01T00:00:00+14:00']])(
    'r7_iso_day: submittedOnDailyAt %s (a day outside years 0001–9999 in UTC) is refused, even with a fallback day',
    (at) => {
      const text = JSON.stringify([{ paper: { id: '2501.00001', title: 't', submittedOnDailyAt: at } }]);
      expect(() => hfJson.parse(text, opts(null))).toThrow(InputError);
      expect(() => hfJson.parse(text, opts('2025-06-09'))).toThrow(/"submittedOnDailyAt" .* not a day on the calendar \(years 0001–9999\)/);
    },
  );

  it.each(['2025-02-30', '2025-02-30T10:00:00.000Z', '2023-02-29T00:00:00Z', '0000-06-01T00:00:00Z', 'soon', 20250609])(
    'submittedOnDailyAt %j is not a real day: refused, never rolled over to another day',
    (at) => {
      const text = JSON.stringify([{ paper: { id: '2501.00001', title: 't', submittedOnDailyAt: at } }]);
      expect(() => hfJson.parse(text, opts('2025-06-09'))).toThrow(InputError);
    },
  );

  it('submittedOnDailyAt null or absent (the 2024 schema) takes the fallback day', () => {
    for (const paper of [{ id: '2501.00001', title: 't' }, { id: '2501.00001', title: 't', submittedOnDailyAt: null }]) {
      expect(hfJson.parse(JSON.stringify([{ paper }]), opts('2025-06-09')).items[0]!.listing!.day).toBe('2025-06-09');
    }
  });
});
