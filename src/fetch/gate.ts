/**
 * arXiv's rule for its API and feeds — at most one request every 3 seconds, one connection
 * at a time — kept across processes: two `papers fetch` (or a `fetch` and a `today`) on one
 * database take turns.
 *
 * The turn is a lock file next to the database (`papers.db-arxiv.lock`), itself a tiny
 * SQLite database: a request runs inside a `BEGIN IMMEDIATE` transaction on it, and the
 * time the last request ended is a row in it (the SQL is store/turns.ts's). SQLite's locks
 * are the operating system's, so a process that dies (even by SIGKILL) releases its turn at
 * once — no stale lock files, no pid checks — and the time survives in the file for the
 * next process. A second file rather than a table of the database itself: holding the
 * database's write lock for the length of an HTTP request would block every other writer.
 *
 * Waiting never blocks the event loop: the lock is tried without SQLite's busy handler
 * (which sleeps inside C) and tried again after a short async sleep, so Ctrl-C, timers
 * and the progress bar keep working. The spacing is measured on the wall clock from the
 * end of one request (retries included) to the start of the next — from the start it would
 * shrink by whatever delays the first bytes (a new connection, loading the HTTP stack) —
 * and nobody holds the lock while waiting it out.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { InterruptedError, TurnTimeoutError } from '../errors.js';
import { formatDuration } from '../net/_retry.js';
import { toDatabaseError } from '../store/db.js';
import { isBusy, openTurnFile, type TurnFile } from '../store/turns.js';

/** The lock file of the database at `dbPath` (in memory for an in-memory database). */
export function gatePath(dbPath: string): string {
  return dbPath === ':memory:' ? ':memory:' : `${dbPath}-arxiv.lock`;
}

/** How long to sleep between two tries of a busy lock. */
const POLL_MS = 40;
/** Someone else holding the turn this long gets a note (once). */
const NOTE_AFTER_MS = 2000;

/** Serializes requests to one host across processes. */
export interface Gate {
  /** Run `request` when it is our turn: no other request in flight, the last one ended `delayMs` ago or more. */
  run<T>(request: () => Promise<T>): Promise<T>;
  /** Close the lock file. */
  close(): void;
}

export interface GateOptions {
  /** Minimum time from the end of one request to the start of the next. */
  delayMs: number;
  /** Aborting it ends a wait with InterruptedError. */
  signal?: AbortSignal;
  /** Told once when another process has kept us waiting a while. */
  onWait?: () => void;
  /** The clock (tests). */
  now?: () => number;
  /** Epoch ms (on the real clock) past which no wait goes on: the command's time budget; asked afresh each time. */
  deadline?: () => number;
}

/** Open (creating if needed) the lock file at `path`. */
export function openGate(path: string, opts: GateOptions): Gate {
  const now = opts.now ?? Date.now;
  const file: TurnFile = openTurnFile(path);
  const pause = async (ms: number) => {
    try {
      await sleep(ms, undefined, opts.signal ? { signal: opts.signal } : {});
    } catch {
      throw new InterruptedError();
    }
  };
  let waitingSince: number | null = null;
  let noted = false;
  const deadline = opts.deadline ?? (() => Infinity);
  /** Fail instead of waiting `ms` more when that would end past the budget. */
  const withinBudget = (ms: number, message: () => string) => {
    if (Date.now() + ms < deadline()) return;
    file.release();
    throw new TurnTimeoutError(message());
  };

  /** Run a step on the lock file, trying again while another process holds the lock. */
  const tryHard = async (step: () => void): Promise<void> => {
    for (;;) {
      if (opts.signal?.aborted) throw new InterruptedError();
      try {
        step();
        return;
      } catch (err) {
        if (!isBusy(err)) throw toDatabaseError(err, path);
      }
      waitingSince ??= now();
      if (!noted && now() - waitingSince > NOTE_AFTER_MS) {
        noted = true;
        opts.onWait?.();
      }
      const ms = POLL_MS / 2 + Math.random() * POLL_MS;
      const since = waitingSince;
      withinBudget(ms, () => `another papers process has held arXiv's turn for ${formatDuration(Math.max(0, now() - since))} (lock: ${path}), past the time allowed; try again once it is done`);
      await pause(ms);
    }
  };

  let ready = false;
  const setUp = async () => {
    if (ready) return;
    await tryHard(file.useWal);
    await tryHard(file.lock);
    try {
      file.createTable();
      file.unlock();
    } catch (err) {
      file.release();
      throw toDatabaseError(err, path);
    }
    ready = true;
  };

  return {
    async run(request) {
      await setUp();
      waitingSince = null;
      let waitedOut: number | null = null;
      for (;;) {
        await tryHard(file.lock);
        const last = file.lastEnd();
        // Once the delay after this request was waited out, go (even if the clock went back since).
        if (last === waitedOut) break;
        const wait = Math.min(opts.delayMs, last + opts.delayMs - now());
        if (wait <= 0) break;
        withinBudget(wait, () => `no time left to wait out arXiv's ${formatDuration(opts.delayMs)} between requests`);
        // Nobody holds the lock while waiting: whoever is next is decided when the time has passed.
        file.release();
        await pause(wait);
        waitedOut = last;
      }
      try {
        return await request();
      } finally {
        file.setLastEnd(now());
        file.unlock();
      }
    },
    close() {
      file.release();
      file.close();
    },
  };
}
