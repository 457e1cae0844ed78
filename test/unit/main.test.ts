/**
 * `main(argv, io)`: a run against a test's IO returns its exit code, reads only the IO's
 * stdin, env and clock, and leaves nothing behind in the process (exit code, signal handlers).
 */
import { describe, expect, it } from 'vitest';
import { FIXTURES, stripAnsi, tempDb } from '../support/run.js';
import { inProcessWithDb, runInProcess } from '../support/in-process.js';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const sample = join(FIXTURES, 'hf-api', 'hfdp-ml_2025-06-09.json');

describe('main with a test IO', () => {
  it('returns the exit code and leaves process.exitCode alone', async () => {
    const before = process.exitCode;
    const r = await runInProcess(['list', '--since', 'nonsense'], { env: { PAPERS_DB: tempDb() } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^papers: /);
    expect(process.exitCode).toBe(before);
  });

  it('help goes to the buffered stdout with exit 0', async () => {
    const r = await runInProcess(['help', 'exit-codes']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Exit codes:\n/);
  });

  it('reads standard input from the IO', async () => {
    const { run } = inProcessWithDb();
    const r = await run(['import', '--date', '2025-06-09', '-'], { input: readFileSync(sample) });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/standard input \(hf-json\): 12 read, 12 new/);
    expect((await run(['list', '--date', '2025-06-09'])).stdout.split('\n').filter(Boolean)).toHaveLength(12);
  });

  it('takes the time from the IO: PAPERS_NOW, else its clock', async () => {
    const { run } = inProcessWithDb();
    await run(['import', sample]);
    // `today` offline shows the latest day up to "now": the fixture's day is in the future of 2025-06-01.
    const early = await run(['today', '--offline'], { env: { PAPERS_NOW: '2025-06-01T08:00:00Z' } });
    const late = await run(['today', '--offline'], { env: { PAPERS_NOW: '2025-06-10T08:00:00Z' } });
    expect(late.stdout).not.toBe(early.stdout);
    expect((await run(['today', '--offline'], { env: { PAPERS_NOW: 'yesterday-ish' } })).code).toBe(2);
    // The IO's clock, when PAPERS_NOW is not set: the same day as the same PAPERS_NOW.
    expect((await run(['today', '--offline'], { now: new Date('2025-06-10T08:00:00Z') })).stdout).toBe(late.stdout);
    expect((await run(['today', '--offline'], { now: new Date('2025-06-01T08:00:00Z') })).stdout).toBe(early.stdout);
  });

  it('runs are independent: color, terminal and database of one do not reach the next', async () => {
    const a = inProcessWithDb();
    const b = inProcessWithDb();
    await a.run(['import', sample]);
    const colored = await a.run(['list', '--date', '2025-06-09', '--color', 'always'], { tty: true });
    expect(colored.stdout).toContain('\x1b[');
    const plain = await a.run(['list', '--date', '2025-06-09']);
    expect(plain.stdout).not.toContain('\x1b[');
    expect((await b.run(['list', '--date', '2025-06-09'])).code).toBe(1);
  });

  it('a TTY IO gets the terminal layout; a pipe the tab-separated one', async () => {
    const { run } = inProcessWithDb();
    await run(['import', sample]);
    const pipe = await run(['list', '--date', '2025-06-09']);
    const tty = await run(['list', '--date', '2025-06-09'], { tty: true, columns: 100 });
    expect(pipe.stdout.split('\n')[0]).toContain('\t');
    expect(tty.stdout).not.toContain('\t');
    expect(tty.stdout).toContain('\x1b['); // a terminal with 8-bit color gets color
    expect(Math.max(...stripAnsi(tty.stdout).split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('installs no signal handlers that outlive the run', async () => {
    const listeners = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const before = listeners();
    const { run } = inProcessWithDb();
    // fetch asks for the interrupt signal (offline: it stops at once).
    await run(['fetch', '--date', '2025-06-09']);
    expect(listeners()).toEqual(before);
  });

  it('an interrupt through the IO ends the run with 130', async () => {
    const controller = new AbortController();
    controller.abort();
    const { run } = inProcessWithDb();
    const r = await run(['fetch', '--date', '2025-06-09'], { interrupt: controller.signal, env: { PAPERS_OFFLINE: undefined, HF_ENDPOINT: 'http://127.0.0.1:9' } });
    expect(r.code).toBe(130);
  });

  it('a Ctrl-C as the command finishes still exits 130, and says its work is done', async () => {
    const controller = new AbortController();
    const { run, db } = inProcessWithDb();
    // The import's summary is its last act: the interrupt comes after it, before the run ends.
    let flushed = false;
    const r = await run(['import', sample], { interrupt: controller.signal, onStderr: (chunk) => chunk.startsWith('imported') && controller.abort(), onFlush: () => (flushed = true) });
    expect(r.code).toBe(130);
    // What it printed still reaches a slow reader before the process ends by the signal.
    expect(flushed).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^imported .*: \d+ read, \d+ new/), 'papers: interrupted just as the command finished; its work is done']);
    expect((await run(['list', '--date', '2025-06-09', '--json'], { env: { PAPERS_DB: db } })).stdout).toContain('"id"');
  });
});
