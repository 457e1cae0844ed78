/** Spawn the built `papers` binary the way a user would, with a temp database. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/papers.js');
export const FIXTURES = join(ROOT, 'fixtures');

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  cwd?: string;
}

/** A fresh temp folder and a database path inside it. */
export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'papers-e2e-')), 'papers.db');
}

/**
 * Run `papers ARGS` and collect stdout, stderr and the exit code separately.
 * The environment is scrubbed of color/TTY variables so tests decide them.
 */
export function runPapers(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'CLICOLOR', 'CLICOLOR_FORCE', 'COLUMNS', 'PAPERS_FORCE_TTY', 'PAPERS_DB', 'HF_TOKEN', 'HF_ENDPOINT']) {
    delete env[k];
  }
  Object.assign(env, { PAPERS_TEST: '1', PAPERS_NOW: '2025-06-10T08:00:00Z' }, opts.env);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, cwd: opts.cwd ?? ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ stdout, stderr, code, signal }));
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** `runPapers` bound to one database. */
export function withDb(db = tempDb()) {
  const run = (args: string[], opts: RunOptions = {}) => runPapers(args, { ...opts, env: { PAPERS_DB: db, ...opts.env } });
  return { db, run };
}

/** Remove SGR color codes. */
export const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
