/** Opening the database: path, pragmas, migrations, and SQLite errors → DatabaseError. */
import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseError } from '../errors.js';
import { toDatabaseError } from './db-errors.js';

export { toDatabaseError };
import { identify, isWalMode, peekWalFile, readHeader, refuseUnlessOurs } from './identity.js';
import { spaceCjk } from './cjk.js';
import { MIGRATIONS, runMigration, SCHEMA_VERSION, upgradeReadsEveryPaper } from './schema.js';
import { openSqlite } from './sqlite.js';
import { titleHash } from './title-hash.js';

export type Db = Database.Database;

/** How long a statement waits for another process's write lock before "locked" (exit 5). */
export const BUSY_TIMEOUT_MS = 30_000;

/** The page size of a database papers creates (bench/run.mjs's sqlite3 baseline reads it). */
export const PAGE_SIZE = 32768;

/**
 * The page cache of a command that reads. A process reads most pages once, and a page read
 * into memory never touched costs a page fault per 4 KiB (~12 µs each in a VM): in a 16 MB
 * cache nearly every page read lands in fresh memory, a 2 MB cache recycles its buffers.
 * At 1M papers that is about a third of a rare word's search.
 */
export const READ_CACHE_KIB = 2000;

/** The page cache of a write of papers: an import revisits B-tree and index pages, and is slower with 2 MB. */
const WRITE_CACHE_KIB = 16000;

/** Give `db` the larger cache of a write of many papers (storeListing, the index build); idempotent. */
export function useWriteCache(db: Db): void {
  db.pragma(`cache_size = -${WRITE_CACHE_KIB}`);
}

/**
 * Open (creating if needed) and migrate the database at `path`.
 *
 * Nothing is written before the file is known to be ours (identity.ts): a foreign or newer
 * database is refused byte-identical. WAL mode is switched on only after the migrations,
 * which run in rollback mode for a new file, so that two processes creating the same file
 * queue on one IMMEDIATE transaction instead of deadlocking on the journal-mode switch.
 */
export function openDatabase(path: string, busyTimeout = BUSY_TIMEOUT_MS, onUpgrade?: UpgradeListener): Db {
  let db: Db;
  try {
    if (path !== ':memory:') {
      try {
        mkdirSync(dirname(path), { recursive: true });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        throw new DatabaseError(`cannot create the folder of ${path} (${code}); check its permissions, or pass another --db`);
      }
    }
    const header = path === ':memory:' ? null : readHeader(path);
    if (header && isWalMode(header)) {
      const peeked = peekWalFile(path);
      if (peeked) refuseUnlessOurs(peeked, path);
    }
    // A waiting writer may queue behind several import batches (each holds the lock for seconds).
    db = openSqlite(path, { timeout: busyTimeout });
    registerFunctions(db);
  } catch (err) {
    throw toDatabaseError(err, path);
  }
  try {
    const identity = identify(db);
    refuseUnlessOurs(identity, path);
    if (identity.kind === 'new') {
      // Larger pages make a smaller table and faster inserts; only settable before the first
      // table. 32 KiB against 16 KiB: 2% smaller at 100k papers, a scan ~6% faster, a rare
      // lookup ~6% slower (it reads twice the bytes a page).
      db.pragma(`page_size = ${PAGE_SIZE}`);
    }
    migrate(db, path, onUpgrade);
    // Said after the page size is known: a cache sized before a new file's page_size keeps
    // the page count of the 4 KiB default (125 MB of RSS at 32 KiB pages, measured).
    db.pragma(`cache_size = -${READ_CACHE_KIB}`);
    useWal(db, busyTimeout);
    // WAL + NORMAL: a committed transaction survives a crash of the process; at worst the
    // last one is lost on power failure, never corrupted.
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    db.close();
    throw toDatabaseError(err, path);
  }
  return db;
}

/**
 * The SQL functions papers' schema and queries call. A connection without them (the sqlite3
 * shell) reads every table, but not the text of papers_fts nor a delete from papers.
 */
export function registerFunctions(db: Db): void {
  // Compatibility form (`ﬁ` → `fi`, `ＧＰＴ` → `GPT`) for matching typed text in SQL, as fts-query.ts does in JS.
  db.function('nfkc', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.normalize('NFKC') : s));
  // The search index's text (schema migration 8): the view papers_fts_text and the delete trigger call it.
  db.function('cjk_spaced', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? spaceCjk(s) : s));
}

/**
 * Switch to WAL unless already there. The switch needs the file to itself, and SQLite
 * answers "busy" at once (without waiting) when another connection reads it meanwhile,
 * so wait and try again up to the busy timeout.
 */
function useWal(db: Db, busyTimeout: number): void {
  if (db.memory || db.readonly) return;
  const until = Date.now() + busyTimeout;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    try {
      if (String(db.pragma('journal_mode', { simple: true })) === 'wal') return;
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if (!(err as { code?: string }).code?.startsWith('SQLITE_BUSY') || Date.now() >= until) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
    }
  }
}

/** Hears of an existing database about to be upgraded; `slow`: a step reads every paper (seconds per 100k). */
export type UpgradeListener = (from: number, to: number, slow: boolean) => void;

/** Apply pending migrations; refuse a database made by a newer version. */
export function migrate(db: Db, path: string, onUpgrade?: UpgradeListener): void {
  const current = () => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) refuseUnlessOurs({ kind: 'newer', version }, path);
    return version;
  };
  const found = current();
  if (found === SCHEMA_VERSION) return;
  if (found > 0) onUpgrade?.(found, SCHEMA_VERSION, upgradeReadsEveryPaper(found));
  // All steps in one IMMEDIATE transaction: the database is either fully upgraded or exactly
  // as it was (an older papers can still read it). Reading the version inside it also lets two
  // processes opening a new file at once skip what the other one already applied.
  let step = 0;
  // Migration 4 fills papers.title_hash from the folded titles it replaces.
  db.function('papers_title_hash', { deterministic: true }, (key) => titleHash(String(key)));
  // Migration 8 rewrites a table's declaration, which SQLite's defensive mode forbids.
  db.unsafeMode(true);
  try {
    db.transaction(() => {
      for (let v = current(); v < SCHEMA_VERSION; v++) {
        step = v + 1;
        runMigration(db, MIGRATIONS[v]!);
        db.pragma(`user_version = ${v + 1}`);
      }
    }).immediate();
  } catch (err) {
    if (err instanceof DatabaseError || (err as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw err;
    throw new DatabaseError(
      found === 0
        ? `${path}: could not create the database (${(err as Error).message}); check that its folder is writable and has space, then run papers again`
        : `${path}: could not upgrade the database to schema ${step} (${(err as Error).message}); it is unchanged — move it aside, or remove what conflicts, and run papers again`,
    );
  } finally {
    db.unsafeMode(false);
  }
}
