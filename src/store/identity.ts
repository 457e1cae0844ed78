/**
 * "Is this a papers database?", decided before anything is written to the file.
 *
 * A path that does not exist, an empty file, or an SQLite file without tables becomes a
 * papers database. A file with tables is ours when it has the `papers` table and a
 * user_version papers wrote (1 … SCHEMA_VERSION); with a higher version it is from a newer
 * papers; anything else (another program's database, a file that is not SQLite) is refused
 * and left exactly as it was.
 *
 * Two looks, because opening a WAL-mode file with SQLite creates its -wal and -shm files (and
 * a read-only connection cannot even remove them again): a WAL-mode file is first judged from
 * its schema pages read as plain bytes (`peekWalFile`), and only opened if they say it is
 * ours. The look through the real connection (`identify`) is the authority for every file.
 */
import type Database from 'better-sqlite3';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { DatabaseError } from '../errors.js';
import { SCHEMA_VERSION } from './schema.js';
import { readSchemaPages, SQLITE_MAGIC, type SchemaPages } from './schema-pages.js';

export type Identity =
  | { kind: 'new' }
  | { kind: 'ours'; version: number }
  | { kind: 'newer'; version: number }
  | { kind: 'foreign'; tables: string[] };


/** What a connection's schema says: the authority, read before any write. */
export function identify(db: Database.Database): Identity {
  // One read transaction, so the version and the tables are of one moment: another process
  // creating this database may commit its tables between two separate reads.
  return db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter(
      (name) => !name.startsWith('sqlite_'),
    );
    return judge(version, tables);
  })();
}

function judge(version: number, tables: string[]): Identity {
  if (tables.length === 0 && version === 0) return { kind: 'new' };
  if (!tables.includes('papers') || version < 1) return { kind: 'foreign', tables };
  if (version > SCHEMA_VERSION) return { kind: 'newer', version };
  return { kind: 'ours', version };
}

/** Refuse what is not ours (exit 5), in one line naming the file. */
export function refuseUnlessOurs(identity: Identity, path: string): void {
  if (identity.kind === 'foreign') {
    const { tables } = identity;
    const what = tables.length
      ? `it holds another program's tables: ${tables.slice(0, 3).join(', ')}${tables.length > 3 ? ', …' : ''}`
      : 'it has a user_version but no tables';
    throw new DatabaseError(`${path} is not a papers database (${what}); it was left untouched — pass another --db`);
  }
  if (identity.kind === 'newer') {
    throw new DatabaseError(
      `${path} was written by a newer version of papers (schema ${identity.version}, this one knows ${SCHEMA_VERSION}); upgrade papers or use another --db`,
    );
  }
}

/**
 * The file's first bytes, when they say how it must be opened: null for a path that does not
 * exist or an empty file; an error for a file that is not SQLite at all.
 */
export function readHeader(path: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    if (!statSync(path).isFile()) throw new DatabaseError(`${path} is not a regular file; pass a file path with --db`);
    const head = Buffer.alloc(100);
    const n = readSync(fd, head, 0, 100, 0);
    if (n === 0) return null;
    if (n < 100 || head.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
      throw new DatabaseError(`${path} is not a papers database (not an SQLite file); it was left untouched — pass another --db`);
    }
    return head;
  } finally {
    closeSync(fd);
  }
}

/** Bytes 18 and 19 of the header are 2 in a WAL-mode database. */
export const isWalMode = (header: Buffer): boolean => header[18] === 2 && header[19] === 2;

/**
 * Judge a WAL-mode file from its schema pages read with plain file reads (schema-pages.ts),
 * without opening it. Null when they cannot tell (bytes that are not a schema SQLite wrote,
 * a file that keeps changing): the caller then opens the file and asks `identify`.
 *
 * The pages are read without SQLite's locks, so a checkpoint in progress can tear them: new
 * pages beside old ones, a schema that names no `papers` table. "Ours" is checked again
 * by the real connection anyway; anything else counts only when the same bytes are read
 * again twice, a moment apart.
 */
export function peekWalFile(path: string, read: (path: string) => SchemaPages | null = readSchema): Identity | null {
  let schema = read(path);
  if (!schema) return null;
  let verdict = judgeSchema(schema);
  let confirmations = 0;
  for (let reads = 1; (verdict.kind === 'foreign' || verdict.kind === 'newer') && confirmations < CONFIRMATIONS; reads++) {
    if (reads > MAX_READS) return null;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, CONFIRM_PAUSE_MS);
    const again = read(path);
    if (!again) return null;
    if (again.bytes.equals(schema.bytes)) {
      confirmations++;
    } else {
      confirmations = 0;
      schema = again;
      verdict = judgeSchema(again);
    }
  }
  return verdict;
}

const CONFIRMATIONS = 2;
const CONFIRM_PAUSE_MS = 20;
const MAX_READS = 20;

/** The schema pages of the file at `path`, or null. */
function readSchema(path: string): SchemaPages | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return readSchemaPages((offset, length) => {
      const buf = Buffer.allocUnsafe(length);
      return readSync(fd, buf, 0, length, offset) === length ? buf : null;
    });
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** What schema pages say of the file. */
export function judgeSchema(schema: SchemaPages): Identity {
  return judge(schema.version, schema.tables.filter((name) => !name.startsWith('sqlite_')));
}
