/** Fuzzing the copied-page-text parser: arbitrary text, shuffled paragraphs, mutated real copies. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { pageText } from '../../src/sources/page-text.js';
import { NOW, PAGE_TEXT, TIMEOUT, applyTextOps, check, dayOption, hostileString, opts, outcome, snippet, textOps } from './support.js';

const fixture = fc.constantFrom(...PAGE_TEXT);
const parse = (text: string, day: string | null, now = NOW) => outcome(() => pageText.parse(text, { ...opts(day), now }));

const SENTENCE = 'We propose a method that improves results on many benchmarks. ';
/** Lines a copied page may hold. */
const line = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'Daily Papers', 'byAK and the research community', 'Aug 20', 'Tue, Aug 20', 'August 20, 2024', 'Feb 29', 'Feb 30', 'Sept 31, 2025',
      'Jun 9', '2025-06-09', '2025-02-30', '0000-01-01', '9999-12-31', 'Previous', 'Next', '41', '1,234', 'Submitted by someone',
      '· 9 authors', 'A Short Title', 'Title Ending With A Period.', SENTENCE.repeat(3).trim(), SENTENCE.repeat(12).trim(),
      `See https://example.com/${'x'.repeat(200)}`, 'x'.repeat(301), '', '   ', '\t', '\u00a0',
    ),
  },
  { weight: 2, arbitrary: hostileString(5) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
  { weight: 1, arbitrary: snippet },
);

type ParaOp = { k: 'delete' | 'dup' | 'join' | 'wrap'; at: number; n: number } | { k: 'swap'; at: number; to: number } | { k: 'insert'; at: number; s: string };
const paraOp: fc.Arbitrary<ParaOp> = fc.oneof(
  fc.record({ k: fc.constantFrom('delete' as const, 'dup' as const, 'join' as const, 'wrap' as const), at: fc.nat(), n: fc.nat({ max: 120 }) }),
  fc.record({ k: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ k: fc.constant('insert' as const), at: fc.nat(), s: line }),
);

/** Operations on blank-line-separated paragraphs: what copying a page differently does. */
function applyParaOps(text: string, ops: ParaOp[]): string {
  const paras = text.split(/\n\n/);
  for (const op of ops) {
    const i = op.at % paras.length;
    switch (op.k) {
      case 'delete':
        if (paras.length > 1) paras.splice(i, 1);
        break;
      case 'dup':
        paras.splice(i, 0, paras[i]!);
        break;
      case 'join': // copied without the blank line
        if (i + 1 < paras.length) paras.splice(i, 2, `${paras[i]}\n${paras[i + 1]}`);
        break;
      case 'wrap': // hard-wrapped at n columns
        paras[i] = paras[i]!.replace(new RegExp(`(.{${Math.max(1, op.n)}})`, 'g'), '$1\n');
        break;
      case 'swap': {
        const j = op.to % paras.length;
        [paras[i], paras[j]] = [paras[j]!, paras[i]!];
        break;
      }
      case 'insert':
        paras.splice(i, 0, op.s);
        break;
    }
  }
  return paras.join('\n\n');
}

describe('page-text parser, fuzzed', () => {
  it('arbitrary text', () => {
    check(fc.property(fc.string({ unit: 'binary' }), dayOption, (text, day) => void parse(text, day)));
  });

  it('arbitrary lines a page copy holds, with any separators and any "now"', () => {
    check(
      fc.property(
        fc.array(fc.tuple(line, fc.constantFrom('\n', '\n\n', '\r\n', '\r\n\r\n', '\n \n', '\n\u00a0\n')), { maxLength: 30 }),
        dayOption,
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        (parts, day, now) => void parse(parts.map(([l, sep]) => l + sep).join(''), day, now),
      ),
    );
  }, TIMEOUT);

  it('mutated real copies (truncation, byte flips, deleted/duplicated ranges, NUL, BOM, CRLF)', () => {
    check(fc.property(fixture, textOps, dayOption, (f, ops, day) => void parse(applyTextOps(f.text, ops), day)));
  }, TIMEOUT);

  it('real copies with paragraphs deleted, duplicated, joined, hard-wrapped, swapped, inserted', () => {
    check(fc.property(fixture, fc.array(paraOp, { minLength: 1, maxLength: 5 }), textOps, dayOption, (f, pops, ops, day) => {
      void parse(applyTextOps(applyParaOps(f.text, pops), ops.slice(0, 1)), day);
    }));
  }, TIMEOUT);

  it('the unmutated copies parse', () => {
    for (const f of PAGE_TEXT) expect(parse(f.text, '2025-06-09')).not.toBeInstanceOf(Error);
  });
});

describe('page-text header dates', () => {
  const paper = `A Short Title\n\n${SENTENCE.repeat(4).trim()}\n`;
  it('an ISO header date is the listing day, for every year 0001–9999', () => {
    check(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), (y, m, d) => {
        const day = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const r = parse(`Daily Papers\n\n${day}\n\n${paper}`, null);
        expect(r).not.toBeInstanceOf(Error);
        if (!(r instanceof Error)) expect(r.items[0]!.listing!.day).toBe(day);
      }),
    );
  });
});

describe('page-text regressions', () => {
  it('a header date in year 0000 is off the calendar: no listing day', () => {
    expect(() => pageText.parse(`0000-01-01\n\nA Short Title\n\n${SENTENCE.repeat(4).trim()}\n`, opts(null))).toThrow(/cannot tell the listing day/);
  });

  it.each([['0050-03-01'], ['0001-01-01'], ['0099-12-31']])('r7_header_year: header date %s keeps its year (not 19xx)', (day) => {
    const r = pageText.parse(`${day}\n\nA Short Title\n\n${SENTENCE.repeat(4).trim()}\n`, opts(null));
    expect(r.items[0]!.listing!.day).toBe(day);
  });

  it('r7_page_text_binary: NUL bytes are refused as binary', () => {
    expect(() => pageText.parse(`${PAGE_TEXT[0]!.text}\u0000`, opts('2025-06-09'))).toThrow(InputError);
  });
});
