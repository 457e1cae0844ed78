/**
 * Streaming import of line-delimited files — our JSONL export and the arXiv metadata
 * snapshot (several GB, 2.5M+ lines). Read as a stream, committed in batches (one
 * IMMEDIATE transaction each), so memory stays flat; a kill or Ctrl-C leaves whole
 * batches only. A malformed line is counted and reported, not fatal (`--strict`: fatal).
 */
import { existsSync, promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { indexProgress, type App } from '../app.js';
import { InputError, InterruptedError, PapersError } from '../errors.js';
import type { ParsedListing } from '../model.js';
import { parsedBatches, type BadLine, type ParseJob, type ParsedBatch } from './_parse.js';
import { storeListing, type WriteStats } from '../store/write.js';
import type { Db } from '../store/db.js';
import { backlog, indexChunk, indexChunkBeside, releaseBacklog, wordsWorker, WordsWorkerError } from '../store/fts-backlog.js';
import { toDatabaseError } from '../store/db-errors.js';
import { clearStatusLine, diagnostic, statusLine } from '../render/diagnostic.js';
import { groupDigits } from '../numbers.js';

/** Papers per transaction (env `PAPERS_IMPORT_BATCH`; tests set it small). 2,000 keeps the
 * parsed batch small — a larger batch raises peak memory for little speed —
 * and a waiting writer's queue short; commits are cheap in WAL mode. */
export const DEFAULT_BATCH = 2_000;
/** Malformed lines reported one by one; past this only counted. */
const REPORTED_BAD_LINES = 10;

/** The streamable format of a file, judged from its first line, or null when it is not one. */
export async function sniffStream(file: string): Promise<'jsonl' | 'arxiv-metadata' | null> {
  const handle = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (!head.startsWith('{')) return null;
    const { sniffMetadata } = await import('../sources/arxiv-metadata.js');
    return sniffMetadata(head) ? 'arxiv-metadata' : 'jsonl';
  } finally {
    await handle.close();
  }
}

export interface StreamOptions {
  format: 'jsonl' | 'arxiv-metadata';
  day: string | null;
  strict: boolean;
  /** Leave new papers out of the search index; the caller builds it at the end (`finishIndex`). */
  bulk: boolean;
}

/** More new papers than this in one command make it a bulk import: index once, at the end. */
export const BULK_MIN_PAPERS = 50_000;

/**
 * Whether an import of `files` is a bulk import: an empty database, or streamed files holding
 * more than BULK_MIN_PAPERS lines (estimated from the length of their first lines). Its papers
 * are indexed once at the end: FTS5 builds the index in large segments instead of merging
 * thousands of small ones, which is most of what a paper costs to import.
 */
export async function isBulkImport(db: Db, streamed: string[]): Promise<boolean> {
  if (streamed.length === 0) return false;
  if (db.prepare('SELECT 1 FROM papers LIMIT 1').get() === undefined) return true;
  let lines = 0;
  for (const file of streamed) lines += await estimatedLines(file);
  return lines > BULK_MIN_PAPERS;
}

/** Lines in `file`, estimated from its size and the length of the lines in its first 256 KB. */
async function estimatedLines(file: string): Promise<number> {
  const handle = await fsp.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buf = Buffer.alloc(Math.min(size, 256 * 1024));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    let newlines = 0;
    for (let i = buf.indexOf(10); i !== -1 && i < bytesRead; i = buf.indexOf(10, i + 1)) newlines++;
    return newlines === 0 ? 1 : Math.round((size / bytesRead) * newlines);
  } finally {
    await handle.close();
  }
}

/** The smallest backlog whose words a worker thread works out (fts-backlog.ts wordsWorker). */
const WORDS_WORKER_MIN_PAPERS = 5_000;

/**
 * Build the search index of what a bulk import left out of it, after its last file (also when
 * a file failed: the batches it committed are imported). Ctrl-C leaves the rest to the next
 * run — the papers are imported, and the next command that opens the database indexes them:
 * quietly when the import already stops with its own error (`failing`), else as the error.
 */
