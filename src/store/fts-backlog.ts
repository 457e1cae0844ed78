/**
 * The search index's backlog. A bulk import writes papers without indexing them and builds
 * the index once at the end, in large chunks (FTS5 writes big segments instead of merging
 * thousands of small ones). The one row of `fts_pending` (schema 9) says where the unindexed
 * papers start: every paper with pk >= from_pk is missing from papers_fts, every paper below
 * it is there. Each write keeps that true in its own transaction, so a kill at any point leaves
 * a backlog that any process can finish, chunk by chunk, and search is never silently partial.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { useWriteCache, type Db } from './db.js';
import { storeWords, wordsOfRange } from './fts-words.js';

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

/** Where the next chunk of the backlog starts and ends (inside the write transaction), or null: none left. */
function nextChunk(db: Db, chunk: number): { from: number; to: number } | null {
  const from = pendingFrom(db);
  return from === null ? null : { from, to: from + chunk };
}

/** Give the papers with pk in [from, to) to the index; returns how many. */
function indexRange(db: Db, from: number, to: number): number {
  return db
    .prepare<[number, number]>('INSERT INTO papers_fts (rowid, title, abstract, authors, keywords) SELECT pk, title, abstract, authors, keywords FROM papers_fts_text WHERE pk >= ? AND pk < ?')
    .run(from, to).changes;
}

/** Move the backlog's start past `to`, or remove it when no paper is left; returns whether it is gone. */
function advance(db: Db, to: number): boolean {
  if (to > (db.prepare<[], number>('SELECT coalesce(max(pk), 0) FROM papers').pluck().get() ?? 0)) {
    db.prepare('DELETE FROM fts_pending').run();
    return true;
  }
  db.prepare('UPDATE fts_pending SET from_pk = ?').run(to);
  return false;
}

/**
 * Index the next `chunk` papers of the backlog, and store their words (fts-words.ts), in one
 * IMMEDIATE transaction; returns how many were indexed and whether the backlog is gone. Safe in
 * several processes at once: each chunk re-reads where the backlog starts (another process may
 * have indexed it, or added to it).
 */
export function indexChunk(db: Db, chunk = INDEX_CHUNK): { indexed: number; done: boolean } {
  let indexed = 0;
  let done = true;
  let wordsCommitted = () => {};
  useWriteCache(db);
  db.transaction(() => {
    const range = nextChunk(db, chunk);
    if (!range) return;
    indexed = indexRange(db, range.from, range.to);
    wordsCommitted = storeWords(db, wordsOfRange(db, range.from, range.to));
    done = advance(db, range.to);
  }).immediate();
  wordsCommitted();
  return { indexed, done };
}

/**
 * indexChunk, with the words worked out by `wordsOf` (a worker thread: words-worker.ts) while
 * this thread indexes. The worker reads the same papers: this transaction holds the write lock
 * from before it asks, so no other process changes them in between, and this one does not.
 */
export async function indexChunkBeside(db: Db, wordsOf: (from: number, to: number) => Promise<string[]>, chunk = INDEX_CHUNK): Promise<{ indexed: number; done: boolean }> {
  useWriteCache(db);
  db.exec('BEGIN IMMEDIATE');
  try {
    const range = nextChunk(db, chunk);
    if (!range) {
      db.exec('COMMIT');
      return { indexed: 0, done: true };
    }
    const words = wordsOf(range.from, range.to);
    // Handled when awaited below; until then a rejection is not unhandled.
    words.catch(() => {});
    const indexed = indexRange(db, range.from, range.to);
    const wordsCommitted = storeWords(db, await words);
    const done = advance(db, range.to);
    db.exec('COMMIT');
    wordsCommitted();
    return { indexed, done };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

/** A worker thread working out the words of chunks (words-worker.ts), one at a time. */
export interface WordsWorker {
  wordsOf(from: number, to: number): Promise<string[]>;
  close(): Promise<void>;
}

/** The words worker failed (it could not start, open the database, or answer): the caller can do without it. */
export class WordsWorkerError extends Error {}

/**
 * A words worker for `db`, or null where there is none: an in-memory database, or the worker's
 * module not built beside this one (tests of the TypeScript sources), where indexChunk does all.
 * One question at a time; an answer is taken only for the range it names, and a question left
 * unanswered (its chunk failed) ends the worker, so a late answer never stands for another chunk.
 */
export function wordsWorker(db: Db): WordsWorker | null {
  if (db.memory) return null;
  const entry = ['./words-worker.js', './store/words-worker.js'].map((rel) => new URL(rel, import.meta.url)).find((url) => existsSync(fileURLToPath(url)));
  if (!entry) return null;
  // A small young generation: the worker reads each paper's text once, and V8 would otherwise
  // let that garbage grow by tens of MB before collecting (import peak RSS is a target).
  const worker = new Worker(entry, { workerData: { path: db.name }, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  let waiting: { from: number; resolve(words: string[]): void; reject(err: Error): void } | null = null;
  let failure: Error | null = null;
  const fail = (err: Error) => {
    failure ??= err instanceof WordsWorkerError ? err : new WordsWorkerError(`the words worker failed: ${err.message}`);
    waiting?.reject(failure);
    waiting = null;
  };
  worker.on('message', (m: { from: number; words?: string[]; error?: string }) => {
    if (waiting === null || m.from !== waiting.from) return fail(new WordsWorkerError('the words worker answered for another chunk'));
    const w = waiting;
    waiting = null;
    if (m.error !== undefined) fail(new WordsWorkerError(`the words worker failed: ${m.error}`));
    else w.resolve(m.words!);
  });
  worker.on('error', fail);
  worker.on('exit', () => fail(new WordsWorkerError('the words worker stopped without an answer')));
  return {
    wordsOf: (from, to) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        if (waiting) {
          fail(new WordsWorkerError('the words worker was asked again before it answered'));
          return reject(failure);
        }
        waiting = { from, resolve, reject };
        worker.postMessage([from, to]);
      }),
    close: async () => {
      await worker.terminate();
    },
  };
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
