/** Opening the database: path, pragmas, migrations, and SQLite errors → DatabaseError. */
import type Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseError } from '../errors.js';
import { toDatabaseError } from './db-errors.js';

export { toDatabaseError };
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { openSqlite } from './sqlite.js';
import { titleHash } from './title-hash.js';

export type Db = Database.Database;

/** How long a statement waits for another process's write lock before "locked" (exit 5). */
export const BUSY_TIMEOUT_MS = 30_000;

/** Open (creating if needed) and migrate the database at `path`. */
export function openDatabase(path: string, busyTimeout = BUSY_TIMEOUT_MS): Db {
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
    const isNew = path === ':memory:' || !existsSync(path);
    // A waiting writer may queue behind several import batches (each holds the lock for seconds).
    db = openSqlite(path, { timeout: busyTimeout });
    if (isNew) {
      // Larger pages make a 25% smaller table and faster inserts (NOTES.md); only settable before the first table.
      db.pragma('page_size = 16384');
    }
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a committed transaction survives a crash of the process; at worst the
    // last one is lost on power failure, never corrupted.
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    throw toDatabaseError(err, path);
  }
  try {
    migrate(db, path);
  } catch (err) {
    db.close();
    throw toDatabaseError(err, path);
  }
  return db;
}

/** Apply pending migrations; refuse a database made by a newer version. */
export function migrate(db: Db, path: string): void {
  const current = () => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new DatabaseError(
        `${path} was written by a newer version of papers (schema ${version}, this one knows ${SCHEMA_VERSION}); upgrade papers or use another --db`,
      );
    }
    return version;
  };
  if (current() === SCHEMA_VERSION) return;
  // All steps in one IMMEDIATE transaction: the database is either fully upgraded or exactly
  // as it was (an older papers can still read it). Reading the version inside it also lets two
  // processes opening a new file at once skip what the other one already applied.
  let step = 0;
  // Migration 4 fills papers.title_hash from the folded titles it replaces.
  db.function('papers_title_hash', { deterministic: true }, (key) => titleHash(String(key)));
  try {
    db.transaction(() => {
      for (let v = current(); v < SCHEMA_VERSION; v++) {
        step = v + 1;
        db.exec(MIGRATIONS[v]!);
        db.pragma(`user_version = ${v + 1}`);
      }
    }).immediate();
  } catch (err) {
    if (err instanceof DatabaseError || (err as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw err;
    throw new DatabaseError(
      `${path}: could not upgrade the database to schema ${step} (${(err as Error).message}); it is unchanged — move it aside, or remove what conflicts, and run papers again`,
    );
  }
}
