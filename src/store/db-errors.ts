/**
 * SQLite errors → one-line DatabaseErrors (exit 5) naming the file and what to do.
 * Apart from db.ts so that cli.ts can map errors without loading better-sqlite3.
 */
import { DatabaseError, PapersError } from '../errors.js';

/**
 * Why a write was refused when the database can still be read: another process holds the
 * write lock past the busy timeout, or the file (or its folder, or the file system) is
 * read-only. Null for any other error. Bookkeeping writes (the numbers of a listing, host
 * failures) skip on these instead of failing what was asked.
 */
export function writeRefusal(err: unknown): 'busy' | 'read-only' | null {
  const code = String((err as { code?: unknown }).code ?? '');
  if (code.startsWith('SQLITE_BUSY')) return 'busy';
  if (code.startsWith('SQLITE_READONLY')) return 'read-only';
  return null;
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
  if (code.startsWith('SQLITE_IOERR') || /EFBIG|ENOSPC|file too large/i.test(msg)) {
    return new DatabaseError(`could not write ${path} (${msg}): the disk is full or the file too large; free some space and run the command again (nothing was changed)`);
  }
  return new DatabaseError(`${path}: ${msg}; check the file and the disk, or pass another --db`);
}
