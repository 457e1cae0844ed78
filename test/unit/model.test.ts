import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeLine, normalizeParagraphs, paperUrls, parseArxivId, titleId, titleKey } from '../../src/model.js';

describe('parseArxivId', () => {
  it.each([
    ['2508.12345', '2508.12345', null],
    ['2508.12345v3', '2508.12345', 3],
    ['1501.0001', '1501.0001', null],
    ['arXiv:2401.00001v1', '2401.00001', 1],
    ['hep-th/9901001', 'hep-th/9901001', null],
    ['hep-th/9901001v2', 'hep-th/9901001', 2],
    ['math.GT/0309136', 'math.GT/0309136', null],
  ])('%s → %s', (raw, id, version) => {
    expect(parseArxivId(raw)).toEqual({ id, version });
  });
  it.each(['', 'abc', '2508.123', '2508.1234567', 'title-abcdef', '../etc/passwd'])('rejects %j', (raw) => {
    expect(parseArxivId(raw)).toBeNull();
  });
});

describe('text normalization', () => {
  it('collapses hard line breaks in titles', () => {
    expect(normalizeLine('Stealing Part of a Production\n  Language Model')).toBe('Stealing Part of a Production Language Model');
  });
  it('keeps paragraph breaks in abstracts, joins wrapped lines', () => {
    expect(normalizeParagraphs('First line\nwraps here.\n\nSecond  para\r\n\r\n\r\nThird')).toBe(
      'First line wraps here.\n\nSecond para\n\nThird',
    );
  });
  // The functions skip text that needs nothing done: they must agree with doing it all.
  const fullLine = (text: string) =>
    text
      .replace(/\s{2,}|[^\S ]/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim()
      .replace(/[\uFB00-\uFB06]/g, (c) => c.normalize('NFKC'));
  const fullParagraphs = (text: string) =>
    text
      .replace(/\r\n?/g, '\n')
      .split(/\n[ \t]*\n\s*/)
      .map(fullLine)
      .filter((p) => p.length > 0)
      .join('\n\n');
  // Every character JavaScript's \s matches, the ligatures and their neighbours, and any UTF-16.
  const spaces = [...' \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'];
  const text = fc
    .array(
      fc.oneof(
        fc.constantFrom(...spaces, '  ', '\r\n', '\n\n', '\u180e', '\u200b', 'ﬀ', 'ﬁ', 'ﬆ', '\ufaff', '\ufb07'),
        fc.string({ maxLength: 6 }),
        fc.string({ unit: 'binary', maxLength: 4 }),
      ),
      { maxLength: 20 },
    )
    .map((parts) => parts.join(''));
  it('normalizes exactly as replacing every run would, clean text included', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(normalizeLine(t)).toBe(fullLine(t));
        expect(normalizeParagraphs(t)).toBe(fullParagraphs(t));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('title ids', () => {
  it('fold case, punctuation and spacing', () => {
    expect(titleKey('  Magistral: A  Reasoning-Model! ')).toBe('magistral a reasoning model');
    expect(titleId('Magistral: a reasoning model')).toBe(titleId('MAGISTRAL — A Reasoning  Model'));
    expect(titleId('Magistral')).toMatch(/^title-[0-9a-f]{12}$/);
    expect(titleId('Magistral')).not.toBe(titleId('Magistral 2'));
  });
});

describe('paperUrls', () => {
  it('links new ids to HF and arXiv', () => {
    expect(paperUrls('2506.05176')).toEqual({
      hf: 'https://huggingface.co/papers/2506.05176',
      arxiv: 'https://arxiv.org/abs/2506.05176',
      pdf: 'https://arxiv.org/pdf/2506.05176',
    });
  });
  it('has no HF page for old ids and no links for title ids', () => {
    expect(paperUrls('hep-th/9901001').hf).toBeNull();
    expect(paperUrls('title-0123456789ab')).toEqual({ hf: null, arxiv: null, pdf: null });
  });
});
