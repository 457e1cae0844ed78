/** Fuzzing input decoding and format detection: arbitrary bytes, mutated real files, any --format. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError, InputError, PapersError } from '../../src/errors.js';
import { MAX_XML_DEPTH } from '../../src/sources/_xml.js';
import { FORMAT_NAMES, decodeInput, detectFormat } from '../../src/sources/registry.js';
import type { Source } from '../../src/sources/types.js';
import {
  ARXIV,
  HEAVY_RUNS,
  HF_API,
  HF_HTML,
  JSONL,
  PAGE_TEXT,
  TIMEOUT,
  applyByteOp,
  applyTextOps,
  byteOp,
  checkAsync,
  dayOption,
  opts,
  outcome,
  outcomeAsync,
  textOps,
} from './support.js';

const encoder = new TextEncoder();
const fixture = fc.constantFrom(...HF_API, ...HF_HTML, ...PAGE_TEXT, ...JSONL, ...ARXIV);

/** decodeInput: text without NUL, or an InputError. (Of several BOMs only the first is removed; detection skips the rest as blanks.) */
function decode(bytes: Uint8Array): string | InputError {
  try {
    const text = decodeInput(bytes, 'fuzz-input');
    if (typeof text !== 'string' || text.includes('\u0000')) throw new Error(`decodeInput returned ${JSON.stringify(text).slice(0, 80)}`);
    return text;
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
}

/** The whole import path as `papers import` runs it: decode, detect, parse; then every other parser on the same text. */
async function importBytes(bytes: Uint8Array, day: string | null): Promise<void> {
  const text = decode(bytes);
  if (text instanceof InputError) return;
  await outcomeAsync(async () => (await detectFormat(text, 'fuzz-input')).parse(text, opts(day)));
  for (const name of FORMAT_NAMES) {
    const source: Source = await detectFormat(text, 'fuzz-input', name);
    outcome(() => source.parse(text, opts(day)));
  }
}

describe('registry, fuzzed', () => {
  it('arbitrary bytes: decoded text or an InputError, then a listing or a PapersError from every parser', async () => {
    await checkAsync(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), dayOption, importBytes));
  }, TIMEOUT);

  it('arbitrary strings, encoded', async () => {
    await checkAsync(fc.asyncProperty(fc.string({ unit: 'binary' }), dayOption, (s, day) => importBytes(encoder.encode(s), day)));
  }, TIMEOUT);

  it('mutated real files of every format, at the text and the byte level (invalid UTF-8, NUL, BOM)', async () => {
    await checkAsync(
      fc.asyncProperty(fixture, textOps, fc.array(byteOp, { maxLength: 3 }), dayOption, (f, ops, bops, day) =>
        importBytes(bops.reduce(applyByteOp, encoder.encode(applyTextOps(f.text, ops))), day),
      ),
      { numRuns: HEAVY_RUNS },
    );
  }, TIMEOUT);

  it('arXiv XML nested at any depth after any start tag: parsed up to the depth cap, a FormatError past it, never a crash', async () => {
    const xml = ARXIV.filter((f) => f.name.endsWith('.xml'));
    await checkAsync(
      fc.asyncProperty(fc.constantFrom(...xml), fc.nat(), fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('x', 'arxiv:x', 'title'), async (f, where, depth, tag) => {
        const tags = [...f.text.matchAll(/<[A-Za-z][^>]*[^/]>/g)];
        const at = tags[where % tags.length]!;
        const cut = at.index + at[0].length;
        const text = f.text.slice(0, cut) + `<${tag}>`.repeat(depth) + `</${tag}>`.repeat(depth) + f.text.slice(cut);
        const source = await detectFormat(text, 'fuzz-input');
        const result = await outcomeAsync(async () => source.parse(text, opts(null)));
        if (depth > MAX_XML_DEPTH) {
          // Nesting early in the file can push what identifies an arXiv feed out of the sniffed
          // head: then it is refused by the page parser, as any unrecognised input is.
          expect(result).toBeInstanceOf(source.name.startsWith('arxiv') ? FormatError : PapersError);
          if (source.name.startsWith('arxiv')) expect((result as FormatError).message).toMatch(/nested more than \d+ deep/);
        }
      }),
      { numRuns: HEAVY_RUNS },
    );
  }, TIMEOUT);

  it('any --format value: a parser or an InputError', async () => {
    await checkAsync(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.constantFrom(...FORMAT_NAMES, 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'HF-JSON')),
        async (name) => {
          try {
            const source = await detectFormat('[]', 'x', name);
            expect(typeof source.parse).toBe('function');
            // An empty name means "detect" (`[]` is HF JSON).
            expect(source.name).toBe(name === '' ? 'hf-json' : name);
          } catch (err) {
            if (!(err instanceof PapersError)) throw err;
            expect(err).toBeInstanceOf(InputError);
          }
        },
      ),
    );
  });

  it('detection follows the first non-blank character, after any BOM', async () => {
    for (const f of [...HF_API, ...HF_HTML, ...PAGE_TEXT, ...JSONL]) {
      const text = decodeInput(encoder.encode(`\uFEFF \r\n${f.text}`), f.name);
      const expected = f.name.endsWith('.jsonl') ? 'jsonl' : f.name.endsWith('.json') ? 'hf-json' : f.name.endsWith('.html') ? 'hf-html' : 'page-text';
      expect((await detectFormat(text, f.name)).name).toBe(expected);
    }
  });
});

describe('registry regressions', () => {
  it.each([['constructor'], ['__proto__'], ['toString'], ['hasOwnProperty']])(
    'r7_format_name: --format %s is an InputError, not a TypeError',
    async (name) => {
      await expect(detectFormat('[]', 'x', name)).rejects.toBeInstanceOf(InputError);
    },
  );

  it('r7_decode: invalid UTF-8, NUL and a BOM', () => {
    expect(decode(Uint8Array.from([0x5b, 0xc0, 0x80, 0x5d]))).toBeInstanceOf(InputError);
    expect(decode(Uint8Array.from([0x5b, 0x00, 0x5d]))).toBeInstanceOf(InputError);
    expect(decode(Uint8Array.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x5b, 0x5d]))).toBe('[]');
  });
});
