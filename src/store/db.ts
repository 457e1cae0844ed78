/** Opening the database: path, pragmas, migrations, and SQLite errors → DatabaseError. */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseError, PapersError } from '../errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

export type Db = Database.Database;

/** Open (creating if needed) and migrate the database at `path`. */
export function openDatabase(path: string): Db {
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const isNew = path === ':memory:' || !existsSync(path);
    db = new Database(path, { timeout: 5000 });
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
  // Two processes can open a new file at once (two `papers fetch` on a fresh machine): read the
  // version again inside each IMMEDIATE transaction, so a step the other one already applied is
  // skipped instead of failing with "table papers already exists".
  for (let done = false; !done; ) {
    db.transaction(() => {
      const v = current();
      if (v === SCHEMA_VERSION) {
        done = true;
        return;
      }
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/** Turn an SQLite error into a one-line DatabaseError naming the file and what to do. */
export function toDatabaseError(err: unknown, path: string): Error {
  if (err instanceof PapersError) return err;
  const code = (err as { code?: string }).code ?? '';
  const msg = (err as Error).message ?? String(err);
  if (!code.startsWith('SQLITE_') && !/database|sqlite/i.test(msg)) return err as Error;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new DatabaseError(`${path} is locked by another papers process; try again in a moment`);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new DatabaseError(`${path} is not a usable papers database (${msg}); move it aside or pass another --db`);
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new DatabaseError(`${path} is read-only; check its permissions and its folder's`);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new DatabaseError(`cannot open ${path}; check that its folder exists and is writable`);
  }
  if (code === 'SQLITE_FULL') {
    return new DatabaseError(`disk full while writing ${path}; free some space and run the command again (nothing was changed)`);
  }
  return new DatabaseError(`${path}: ${msg}`);
}