export async function finishIndex(app: App, db: Db, failing: boolean): Promise<void> {
  const stopped = () => {
    releaseBacklog(db, process.pid);
    if (!failing) throw new InterruptedError('interrupted while building the search index: the papers are imported, and the next papers command indexes them');
  };
  if (app.signal.aborted) return stopped();
  const pending = backlog(db);
  if (!pending) return;
  const progress = await indexProgress(app.ctx, pending.papers);
  // The chunks' words (for grep) are worked out beside, while this thread indexes: for a
  // backlog large enough to pay for the worker's start (~60 ms, the words of ~2,000 papers).
  let words = pending.papers >= WORDS_WORKER_MIN_PAPERS ? wordsWorker(db) : null;
  try {
    for (let total = 0, done = false; !done; ) {
      let step: { indexed: number; done: boolean };
      try {
        step = words ? await indexChunkBeside(db, words.wordsOf) : indexChunk(db);
      } catch (err) {
        // Without the worker, this thread works the words out itself: the chunk again.
        if (!(err instanceof WordsWorkerError)) throw err;
        await words?.close();
        words = null;
        continue;
      }
      total += step.indexed;
      done = step.done;
      progress.indexed(total);
      // Let a Ctrl-C in between chunks (a chunk's transaction is never left open for it).
      await new Promise((resolve) => setImmediate(resolve));
      if (!done && app.signal.aborted) return stopped();
    }
  } finally {
    progress.done();
    await words?.close();
  }
}

/** What one imported input adds up to: its one-line summary, and its counts for the total of several. */
export interface ImportSummary {
  line: string;
  counts: Omit<WriteStats, 'days'>;
}

/** Import `file` in batches; returns its summary. */
export async function importStream(app: App, file: string, opts: StreamOptions): Promise<ImportSummary> {
  const { ctx } = app;
  // Ctrl-C stops between batches (exit 130): every committed batch is whole.
  const signal = app.signal;
  const db = await app.db();
  const batchSize = batchSizeFrom(ctx.env);
  const total: WriteStats = { read: 0, added: 0, updated: 0, unchanged: 0, days: [] };
  const days = new Set<string>();
  const size = (await fsp.stat(file)).size;
  const progress = importProgress(app, size);
  let bad = 0;
  const onBadLine = (lineNo: number, message: string) => {
    bad++;
    if (bad <= REPORTED_BAD_LINES) progress.note(`papers: ${file}:${lineNo}: ${message.replace(/^line \d+: /, '')}`);
  };
  const store = (parsed: ParsedListing) => {
    if (signal.aborted) throw new InterruptedError(`interrupted: ${total.read} papers of ${file} imported in whole batches; run the import again to finish`);
    let stats: WriteStats;
    try {
      stats = storeListing(db, parsed, { now: ctx.now, bulk: opts.bulk });
    } catch (err) {
      const e = toDatabaseError(err, app.dbPath());
      // Earlier batches were committed: say so instead of "nothing was changed".
      if (total.read > 0 && e instanceof PapersError) {
        throw new PapersError(
          e.message.replace(/ ?\(nothing was changed\)/, '') + `; the ${total.read} papers imported before it are kept (whole batches): run the import again to finish`,
          e.exitCode,
        );
      }
      throw e;
    }
    total.read += stats.read;
    total.added += stats.added;
    total.updated += stats.updated;
    total.unchanged += stats.unchanged;
    for (const d of stats.days) days.add(d);
  };

  const job: ParseJob = { file, format: opts.format, day: opts.day, strict: opts.strict, batchSize, now: ctx.now.toISOString() };
  let read = 0;
  try {
    for await (const batch of parsedInput(job, onBadLine, ctx.env)) {
      progress.bytes(batch.bytes - read, total.read);
      read = batch.bytes;
      store({ format: opts.format, items: batch.items, warnings: [] });
    }
  } catch (err) {
    if (err instanceof PapersError) throw err;
    throw toDatabaseError(err, app.dbPath());
  } finally {
    progress.done();
  }
  if (total.read === 0 && bad > 0) throw new InputError(`${file}: no valid records (${bad} malformed line${bad === 1 ? '' : 's'})`);
  const sorted = [...days].sort();
  const listed = sorted.length === 0 ? 'no listing day' : sorted.length === 1 ? `listed ${sorted[0]}` : `listed ${sorted[0]}…${sorted.at(-1)} (${sorted.length} days)`;
  const skipped = bad ? `; ${bad} malformed line${bad === 1 ? '' : 's'} skipped` : '';
  const { days: _, ...counts } = total;
  return { line: `${file} (${opts.format}): ${countsLine(counts)}; ${listed}${skipped}`, counts };
}

