/**
 * splitLines (sources/lines.ts), which every streamed import reads its file through. What must
 * hold: however the bytes arrive in chunks, the lines are those of the whole input decoded at
 * once — a character split between chunks, CRLF, invalid UTF-8, no last newline — and a line
 * over the cap is reported as too long, never held whole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitLines, type Line } from '../../src/sources/lines.js';

async function* chunked(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(at, cut);
    at = cut;
  }
  yield bytes.subarray(at);
}

async function* from<T>(...chunks: T[]): AsyncGenerator<T> {
  yield* chunks;
}

async function linesOf(input: AsyncIterable<Uint8Array | string>, maxLine?: number): Promise<{ lines: Line[]; count: number }> {
  const lines: Line[] = [];
  const it = splitLines(input, maxLine);
  for (;;) {
    const next = await it.next();
    if (next.done) return { lines, count: next.value };
    lines.push(next.value);
  }
}

/** The lines of `bytes` the plain way: split the bytes at "\n", decode each; a line over `maxLine` bytes is null. */
function reference(bytes: Buffer, maxLine: number): Line[] {
  const parts: Buffer[] = [];
  for (let at = 0; at <= bytes.length; ) {
    const nl = bytes.indexOf(0x0a, at);
    parts.push(bytes.subarray(at, nl < 0 ? bytes.length : nl));
    at = nl < 0 ? bytes.length + 1 : nl + 1;
  }
  if (parts.at(-1)!.length === 0) parts.pop();
  return parts.map((raw, i) => {
    const decoded = raw.toString('utf8');
    const text = i === 0 && decoded.startsWith('\uFEFF') ? decoded.slice(1) : decoded;
    return { no: i + 1, text: raw.length > maxLine ? null : text.endsWith('\r') ? text.slice(0, -1) : text };
  });
}

// Text rich in what a byte-wise splitter could get wrong: multi-byte characters, CR, LF.
const piece = fc.oneof(
  fc.constantFrom('\n', '\r\n', '\r', 'é', '漢字', '😀', 'abc', ' ', '\uFEFF'),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const textBytes = fc.array(piece, { maxLength: 60 }).map((parts) => Buffer.from(parts.join(''), 'utf8'));
// Arbitrary bytes too: invalid UTF-8 must be replaced exactly as a whole decode replaces it.
const rawBytes = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a.map((b) => (b % 7 === 0 ? 0x0a : b))));

describe('splitLines', () => {
  it('gives the lines of the whole input, however it is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(textBytes, rawBytes), fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom(4, 10, 1_000), async (bytes, cuts, maxLine) => {
        const { lines, count } = await linesOf(chunked(bytes, cuts), maxLine);
        expect(lines).toEqual(reference(bytes, maxLine));
        expect(count).toBe(lines.length);
      }),
      { numRuns: 300 },
    );
  });

  it('drops a line past the cap that spans many chunks, and goes on after its newline', async () => {
    async function* long(): AsyncGenerator<Buffer> {
      yield Buffer.from('first\n');
      for (let i = 0; i < 100; i++) yield Buffer.alloc(100, 0x61);
      yield Buffer.from('\nlast');
    }
    const { lines } = await linesOf(long(), 100);
    expect(lines).toEqual([
      { no: 1, text: 'first' },
      { no: 2, text: null },
      { no: 3, text: 'last' },
    ]);
  });

  it('gives up an over-long line as soon as it passes the cap: no more of it is held', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        pulled += 100;
        yield Buffer.alloc(100, 0x61);
      }
    }
    const it = splitLines(endless(), 1_000);
    expect((await it.next()).value).toEqual({ no: 1, text: null });
    // The cap and the chunk that passed it, nothing more.
    expect(pulled).toBe(1_100);
    await it.return(0);
  });

  it('counts a line by its bytes, CR included', async () => {
    // 20 characters of 3 bytes each: 60 bytes, at the cap; one more byte is over it.
    const line = '漢'.repeat(20);
    const { lines } = await linesOf(chunked(Buffer.from(`${line}\n${line}x\n${line}\r\n`), [7, 50, 100]), 60);
    expect(lines).toEqual([
      { no: 1, text: line },
      { no: 2, text: null },
      { no: 3, text: null },
    ]);
  });

  it('decodes as the whole input decodes: a stream of lines and a decode of all of it agree', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(textBytes, rawBytes), fc.array(fc.nat(), { maxLength: 12 }), async (bytes, cuts) => {
        const whole = bytes.toString('utf8').split('\n');
        if (whole.at(-1) === '') whole.pop();
        if (whole[0]?.startsWith('\uFEFF')) whole[0] = whole[0].slice(1);
        const { lines } = await linesOf(chunked(bytes, cuts));
        expect(lines.map((l) => l.text)).toEqual(whole.map((t) => (t.endsWith('\r') ? t.slice(0, -1) : t)));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out a byte order mark that starts the stream, and keeps one anywhere else', async () => {
    const bytes = Buffer.from('\uFEFF{"a":1}\r\n\uFEFFb\n', 'utf8');
    expect((await linesOf(chunked(bytes, [1, 2]))).lines).toEqual([
      { no: 1, text: '{"a":1}' },
      { no: 2, text: '\uFEFFb' },
    ]);
  });

  it('reads strings as their UTF-8, joining a surrogate pair cut between two of them', async () => {
    expect((await linesOf(from('a\r\nb', 'é\n\nc'))).lines).toEqual([
      { no: 1, text: 'a' },
      { no: 2, text: 'bé' },
      { no: 3, text: '' },
      { no: 4, text: 'c' },
    ]);
    expect((await linesOf(from('{"t":"\uD83D', '\uDE00"}\nlast \uD83D'))).lines).toEqual([
      { no: 1, text: '{"t":"😀"}' },
      { no: 2, text: 'last \uFFFD' },
    ]);
  });

  it('reads plain Uint8Arrays (a web stream\'s chunks) as bytes', async () => {
    const bytes = new Uint8Array(Buffer.from('ab\ncé\n'));
    expect((await linesOf(from(bytes.subarray(0, 5), bytes.subarray(5)))).lines).toEqual([
      { no: 1, text: 'ab' },
      { no: 2, text: 'cé' },
    ]);
  });
});
