/**
 * Run a command inside the test process (gh's `iostreams.Test()`): `main` against buffered
 * streams, a given stdin and environment, a chosen terminal. The result has `runPapers`'s
 * shape, so a test file switches with one line. What it cannot reach — signals, the
 * bundle, another working directory or user, limits of the process (ulimit, closed fds) —
 * stays on `runPapers`. A pager runs as a child whose output goes to this process's own
 * stdout, not into the result: a test that reads what `PAGER=cat` printed needs `runPapers`.
 */
import { Readable, Writable } from 'node:stream';
import { ROOT, tempDb, testEnv, type RunOptions, type RunResult } from './run.js';
import { main } from '../../src/cli.js';
import type { IO } from '../../src/context.js';
import type { Output } from '../../src/output.js';

export interface InProcessOptions extends RunOptions {
  /** The real stdout is a terminal (default false): layout and color follow it, as on a user's. */
  tty?: boolean;
  /** The terminal's size and color depth when `tty` (default 80×24, 8 bits). */
  columns?: number;
  rows?: number;
  colorDepth?: number;
  /** Aborts the run as Ctrl-C would. */
  interrupt?: AbortSignal;
  /** The clock's time, instead of PAPERS_NOW (which this unsets). */
  now?: Date;
  /** Called with each chunk the run writes to stderr, as it is written. */
  onStderr?: (chunk: string) => void;
  /** Called when the run flushes stdout (what a pipe still holds reaches the reader). */
  onFlush?: () => void;
}

/** `papers ARGS` run in this process; see the file comment for what it refuses. */
export async function runInProcess(args: string[], opts: InProcessOptions = {}): Promise<RunResult> {
  if (opts.uid !== undefined || (opts.cwd !== undefined && opts.cwd !== ROOT)) throw new Error('runInProcess: another user or working directory needs runPapers');
  let stdout = '';
  let stderr = '';
  const out: Output = {
    write: (chunk) => ((stdout += chunk), Promise.resolve()),
    flush: () => (opts.onFlush?.(), Promise.resolve()),
  };
  const err = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      stderr += chunk.toString();
      opts.onStderr?.(chunk.toString());
      done();
    },
  });
  const input = opts.input === undefined ? [] : [Buffer.from(opts.input)];
  const io: IO = {
    stdin: Readable.from(input),
    stdout: out,
    stderr: err,
    // No pager unless the test names one: forced-TTY output is printed into the result, as PAGER=cat prints it in a process.
    env: testEnv({ PAGER: '', ...opts.env, ...(opts.now ? { PAPERS_NOW: undefined } : {}) }),
    stdoutIsTTY: opts.tty === true,
    stderrIsTTY: opts.tty === true,
    colorDepth: opts.colorDepth ?? 8,
    columns: opts.columns ?? 80,
    rows: opts.rows ?? 24,
    clock: () => (opts.now ? new Date(opts.now) : new Date()),
    ...(opts.interrupt ? { trapInterrupts: trapFrom(opts.interrupt) } : {}),
  };
  const code = await main(['node', 'papers', ...args], io);
  return { stdout, stderr, code, signal: null };
}

/** An interrupt source fed by `signal` instead of the process's SIGINT. */
function trapFrom(signal: AbortSignal): IO['trapInterrupts'] {
  return (onInterrupt) => {
    if (signal.aborted) onInterrupt();
    signal.addEventListener('abort', onInterrupt, { once: true });
    return () => signal.removeEventListener('abort', onInterrupt);
  };
}

/** `runInProcess` bound to one database: `withDb`'s twin. */
export function inProcessWithDb(db = tempDb()) {
  const run = (args: string[], opts: InProcessOptions = {}) => runInProcess(args, { ...opts, env: { PAPERS_DB: db, ...opts.env } });
  return { db, run };
}
