/**
 * The search index's backlog. A bulk import writes papers without indexing them and builds
 * the index once at the end, in large chunks (FTS5 writes big segments instead of merging
 * thousands of small ones). The one row of `fts_pending` (schema 9) says where the unindexed
 * papers start: every paper with pk >= from_pk is missing from papers_fts, every paper below
 * it is there. Each write keeps that true in its own transaction, so a kill at any point leaves
 * a backlog that any process can finish, chunk by chunk, and search is never silently partial.
 */
import type { Db } from './db.js';

/** Papers indexed per transaction when a backlog is built: big segments, a bounded WAL, a few seconds between chances to stop. */
export const INDEX_CHUNK = 50_000;

/** The backlog, if there is one. */
export interface Backlog {
  /** The first unindexed paper's pk. */
  fromPk: number;
  /** The importing process while it runs; null once it stopped. */
  pid: number | null;
  /** Papers not in the index yet. */
  papers: number;
}

/** The first unindexed pk (inside a write transaction: what the writer must leave out of the index), or null. */
export function pendingFrom(db: Db): number | null {
  const row = db.prepare<[], { from_pk: number }>('SELECT from_pk FROM fts_pending').get();
  return row ? row.from_pk : null;
}

/** The backlog as it stands, or null when every paper is indexed. */
export function backlog(db: Db): Backlog | null {
  const row = db.prepare<[], { from_pk: number; pid: number | null }>('SELECT from_pk, pid FROM fts_pending').get();
  if (!row) return null;
  const papers = db.prepare<[number], number>('SELECT count(*) FROM papers WHERE pk >= ?').pluck().get(row.from_pk) ?? 0;
  return { fromPk: row.from_pk, pid: row.pid, papers };
}

/**
 * Start leaving new papers out of the index (inside the writer's transaction): a backlog from
 * the next pk on, unless one exists, which this process then owns.
 */
export function openBacklog(db: Db, pid: number, now: string): number {
  const from = pendingFrom(db);
  if (from !== null) {
    db.prepare('UPDATE fts_pending SET pid = ?').run(pid);
    return from;
  }
  const next = (db.prepare<[], number>('SELECT coalesce(max(pk), 0) + 1 FROM papers').pluck().get() ?? 1);
  db.prepare('INSERT INTO fts_pending (one, from_pk, pid, since) VALUES (1, ?, ?, ?)').run(next, pid, now);
  return next;
}

/** The importing process stopped without building the index: the backlog is anyone's to finish. */
export function releaseBacklog(db: Db, pid: number): void {
  db.prepare('UPDATE fts_pending SET pid = NULL WHERE pid = ?').run(pid);
}

/**
 * Index the next `chunk` papers of the backlog in one IMMEDIATE transaction; returns how many
 * were indexed and whether the backlog is gone. Safe in several processes at once: each chunk
 * re-reads where the backlog starts (another process may have indexed it, or added to it).
 */
export function indexChunk(db: Db, chunk = INDEX_CHUNK): { indexed: number; done: boolean } {
  let indexed = 0;
  let done = false;
  db.transaction(() => {
    const from = pendingFrom(db);
    if (from === null) {
      done = true;
      return;
    }
    const to = from + chunk;
    indexed = db
      .prepare<[number, number]>('INSERT INTO papers_fts (rowid, title, abstract, authors, keywords) SELECT pk, title, abstract, authors, keywords FROM papers_fts_text WHERE pk >= ? AND pk < ?')
      .run(from, to).changes;
    if (to > (db.prepare<[], number>('SELECT coalesce(max(pk), 0) FROM papers').pluck().get() ?? 0)) {
      db.prepare('DELETE FROM fts_pending').run();
      done = true;
    } else {
      db.prepare('UPDATE fts_pending SET from_pk = ?').run(to);
    }
  }).immediate();
  return { indexed, done };
}

/** Index the whole backlog, chunk by chunk (also what other processes add meanwhile); `onChunk` hears the papers indexed so far. */
export function buildBacklog(db: Db, opts: { chunk?: number; onChunk?: (indexed: number) => void } = {}): number {
  let total = 0;
  for (let done = false; !done; ) {
    const step = indexChunk(db, opts.chunk);
    total += step.indexed;
    done = step.done;
    opts.onChunk?.(total);
  }
  return total;
}

/** True when `pid` is a running process (other than this one: a backlog this process left is stale). */
export function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
