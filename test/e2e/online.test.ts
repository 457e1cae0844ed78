/**
 * What fetching needs a real process for: the modules a run loads, Ctrl-C (SIGINT) during
 * a fetch, two processes writing one database at once. The harness: test/support/online.ts.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faults } from '../support/fault-server.js';
import { API, OLD_DAY, PAGE_DAY, dump, onlineHarness, sample, snapshot, waitFor, type Env } from '../support/online.js';
import { BIN, ROOT, runPapers, shellStatus, spawnPapers, testEnv } from '../support/run.js';

const h = onlineHarness();
const { online, apiDays, seeded } = h;

describe('start-up cost', () => {
  it('--offline loads neither undici nor cheerio (start-up cost); a fetch loads undici only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-trace-'));
    const hook = `--import=${join(ROOT, 'test/support/trace-imports.mjs')}`;
    // The trace is of a real process's imports.
    const { env: onlineEnv } = online();
    const traced = async (name: string, args: string[], env: Env = {}) => {
      const file = join(dir, name);
      await runPapers(args, { env: onlineEnv({ NODE_OPTIONS: hook, PAPERS_TRACE_IMPORTS: file, ...env }) });
      return readFileSync(file, 'utf8');
    };
    const offline = await traced('offline', ['today', '--offline']);
    // The trace sees the command run (bin/papers.cjs compiles the bundle itself, so it is not
    // in the trace) as far as opening the database.
    expect(offline).toMatch(/\/bin\/papers\.cjs/);
    expect(offline).toMatch(/node_modules\/better-sqlite3\//);
    expect(offline).not.toMatch(/undici|cheerio/);
    const fetched = await traced('online', ['today'], { PAPERS_NOW: '2025-06-09T12:00:00Z' });
    expect(fetched).toMatch(/node_modules\/undici\//);
    expect(fetched).not.toMatch(/cheerio/);
    const fresh = await traced('fresh', ['today'], { PAPERS_NOW: '2025-06-09T12:10:00Z' });
    expect(fresh).not.toMatch(/undici|cheerio/);
  });
});

describe('interruption and concurrency', () => {
  it.each([
    ['Ctrl-C', 'SIGINT', 130],
    ['SIGTERM', 'SIGTERM', 143],
  ] as const)('%s during a stalled fetch: one line, then the process ends by %s (status %i), the database as it was', async (_name, signal, status) => {
    const { db, env } = seeded();
    const before = snapshot(db);
    h.server.setFault(API, faults.stallBody(100));
    // --timeout 60: only the interrupt can end this fetch within the test (else exit 3, a minute later).
    const { child, result } = spawnPapers(['fetch', '--date', OLD_DAY, '--timeout', '60'], { env: env() });
    await waitFor(() => h.server.requests.length > 0);
    await new Promise((r) => setTimeout(r, 100)); // let the first bytes arrive
    child.kill(signal);
    const r = await result;
    // Its cleanup done, it dies of the signal: a shell loop or xargs running it stops too.
    expect(r.signal).toBe(signal);
    expect(shellStatus(r)).toBe(status);
    expect(r.stderr).toBe('papers: interrupted\n');
    expect(snapshot(db).equals(before)).toBe(true);
  });

  it('Ctrl-C stops a shell loop running papers, as it stops one running any program', async () => {
    const { env } = seeded();
    h.server.setFault(API, faults.stallBody(100));
    // Ctrl-C signals the terminal's whole foreground group: here, bash and papers. bash goes
    // on with its loop unless papers ended by the signal (a program that exits 130 by itself
    // looks to bash like one that handled it).
    const loop = `for i in 1 2; do "${process.execPath}" "${BIN}" fetch --date ${OLD_DAY} --timeout 60; echo "after $i: $?"; done`;
    const shell = spawn('bash', ['-c', loop], { env: testEnv(env()), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    shell.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    const ended = new Promise<NodeJS.Signals | null>((done) => shell.on('close', (_code, signal) => done(signal)));
    try {
      await waitFor(() => h.server.requests.length > 0);
      process.kill(-shell.pid!, 'SIGINT');
      expect(await ended).toBe('SIGINT');
      expect(out).toBe('');
      expect(h.server.requests.length, 'the loop never started its second fetch').toBe(1);
    } finally {
      if (shell.exitCode === null && shell.signalCode === null) process.kill(-shell.pid!, 'SIGKILL');
    }
  });

  it.each([
    ['a listing that fetched (its Ctrl-C handler listens)', [] as string[]],
    ['an offline listing (Node would die of it)', ['--offline']],
  ])('Ctrl-C while the pager shows %s is the pager\'s: papers waits for it and exits 0', async (_what, flags) => {
    const { env, run } = online();
    if (flags.includes('--offline')) expect((await run(['fetch', '--date', PAGE_DAY])).code).toBe(0);
    // A pager that, like less, ignores Ctrl-C: it takes the text, says so, and stays a moment.
    const dir = mkdtempSync(join(tmpdir(), 'papers-pager-'));
    const pager = join(dir, 'pager.sh');
    writeFileSync(pager, `#!/bin/sh\ntrap '' INT\ncat > "${dir}/paged.txt"\ntouch "${dir}/showing"\nsleep 1\n`);
    chmodSync(pager, 0o755);
    const { child, result } = spawnPapers(['list', '--date', PAGE_DAY, ...flags], { env: env({ PAGER: pager, PAPERS_FORCE_TTY: '1', LINES: '5', COLUMNS: '100' }) });
    await waitFor(() => existsSync(join(dir, 'showing')));
    child.kill('SIGINT');
    const r = await result;
    expect([r.signal, r.code]).toEqual([null, 0]);
    expect(r.stderr).not.toMatch(/interrupt/);
    expect(readFileSync(join(dir, 'paged.txt'), 'utf8')).toContain(sample[0]!.paper.title.slice(0, 20));
  });

  it('a second Ctrl-C ends the process at once, by the signal', async () => {
    const { db, env } = seeded();
    const before = snapshot(db);
    h.server.setFault(API, faults.delayHeaders(60_000));
    const { child, result } = spawnPapers(['fetch', '--date', OLD_DAY, '--timeout', '60'], { env: env() });
    await waitFor(() => h.server.requests.length > 0);
    child.kill('SIGINT');
    child.kill('SIGINT');
    expect((await result).signal).toBe('SIGINT');
    expect(snapshot(db)).toEqual(before);
  });

  it('Ctrl-C in a range keeps the days already stored; the next run fetches only the rest', async () => {
    const { db, env, run } = online();
    h.server.setFault(/date=2025-02-05/, faults.stallBody(100));
    const { child, result } = spawnPapers(['fetch', '--week', '2025-W06', '--timeout', '60'], { env: env() });
    await waitFor(() => apiDays().length === 7);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    expect(shellStatus(await result)).toBe(130);
    const conn = new Database(db);
    expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
    conn.close();
    expect(dump(db).fetches.map((f) => f.period)).not.toContain('2025-02-05');
    h.server.reset();
    const rest = await run(['fetch', '--week', '2025-W06']);
    expect(rest.code).toBe(0);
    expect(apiDays()).toContain('2025-02-05');
    expect(dump(db).listings).toHaveLength(47);
  });

  it.each([
    ['an existing database', true],
    ['a database neither has created yet', false],
  ])('two `papers fetch` at once both succeed (%s)', async (_name, seed) => {
    const { runProcess: run, db } = seed ? seeded() : online();
    const [a, b] = await Promise.all([run(['fetch', '--week', '2025-W06']), run(['fetch', '--week', '2025-W06'])]);
    // Each fetches what the other has not stored yet when it plans; on a loaded machine one
    // may finish before the other plans, which then finds the week up to date, or all of it
    // but a day with no papers, which is asked again.
    const done = expect.stringMatching(/^(fetched \d days|fetched \d{4}-\d{2}-\d{2}: 0 read, .*; 6 days already up to date|nothing to fetch: )/);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, done, done]);
    expect([a.stderr, b.stderr].some((s) => s.startsWith('fetched'))).toBe(true);
    const d = dump(db);
    expect(d.listings.filter((l) => l.day >= '2025-02-03' && l.day <= '2025-02-09')).toHaveLength(47);
    expect(new Set(d.fetches.filter((f) => f.status === 'ok').map((f) => f.period)).size).toBeGreaterThanOrEqual(7);
  });

  it('two processes opening a new database at once both migrate it (regression: "table papers already exists")', async () => {
    for (let i = 0; i < 4; i++) {
      const { runProcess: run } = online();
      const both = await Promise.all([run(['list', '--offline']), run(['list', '--offline'])]);
      expect(both.map((r) => [r.code, r.stderr.slice(0, 25)])).toEqual([
        [1, 'papers: no papers yet: fe'],
        [1, 'papers: no papers yet: fe'],
      ]);
    }
  });
});
