/**
 * The SQL of arXiv's turn (fetch/gate.ts decides when to wait): a lock file beside the
 * database, itself a tiny SQLite database whose write lock is the turn and whose one row is
 * when the last request ended. Nothing here waits: a lock held by another process throws
 * at once (see `isBusy`), and the gate tries again after an async sleep.
 */
import type Database from 'better-sqlite3';
import { toDatabaseError } from './db.js';
import { openSqlite } from './sqlite.js';

/** The lock file, open. */
export interface TurnFile {
  /** Switch the file to WAL, so a commit never waits for a process that is only looking. */
  useWal(): void;
  /** Take the turn (BEGIN IMMEDIATE). */
  lock(): void;
  /** Create the table of the last end if it is missing (with the turn held). */
  createTable(): void;
  /** Epoch ms when the last request ended (0: never). */
  lastEnd(): number;
  /** Record when this request ended (with the turn held). */
  setLastEnd(ms: number): void;
  /** Commit and give the turn up. */
  unlock(): void;
  /** Give the turn up without writing, if it is held. */
  release(): void;
  close(): void;
}

/** True for the error of a lock another process holds. */
export function isBusy(err: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test((err as { code?: string }).code ?? '');
}

/** Open (creating if needed) the lock file at `path`; a file that cannot be opened is a DatabaseError. */
export function openTurnFile(path: string): TurnFile {
  let db: Database.Database;
  try {
    // timeout 0: a busy lock fails at once, and the gate waits asynchronously instead.
    db = openSqlite(path, { timeout: 0 });
  } catch (err) {
    throw toDatabaseError(err, path);
  }
  return {
    useWal: () => db.exec('PRAGMA journal_mode = WAL'),
    lock: () => db.exec('BEGIN IMMEDIATE'),
    createTable: () => db.exec('CREATE TABLE IF NOT EXISTS gate (id INTEGER PRIMARY KEY CHECK (id = 1), last_end INTEGER NOT NULL)'),
    lastEnd: () => db.prepare<[], { last_end: number }>('SELECT last_end FROM gate WHERE id = 1').get()?.last_end ?? 0,
    setLastEnd: (ms) => void db.prepare('INSERT INTO gate (id, last_end) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET last_end = excluded.last_end').run(ms),
    unlock: () => db.exec('COMMIT'),
    release: () => {
      if (db.inTransaction) db.exec('ROLLBACK');
    },
    close: () => db.close(),
  };
}
