/**
 * The scan behind `papers grep`: which papers a regular expression matches, newest first.
 *
 * Reads only what the regex looks at: the rowid, the id and the searched columns as raw
 * strings (no PaperRow, no JSON), and builds a whole row only for a hit that is printed
 * (`hit.row()`). A literal every match contains is tested first in SQL, where most rows
 * fail without ever becoming JavaScript strings. When the literal's words are rare, only the
 * papers the search index finds for them are read (fts-words.ts); else every paper. Large
 * work is cut into parts (rowid ranges, or slices of the candidates) read by worker threads,
 * each on its own read-only connection; the parts come back in order, so the output is the
 * one a single scan gives.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ColumnField as GrepField } from '../grep.js';
import { READ_CACHE_KIB, type Db } from './db.js';
import type { PaperRow } from '../model.js';
import { grepFilterSql, paperByPk, type Filters } from './query.js';
import { toDatabaseError } from './db-errors.js';
import { NUL_ROWS } from './schema.js';
import { sqliteOptions } from './sqlite.js';
import { MAX_PHRASES, anyWordQuery, fragmentOf, phrasesOf, wordsHolding } from './fts-words.js';

/** A matching paper: its id, and its whole row when wanted (one index lookup). */
export interface GrepHit {
  readonly pk: number;
  readonly id: string;
  /** The whole row, or null when another process deleted the paper since the scan read it. */
  row(): PaperRow | null;
}

export interface ScanRequest {
  fields: GrepField[];
  regex: RegExp;
  /**
   * A substring every match contains (case-blind: ASCII only), or null. `exact`: the regex
   * matches just that text, so where SQL finds it decides, without reading the text.
   */
  literal: { text: string; ignoreCase: boolean; exact?: boolean } | null;
  /** Printable ASCII strings one of which every match contains (either case with `ignoreCase`): for the search index. */
  alternatives?: { texts: string[]; ignoreCase: boolean } | null;
  filters: Filters;
  /** Worker threads besides this one; default: one per further core, none for a small table. */
  workers?: number;
  /**
   * The largest share of the papers read as candidates the search index found (default
   * MAX_CANDIDATE_SHARE); beyond it, or at 0, a scan. 1: the index whenever the literal allows.
   */
  indexShare?: number;
}

/** What one scan of a rowid range needs; plain data, so a worker can receive it. */
interface ScanPlan {
  sql: string;
  params: unknown[];
  source: string;
  flags: string;
  /** Per searched column (after pk and id): stored one per line, seen joined with ", ". */
  joined: boolean[];
}

/** What one scan binds last: a rowid range [lo, hi], or a slice of candidates as a JSON array. */
type Part = unknown[];

/** Hits of one part, newest first. */
interface RangeHits {
  pks: number[];
  ids: string[];
}

/**
 * Rows below which one thread scans alone: a worker costs 80–90 ms of CPU to start (Node's
 * bootstrap, better-sqlite3), what this thread scans of about 40k papers, and at 100k papers
 * the split saved nothing measurable.
 */
const WORKER_MIN_ROWS = 200_000;
/**
 * Candidates below which one thread reads them alone: a worker's start costs what this thread
 * reads of about 10k candidates (each a random page read).
 */
const WORKER_MIN_CANDIDATES = 20_000;
/** Parts a parallel scan is cut into, per thread: small enough to balance the load and to stream. */
const RANGES_PER_THREAD = 8;

