/**
 * Helpers of the reliability suite: start the built `papers` binary, stop it with a signal
 * after N ms or after N lines of stderr (progress lines), time whole runs, and spread kill
 * points over a run. Processes are started like `spawnPapers` (test/support/run.ts) does,
 * with the same scrubbed environment, optionally through a wrapper command (`setpriv` to drop
 * root, `bash -c 'ulimit -f …'` for a file-size limit).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { BIN, ROOT, spawnPapers, type RunOptions, type RunResult } from './run.js';

export type StopSignal = 'SIGKILL' | 'SIGINT' | 'SIGTERM';

export interface KillOptions extends RunOptions {
  signal: StopSignal;
  /** Send the signal this many ms after the start. */
  afterMs?: number;
  /** Or once stderr has carried this many lines (\n or \r ended) matching `match` (default: any). */
  afterLines?: { count: number; match?: RegExp };
}

export interface KilledRun extends RunResult {
  /** ms from the start to the signal; null if the process ended before it was sent. */
  sentAtMs: number | null;
  /** ms from the start to the end of the process. */
  elapsedMs: number;
}

/**
 * Run `papers ARGS` and stop it with `signal` after `afterMs` or `afterLines`. The signal is
 * not sent when the process has already ended (then `sentAtMs` is null).
 */
export function runAndKill(args: string[], opts: KillOptions): Promise<KilledRun> {
  const started = performance.now();
  const { child, result } = spawnPapers(args, opts);
  let sentAtMs: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  const send = () => {
    if (sentAtMs !== null || child.exitCode !== null || child.signalCode !== null) return;
    sentAtMs = performance.now() - started;
    child.kill(opts.signal);
  };
  if (opts.afterMs !== undefined) timer = setTimeout(send, opts.afterMs);
  if (opts.afterLines) {
    const { count, match } = opts.afterLines;
    let seen = 0;
    let partial = '';
    child.stderr.on('data', (d: Buffer | string) => {
      const parts = (partial + d.toString()).split(/\r|\n/);
      partial = parts.pop() ?? '';
      for (const line of parts) if (!match || match.test(line)) seen++;
      if (seen >= count) send();
    });
  }
  return result.then((r) => {
    if (timer) clearTimeout(timer);
    return { ...r, sentAtMs, elapsedMs: performance.now() - started };
  });
}

/** Run `papers ARGS` to the end and time it. */
export async function timedRun(args: string[], opts: RunOptions = {}): Promise<RunResult & { elapsedMs: number }> {
  const started = performance.now();
  const r = await spawnPapers(args, opts).result;
  return { ...r, elapsedMs: performance.now() - started };
}

/**
 * `n` kill times spread over a run of `totalMs`: evenly from `from` to `to` (fractions of
 * the run), each moved by up to ±`jitter` of a step by a seeded generator, so repeated runs
 * of the suite do not always hit the same instants but stay reproducible.
 */
export function killPoints(totalMs: number, n: number, { from = 0.03, to = 0.95, seed = 7, jitter = 0.4 } = {}): number[] {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const step = n > 1 ? (to - from) / (n - 1) : 0;
  return Array.from({ length: n }, (_, i) => {
    const f = Math.min(to, Math.max(from, from + i * step + (rnd() - 0.5) * 2 * jitter * step));
    return Math.round(f * totalMs);
  });
}

/** The environment `spawnPapers` gives the binary (scrubbed, offline, test mode), plus `extra`. */
export function papersEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'CLICOLOR', 'CLICOLOR_FORCE', 'COLUMNS', 'PAPERS_FORCE_TTY', 'PAPERS_DB', 'HF_TOKEN', 'HF_ENDPOINT', 'PAPERS_OFFLINE', 'PAPERS_MAX_AGE', 'PAPERS_TIMEOUT', 'PAPERS_RETRIES', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) {
    delete env[k];
  }
  Object.assign(env, { PAPERS_TEST: '1', PAPERS_NOW: '2025-06-10T08:00:00Z', PAPERS_OFFLINE: '1' }, extra);
  return env as NodeJS.ProcessEnv;
}

/**
 * Run `papers ARGS` through a wrapper: `wrapper` is the command line before `node bin/papers.cjs`
 * (e.g. `['setpriv', '--reuid=65534', …, '--']`, or `bash -c 'ulimit -f N; exec "$@"' --`).
 */
export function runPapersVia(wrapper: string[], args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const [cmd, ...pre] = wrapper.length ? wrapper : [process.execPath];
  const argv = wrapper.length ? [...pre, process.execPath, BIN, ...args] : [BIN, ...args];
  const child: ChildProcess = spawn(cmd!, argv, { env: papersEnv(opts.env), cwd: opts.cwd ?? ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise<RunResult>((done, fail) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ stdout, stderr, code, signal }));
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

/** A wrapper that limits the size of any file the process writes to `kib` KiB (`ulimit -f`). */
export function fileSizeLimit(kib: number): string[] {
  return ['bash', '-c', `ulimit -f ${kib} && exec "$@"`, 'papers-ulimit'];
}

/**
 * As root, permission bits do not bind: a wrapper that runs the process as `nobody`
 * (setpriv from util-linux), or null when that is not possible here. Not root: no wrapper
 * needed (`[]`), chmod is enough.
 */
export function unprivileged(): string[] | null {
  if (process.getuid?.() !== 0) return [];
  const wrapper = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];
  const probe = spawnSync(wrapper[0]!, [...wrapper.slice(1), process.execPath, '-e', 'process.exit(process.getuid() === 65534 ? 0 : 1)']);
  return probe.status === 0 ? wrapper : null;
}

/** True if this process can mount a tmpfs (root in a VM or a privileged container). */
export function canMountTmpfs(dir: string): boolean {
  if (process.getuid?.() !== 0) return false;
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
  if (r.status !== 0) return false;
  spawnSync('umount', [dir]);
  return true;
}

/** Mount a tmpfs of `size` (e.g. '2m') on `dir`; returns a function that resizes it. */
export function mountTmpfs(dir: string, size: string): { resize: (size: string) => void; unmount: () => void } {
  const must = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  };
  must('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0777`, 'tmpfs', dir]);
  return {
    resize: (s) => must('mount', ['-o', `remount,size=${s}`, dir]),
    unmount: () => must('umount', [dir]),
  };
}