/** `12 read, 12 new, 0 updated, 0 unchanged`. */
export const countsLine = (c: ImportSummary['counts']) => `${c.read} read, ${c.added} new, ${c.updated} updated, ${c.unchanged} unchanged`;

/**
 * The batches of `job`, parsed here, or with `PAPERS_IMPORT_WORKER=1` by a worker thread while
 * this one stores the previous batch (when the worker's module is beside this one: not when
 * tests run the TypeScript sources). The worker is not the default: measured on 2 cores it
 * was slower (the structured clone of each batch and a second heap cost more than the parse
 * it moved) and took more memory.
 */
async function* parsedInput(job: ParseJob, onBadLine: BadLine, env: NodeJS.ProcessEnv): AsyncGenerator<ParsedBatch> {
  const entry = env.PAPERS_IMPORT_WORKER === '1' ? workerEntry() : null;
  if (!entry) {
    yield* parsedBatches(job, onBadLine);
    return;
  }
  // Required, not import()ed: the bundle is compiled by vm.Script, which has no import() of its own.
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  // A small heap: the worker holds a few batches at a time, and V8 would otherwise let its
  // garbage grow by a hundred MB before collecting (peak RSS is a target of its own).
  const worker = new Worker(entry, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 } });
  type Message = { batch?: ParsedBatch; bad?: [number, string]; end?: true; error?: { message: string; input: boolean; stack?: string } };
  const queue: Message[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: Message) => {
    queue.push(m);
    notify();
  });
  worker.on('error', (err) => {
    failure = err;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  try {
    for (;;) {
      const m = queue.shift();
      if (m?.batch) {
        worker.postMessage(1);
        yield m.batch;
      } else if (m?.bad) {
        onBadLine(...m.bad);
      } else if (m?.end) {
        return;
      } else if (m?.error) {
        if (m.error.input) throw new InputError(m.error.message);
        throw Object.assign(new Error(m.error.message), { stack: m.error.stack });
      } else if (failure) {
        if ((failure as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
          throw new PapersError(`${job.file}: its lines are too large for the import worker's memory; run the import again without PAPERS_IMPORT_WORKER=1 (papers already stored are kept)`, 2);
        }
        throw failure;
      } else if (exited) {
        throw new Error('the import worker stopped without a word');
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  } finally {
    await worker.terminate();
  }
}

/** The worker's module: beside this one (tsc's dist/commands/), or under commands/ beside the bundle (dist/papers.cjs). */
function workerEntry(): URL | null {
  for (const rel of ['./_parse-worker.js', './commands/_parse-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

function batchSizeFrom(env: NodeJS.ProcessEnv): number {
  const n = Number(env.PAPERS_IMPORT_BATCH);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_BATCH;
}

/**
 * `importing ███░░░ 45% · 123,456 papers · 8,100/s · ETA 0:42` on a terminal's stderr,
 * redrawn at most 10 times a second; nothing when stderr is not a terminal.
 */
function importProgress(app: App, totalBytes: number) {
  const { ctx } = app;
  const started = Date.now();
  let read = 0;
  let last = 0;
  let shown = false;
  const draw = (papers: number) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const secs = (now - started) / 1000;
    const frac = totalBytes > 0 ? Math.min(1, read / totalBytes) : 0;
    const rate = secs > 0 ? Math.round(papers / secs) : 0;
    const eta = frac > 0 ? Math.round((secs / frac) * (1 - frac)) : 0;
    const bar = '█'.repeat(Math.round(frac * 20)) + '░'.repeat(20 - Math.round(frac * 20));
    const line = `importing ${bar} ${Math.round(frac * 100)}% · ${groupDigits(papers)} papers · ${groupDigits(rate)}/s · ETA ${Math.floor(eta / 60)}:${String(eta % 60).padStart(2, '0')}`;
    statusLine(ctx.stderr, line.slice(0, Math.max(0, ctx.width - 1)));
    shown = true;
  };
  return {
    bytes(n: number, papers: number) {
      read += n;
      if (ctx.stderrIsTTY) draw(papers);
    },
    note(line: string) {
      if (shown) clearStatusLine(ctx.stderr);
      diagnostic(ctx.stderr, line);
    },
    done() {
      if (shown) clearStatusLine(ctx.stderr);
    },
  };
}