/** `LIKE` pattern matching `text` anywhere, with its wildcards taken literally. */
const likeAnywhere = (text: string) => '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
/** `GLOB` pattern matching `text` anywhere: its wildcards in brackets, where they stand for themselves. */
const globAnywhere = (text: string) => '*' + text.replace(/[*?[]/g, (c) => `[${c}]`) + '*';

/**
 * How often a character occurs in English prose, in percent (space and the letters from
 * published tables; the rest rough): what an anchor must avoid. Case-blind, LIKE stops at
 * both cases of a letter.
 */
const LETTER_PERCENT: Record<string, number> = {
  ' ': 18, e: 12, t: 9, a: 8, o: 7.5, i: 7, n: 6.7, s: 6.3, r: 6, h: 4, l: 4, d: 4, c: 3, u: 2.8, m: 2.4,
  f: 2.2, p: 2, g: 2, w: 1.5, y: 1.5, b: 1.5, v: 1, k: 0.8, x: 0.2, j: 0.15, q: 0.1, z: 0.07,
};
function percent(c: string, ignoreCase: boolean): number {
  // Beyond ASCII, SQLite's pattern matching has no fast path: never an anchor.
  if (c.charCodeAt(0) >= 0x80) return 100;
  const lower = c.toLowerCase();
  if (lower in LETTER_PERCENT) return ignoreCase || c === lower ? LETTER_PERCENT[lower]! : LETTER_PERCENT[lower]! / 20;
  return /[0-9]/.test(c) ? 0.3 : 1;
}

/**
 * The part of `literal` SQL looks for first: from its rarest character on (at least three
 * characters long). LIKE and GLOB find a pattern's first character with strcspn() and compare
 * the rest at each stop, so the first character's frequency sets the cost of the scan: over
 * 100k abstracts `%zzzzqx%` takes a quarter of the CPU of `%intrinsic%`, `*rinsic*` 70 %.
 */
export function anchorOf(literal: string, ignoreCase: boolean): string {
  const chars = [...literal];
  let best = 0;
  for (let i = 1; i <= chars.length - 3; i++) if (percent(chars[i]!, ignoreCase) < percent(chars[best]!, ignoreCase)) best = i;
  return chars.slice(best).join('');
}

/**
 * The SQL and parameters of the scan. A literal is found with GLOB, or case-blind with LIKE,
 * which folds ASCII case as the literal needs (compilePattern hands over ASCII only) without
 * lowering a copy of every row: twice as fast as `instr(lower(…))`, and faster than `instr`.
 * Both stop reading at a NUL, so the rows with one (the partial index papers_nul, normally
 * empty) are kept for the regex to decide.
 */
function plan(req: ScanRequest, rows: string): ScanPlan {
  const { sql: where, params } = grepFilterSql(req.filters);
  const lit = req.literal;
  // Authors and keywords are stored one per line and searched joined with ", ": a literal
  // without a comma or a space lies within one name either way, and needs no copy of the column.
  const within = lit !== null && !/[, \n]/.test(lit.text);
  const text = (c: GrepField) => ((c === 'authors' || c === 'keywords') && !within ? `replace(p.${c}, char(10), ', ')` : `p.${c}`);
  // Which rows the regex must still read: all of them, or with an exact literal none, but
  // those holding a NUL when LIKE found it (LIKE reads up to the NUL only).
  let columns = req.fields.map((c) => `p.${c}`);
  if (lit) {
    const nul = `p.pk IN (SELECT pk FROM papers INDEXED BY papers_nul WHERE ${NUL_ROWS})`;
    const [test, anywhere] = lit.ignoreCase ? [`LIKE ? ESCAPE '\\'`, likeAnywhere] : ['GLOB ?', globAnywhere];
    // A rarer anchor first; the whole literal only where the anchor is found.
    const anchor = anchorOf(lit.text, lit.ignoreCase);
    const found = (c: GrepField) => (anchor === lit.text ? `${text(c)} ${test}` : `(${text(c)} ${test} AND ${text(c)} ${test})`);
    where.push('(' + req.fields.map(found).join(' OR ') + ` OR ${nul})`);
    for (const _ of req.fields) params.push(...(anchor === lit.text ? [anywhere(lit.text)] : [anywhere(anchor), anywhere(lit.text)]));
    if (lit.exact) columns = req.fields.map((c) => `CASE WHEN ${nul} THEN p.${c} END`);
  }
  where.push(rows);
  const sql = `SELECT p.pk, p.id, ${columns.join(', ')} FROM papers p WHERE ${where.join(' AND ')} ORDER BY p.pk DESC`;
  return {
    sql,
    params,
    source: req.regex.source,
    flags: req.regex.flags.replace('g', ''),
    joined: req.fields.map((c) => c === 'authors' || c === 'keywords'),
  };
}

/**
 * A scanner of rowid ranges on `db`. Self-contained (no imports, no closures over this
 * module): its source is also the body of the worker threads, so both scan alike.
 */
function scanner(db: Db, plan: ScanPlan): (part: Part) => RangeHits {
  const stmt = db.prepare(plan.sql).raw(true);
  // Without `g`: a test from index 0 each time, as a match anywhere is all a hit needs.
  const regex = new RegExp(plan.source, plan.flags);
  const joined = plan.joined;
  const n = joined.length;
  return (part) => {
    const pks: number[] = [];
    const ids: string[] = [];
    for (const r of stmt.iterate(...plan.params, ...part) as IterableIterator<unknown[]>) {
      // No text: the SQL found the exact literal, and that decided.
      if (r[2] === null) {
        pks.push(r[0] as number);
        ids.push(r[1] as string);
        continue;
      }
      for (let i = 0; i < n; i++) {
        let s = r[i + 2] as string;
        if (joined[i] && s.includes('\n')) s = s.split('\n').join(', ');
        if (regex.test(s)) {
          pks.push(r[0] as number);
          ids.push(r[1] as string);
          break;
        }
      }
    }
    return { pks, ids };
  };
}

/** The worker threads' program: open the database read-only, scan the ranges it is sent. */
function workerSource(): string {
  return `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, workerData.options);
db.pragma('cache_size = -' + workerData.cacheKib);
const scan = (${scanner.toString()})(db, workerData.plan);
parentPort.on('message', (m) => {
  if (m === null) { db.close(); parentPort.close(); return; }
  try { parentPort.postMessage({ range: m.k, hits: scan(m.part) }); }
  catch (err) { parentPort.postMessage({ range: m.k, error: String((err && err.message) || err), code: err && err.code }); }
});`;
}

/** Cut [lo, hi] into `count` ranges, highest first (the output is newest first). */
function ranges(lo: number, hi: number, count: number): Part[] {
  const out: Part[] = [];
  const width = Math.ceil((hi - lo + 1) / count);
  for (let top = hi; top >= lo; top -= width) out.push([Math.max(lo, top - width + 1), top]);
  return out;
}

/**
 * The papers `req.regex` matches in one of `req.fields`, newest (highest rowid) first, in
 * batches. Stops early when the consumer stops iterating (a limit, a closed pipe).
 */
export async function* grepScan(db: Db, req: ScanRequest): AsyncGenerator<GrepHit[]> {
  // Two subqueries: min() and max() together in one would read every row instead of two.
  const bounds = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT (SELECT min(pk) FROM papers) AS lo, (SELECT max(pk) FROM papers) AS hi').get()!;
  if (bounds.lo === null || bounds.hi === null) return;
  const rowOf = paperByPk(db);
  const hits = (r: RangeHits): GrepHit[] => r.pks.map((pk, i) => ({ pk, id: r.ids[i]!, row: () => rowOf(pk) }));
  const rows = bounds.hi - bounds.lo + 1;
  const found = candidates(db, req, rows);
  if (found) {
    // The candidates, newest first, in slices: each a part of the output, in order.
    const p = plan(req, 'p.pk IN (SELECT value FROM json_each(?))');
    const workers = found.length < WORKER_MIN_CANDIDATES && req.workers === undefined ? 0 : workerCount(db, req, Infinity);
    // On one thread too: a part at a time, so output starts early and a limit stops early.
    const slices = slicesOf(found, workers === 0 ? 16 : (workers + 1) * RANGES_PER_THREAD);
    yield* workers === 0 ? inThisThread(db, p, slices, hits) : parallel(db, p, slices, workers, hits);
    return;
  }
  const p = plan(req, 'p.pk BETWEEN ? AND ?');
  const workers = workerCount(db, req, rows);
  if (workers === 0) {
    yield* inThisThread(db, p, ranges(bounds.lo, bounds.hi, 16), hits);
    return;
  }
  yield* parallel(db, p, ranges(bounds.lo, bounds.hi, (workers + 1) * RANGES_PER_THREAD), workers, hits);
}

/** Scan `parts` in order on this thread. */
function* inThisThread(db: Db, p: ScanPlan, parts: Part[], hits: (r: RangeHits) => GrepHit[]): Generator<GrepHit[]> {
  const scan = scanner(db, p);
  for (const part of parts) yield hits(scan(part));
}

/** `pks` (newest first) cut into `count` slices of about the same size, each a JSON array for json_each(). */
function slicesOf(pks: number[], count: number): Part[] {
  const size = Math.max(1, Math.ceil(pks.length / count));
  const out: Part[] = [];
  for (let i = 0; i < pks.length; i += size) out.push([JSON.stringify(pks.slice(i, i + size))]);
  return out;
}

/**
 * The papers that can match, newest first, found through the search index; or null when a scan
 * is better (no literal to look up, too many words hold it, or too many papers). A text that
 * matches holds one of the strings every match contains, and so the words around it in a row:
 * fts_words says which words those can be, and the index which papers hold them as a phrase
 * (fts-words.ts). Papers the index lacks are added: a bulk import's backlog (fts-backlog.ts),
 * and the rows holding a NUL (read by the regex, as in a scan). One read transaction, so the
 * words, the backlog and the index are of one moment: read apart, another process could index
 * a backlog paper (and store its words) between the words' lookup and the backlog's.
 */
function candidates(db: Db, req: ScanRequest, rows: number): number[] | null {
  if ((!req.literal && !req.alternatives) || req.indexShare === 0) return null;
  return db.transaction(() => candidatesOf(db, req, rows))();
}

/**
 * The phrases that find every paper a match can be in: from the strings one of which every
 * match contains, else from the literal (its longest ASCII run, when it is not ASCII); null
 * when neither lookup pays.
 */
function phrasesFor(db: Db, req: ScanRequest): string[] | null {
  const anyOf = (texts: string[], ignoreCase: boolean) => {
    const all: string[] = [];
    for (const text of texts) {
      const phrases = phrasesOf(db, text, ignoreCase);
      if (phrases === null) return null;
      all.push(...phrases);
    }
    return all.length <= MAX_PHRASES ? [...new Set(all)] : null;
  };
  const found = req.alternatives ? anyOf(req.alternatives.texts, req.alternatives.ignoreCase) : null;
  const literal = req.literal;
  if (found || !literal) return found;
  if (/^[\x20-\x7e]+$/.test(literal.text)) return anyOf([literal.text], literal.ignoreCase);
  const fragment = fragmentOf(literal.text);
  return fragment ? wordsHolding(db, fragment) : null;
}

function candidatesOf(db: Db, req: ScanRequest, rows: number): number[] | null {
  const phrases = phrasesFor(db, req);
  if (phrases === null) return null;
  const sources = [
    'SELECT pk FROM papers WHERE pk >= (SELECT from_pk FROM fts_pending)',
    `SELECT pk FROM papers INDEXED BY papers_nul WHERE ${NUL_ROWS}`,
  ];
  const params: unknown[] = [];
  if (phrases.length > 0) {
    sources.unshift('SELECT rowid AS pk FROM papers_fts WHERE papers_fts MATCH ?');
    params.push(anyWordQuery(phrases, req.fields, req.fields.length === FTS_FIELDS));
  }
  // Rowids are cheap to read from the index; the rows they name are not. Read as they come
  // (UNION ALL, no ORDER BY), so that too many stop the read at the limit instead of at the end.
  const most = Math.ceil(rows * (req.indexShare ?? MAX_CANDIDATE_SHARE));
  const pks = db
    .prepare<unknown[], number>(`SELECT pk FROM (${sources.join(' UNION ALL ')}) LIMIT ?`)
    .pluck()
    .all(...params, most + 1);
  return pks.length > most ? null : [...new Set(pks)].sort((a, b) => b - a);
}

/**
 * The share of the papers above which the index's candidates are read by a scan instead: one
 * found through the index costs a random page read, 2–3 times a paper scanned in order (and a
 * scan of a large table has worker threads). At 1M papers `-c -i address` has 35 % candidates:
 * 3.5 s through the index, 2.6 s scanned.
 */
const MAX_CANDIDATE_SHARE = 0.1;

/** How many columns papers_fts has: grep searching all of them needs no column filter. */
const FTS_FIELDS = 4;

/**
 * How many worker threads besides this one: one per further core, none for a small table, an
 * in-memory database, or SQL functions a worker lacks (--watched calls nfkc() and cjk_spaced()).
 */
function workerCount(db: Db, req: ScanRequest, rows: number): number {
  if (db.memory || req.filters.watchedOnly) return 0;
  if (req.workers !== undefined) return req.workers;
  if (rows < WORKER_MIN_ROWS) return 0;
  return Math.min(availableParallelism(), 8) - 1;
}

/**
 * Scan `todo` on this thread and `count` workers, results in range order. Each worker has two
 * ranges in hand, so it keeps working while this thread scans a range of its own (and cannot
 * read the worker's message until it is done).
 */
async function* parallel(db: Db, p: ScanPlan, todo: Part[], count: number, hits: (r: RangeHits) => GrepHit[]): AsyncGenerator<GrepHit[]> {
  const done = new Map<number, RangeHits>();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let next = 0;
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const pool: Worker[] = [];
  const give = (w: Worker) => {
    if (next < todo.length) w.postMessage({ part: todo[next], k: next++ });
    else w.postMessage(null);
  };
  const settle = () => {
    wake?.();
    wake = null;
  };
  for (let i = 0; i < count; i++) {
    const w = new Worker(workerSource(), {
      eval: true,
      // Memory never touched costs a page fault per 4 KiB, and a scan passes every row's text
      // through the young generation and the page cache: small ones recycle their pages
      // (a worker's read connection gets the read cache of openDatabase, not better-sqlite3's 16 MB).
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
      workerData: { module, path: db.name, options: sqliteOptions({ readonly: true, fileMustExist: true }), cacheKib: READ_CACHE_KIB, plan: p },
    });
    w.on('message', (m: { range: number; hits?: RangeHits; error?: string; code?: string }) => {
      if (m.error !== undefined) failure ??= toDatabaseError(Object.assign(new Error(m.error), { code: m.code }), db.name);
      else done.set(m.range, m.hits!);
      give(w);
      settle();
    });
    w.on('error', (err) => {
      failure ??= toDatabaseError(err, db.name);
      settle();
    });
    pool.push(w);
  }
  // This thread scans from the newest range while the workers start (tens of milliseconds).
  const scan = scanner(db, p);
  const local = () => {
    const k = next++;
    done.set(k, scan(todo[k]!));
  };
  local();
  for (const w of pool) {
    give(w);
    give(w);
  }
  try {
    for (let i = 0; i < todo.length; i++) {
      while (!done.has(i)) {
        if (failure) throw failure;
        if (next < todo.length) {
          local();
          // The workers' results wait for this thread's event loop, and so do their next
          // ranges: without this turn, this thread would scan every range left by itself.
          await new Promise<void>((resolve) => setImmediate(resolve));
        } else {
          await new Promise<void>((resolve) => (wake = resolve));
        }
      }
      const r = done.get(i)!;
      done.delete(i);
      yield hits(r);
      // Let the workers' messages in before scanning on: they wait for their next range.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
