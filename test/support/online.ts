/**
 * The harness of the tests that fetch: the loopback fault server serving the fixtures as
 * HF_ENDPOINT, `papers` run online against it in-process with a temp database (`runProcess`,
 * or `env()` for `spawnPapers`, when a test needs a real process: signals, two processes at
 * once), and ways to check the database afterwards.
 *
 * "Unchanged" compares every row of every table (FTS5's shadow tables included), the schema
 * version and the journal mode, and whether a WAL was left behind — all but `host_failures`,
 * where a failed fetch notes the host that failed so the next listing does not wait for it
 * again (that note is checked on its own). Merges are checked on a dump of the tables.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { registerFunctions } from '../../src/store/db.js';
import { startFaultServer, type FaultServer } from './fault-server.js';
import { runInProcess, type InProcessOptions } from './in-process.js';
import { FIXTURES, runPapers, tempDb, type RunResult } from './run.js';

export const API = '/api/daily_papers';
/** "Now" of the tests: 2025-06-09 and everything before it are "older" days. */
export const NOW = '2025-06-12T10:00:00Z';
/** An API fixture with no listing page: a failing API cannot be rescued. */
export const OLD_DAY = '2025-01-21';
/** An API fixture with a listing page (fixtures/hf-html). */
export const PAGE_DAY = '2025-06-09';
/** Faults on both the API and the listing pages. */
export const BOTH = /^\/(api\/daily_papers|papers\/date\/)/;

export const hf = (name: string) => join(FIXTURES, 'hf-api', name);
/** The items of the PAGE_DAY fixture. */
export const sample = JSON.parse(readFileSync(hf('hfdp-ml_2025-06-09.json'), 'utf8')) as Array<{ paper: { id: string; title: string; upvotes: number } }>;

export type Env = Record<string, string | undefined>;

/** What "unchanged" compares (see the top of this file), as bytes to compare with `equals`. */
export function snapshot(db: string): Buffer {
  const walLeft = existsSync(`${db}-wal`);
  const conn = new Database(db, { readonly: true });
  registerFunctions(conn); // papers_fts reads its text through them
  try {
    const tables = conn
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'host_failures' ORDER BY name")
      .pluck()
      .all() as string[];
    const rows = Object.fromEntries(
      tables.map((t) => [t, (conn.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'bigint' ? String(v) : v))).sort()]),
    );
    const schema = conn.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    const state = { walLeft, userVersion: conn.pragma('user_version', { simple: true }), journal: conn.pragma('journal_mode', { simple: true }), schema, rows };
    return Buffer.from(JSON.stringify(state));
  } finally {
    conn.close();
  }
}

/** The failures a database remembers per host (what listings consult before asking again). */
export function hostFailures(db: string): Array<{ host: string; failed_at: string; retry_at: string | null; reason: string }> {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare('SELECT host, failed_at, retry_at, reason FROM host_failures ORDER BY host').all() as Array<{ host: string; failed_at: string; retry_at: string | null; reason: string }>;
  } finally {
    conn.close();
  }
}

/** The rows of the tables a fetch writes. */
export function dump(db: string) {
  const conn = new Database(db);
  try {
    return {
      papers: conn.prepare('SELECT id, title, upvotes, comments FROM papers ORDER BY id').all() as Array<{ id: string; upvotes: number | null }>,
      listings: conn.prepare('SELECT source, day, paper_id, rank, upvotes FROM listings ORDER BY day, paper_id').all() as Array<{ day: string; paper_id: string; rank: number; upvotes: number | null }>,
      fetches: conn.prepare('SELECT source, period, fetched_at, item_count, status, detail FROM fetches ORDER BY id').all() as Array<Record<string, unknown>>,
    };
  } finally {
    conn.close();
  }
}

/** stderr as lines, without the empty one after the last newline. */
export const lines = (r: RunResult) => r.stderr.split('\n').filter((l) => l !== '');

/** Poll until `cond` holds. */
export async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Start a fault server for this test file (reset before each test) and build a seeded
 * database template: one imported day and one fetched day, so `fetches` has a row.
 */
export function onlineHarness() {
  let server: FaultServer | null = null;
  let template = '';

  /** Online against the fault server, no retries, a temp database. */
  const online = (db = tempDb()) => {
    const env = (extra: Env = {}): Env => ({
      PAPERS_DB: db,
      HF_ENDPOINT: server!.url,
      PAPERS_OFFLINE: undefined,
      PAPERS_NOW: NOW,
      PAPERS_RETRIES: '0',
      PAPERS_TIMEOUT: '5',
      ...extra,
    });
    const run = (args: string[], extra: Env = {}, opts: InProcessOptions = {}) => runInProcess(args, { ...opts, env: env(extra) });
    /** The same in a process of its own: for runs that must race another process. */
    const runProcess = (args: string[], extra: Env = {}) => runPapers(args, { env: env(extra) });
    return { db, run, runProcess, env };
  };

  beforeAll(async () => {
    server = await startFaultServer({ fixturesDir: join(FIXTURES, 'hf-api'), htmlDir: join(FIXTURES, 'hf-html') });
    const o = online();
    expect((await o.run(['import', hf('hfdp-zh_2024-03-12.json')])).code).toBe(0);
    expect((await o.run(['fetch', '--date', '2024-03-13'])).code).toBe(0);
    expect(existsSync(`${o.db}-wal`)).toBe(false);
    template = o.db;
  });
  afterAll(async () => server?.close());
  beforeEach(() => server!.reset());

  return {
    get server(): FaultServer {
      return server!;
    },
    online,
    /** A copy of the seeded database. */
    seeded() {
      const db = tempDb();
      copyFileSync(template, db);
      return online(db);
    },
    /** The requests the API received, as `date=…` values. */
    apiDays: () => server!.requests.filter((r) => r.url.startsWith(API)).map((r) => new URL(r.url, 'http://x').searchParams.get('date')),
    /** The requests the API received, as `date=…`, `week=…` or `month=…` with their page (`week=2025-W18&p=0`). */
    apiQueries: () =>
      server!.requests
        .filter((r) => r.url.startsWith(API))
        .map((r) => {
          const q = new URL(r.url, 'http://x').searchParams;
          const [param] = ['date', 'week', 'month'].filter((k) => q.has(k));
          return `${param}=${q.get(param!)}&p=${q.get('p')}`;
        }),
  };
}
