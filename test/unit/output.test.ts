/**
 * The checked stdout writer on its stream path (a pipe or terminal), with a stand-in stream:
 * errors that arrive as events (EIO here; /dev/full and `ulimit -f` are tested through the
 * CLI in test/reliability/output.test.ts), backpressure, and a reader that left.
 */
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { ExitCode, OutputError } from '../../src/errors.js';
import { createOutput } from '../../src/output.js';

/** A stream whose writes finish when `release()` is called, or fail with `code`. */
function fakeStream(opts: { failWith?: string; highWaterMark?: number } = {}) {
  const held: Array<() => void> = [];
  let written = '';
  const stream = new Writable({
    highWaterMark: opts.highWaterMark ?? 16,
    write(chunk: Buffer, _enc, done) {
      if (opts.failWith) return done(Object.assign(new Error(`${opts.failWith}: failed, write`), { code: opts.failWith }));
      held.push(() => {
        written += chunk.toString();
        done();
      });
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, held, written: () => written, release: () => held.splice(0).forEach((f) => f()) };
}

// fd -1 is never a file: the writer takes the stream path.
const NOT_A_FILE = -1;

describe('createOutput on a stream', () => {
  test('an I/O error reported later fails the flush and every later write with exit 74', async () => {
    const fake = fakeStream({ failWith: 'EIO' });
    const out = createOutput(NOT_A_FILE, () => fake.stream, () => {});
    await out.write('a line\n');
    const err = await out.flush().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputError);
    expect((err as OutputError).exitCode).toBe(ExitCode.Output);
    expect((err as Error).message).toBe('cannot write output: input/output error');
    expect(() => out.write('more\n')).toThrow('cannot write output: input/output error');
  });

  test('a write past the high-water mark waits until the stream drains', async () => {
    const fake = fakeStream({ highWaterMark: 4 });
    const out = createOutput(NOT_A_FILE, () => fake.stream, () => {});
    let resolved = false;
    const pending = out.write('more than four bytes').then(() => (resolved = true));
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    fake.release();
    await pending;
    await out.flush();
    expect(fake.written()).toBe('more than four bytes');
  });

  test('EPIPE (the reader left) calls onReaderGone', async () => {
    const fake = fakeStream({ failWith: 'EPIPE' });
    let gone = 0;
    const out = createOutput(NOT_A_FILE, () => fake.stream, () => gone++);
    await out.write('x\n');
    await out.flush().catch(() => {});
    expect(gone).toBeGreaterThan(0);
  });
});
