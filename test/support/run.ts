/** Spawn the built `papers` binary the way a user would, with a temp database. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/papers.cjs');
export const FIXTURES = join(ROOT, 'fixtures');

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The status a shell shows for a run: its exit code, or 128 + the number of the signal that
 * ended it. papers ends an interrupted run by the signal itself (130 for Ctrl-C, 143 for SIGTERM).
 */
export function shellStatus(r: Pick<RunResult, 'code' | 'signal'>): number {
  return r.signal ? 128 + osConstants.signals[r.signal] : (r.code ?? -1);
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  cwd?: string;
  /** Run as this user (root only): permissions do not stop root, so tests of EACCES drop to another uid. */
  uid?: number;
}

/** A fresh temp folder and a database path inside it. */
export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'papers-e2e-')), 'papers.db');
}

/**
 * The environment a test runs `papers` with: this process's, scrubbed of color, TTY, network
 * and config variables so tests decide them, then offline (a test that fetches must also set
 * HF_ENDPOINT: under PAPERS_TEST the real Hugging Face is refused) at a fixed time, then `extra`.
 */
export function testEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'CLICOLOR', 'CLICOLOR_FORCE', 'COLUMNS', 'LINES', 'PAPERS_FORCE_TTY', 'PAPERS_DB', 'HF_TOKEN', 'HF_ENDPOINT', 'PAPERS_OFFLINE', 'PAPERS_MAX_AGE', 'PAPERS_TIMEOUT', 'PAPERS_RETRIES', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'PAGER', 'LESS', 'BROWSER', 'PAPERS_CONFIG', 'XDG_CONFIG_HOME']) {
    delete env[k];
  }
  Object.assign(env, { PAPERS_TEST: '1', PAPERS_NOW: '2025-06-10T08:00:00Z', PAPERS_OFFLINE: '1' }, extra);
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env as NodeJS.ProcessEnv;
}

/**
 * Start `papers ARGS` and collect stdout, stderr and the exit code separately; `child` is
 * there for tests that signal it. The environment is `testEnv`'s, with PAGER=cat: forced-TTY
 * output goes through the pager path, and nothing waits for a key.
 */
export function spawnPapers(args: string[], opts: RunOptions = {}): { child: ChildProcessWithoutNullStreams; result: Promise<RunResult> } {
  const env = testEnv({ PAGER: 'cat', ...opts.env });
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: opts.cwd ?? ROOT, ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}) });
  const result = new Promise<RunResult>((done, fail) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ stdout, stderr, code, signal }));
  });
  if (opts.input !== undefined) child.stdin.end(opts.input);
  else child.stdin.end();
  return { child, result };
}

/** Run `papers ARGS` (see spawnPapers) and wait for it to end. */
export function runPapers(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return spawnPapers(args, opts).result;
}

/** `runPapers` bound to one database. */
export function withDb(db = tempDb()) {
  const run = (args: string[], opts: RunOptions = {}) => runPapers(args, { ...opts, env: { PAPERS_DB: db, ...opts.env } });
  return { db, run };
}

/** Remove SGR color codes. */
export const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
