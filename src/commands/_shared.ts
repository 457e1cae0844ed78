/** Output plumbing shared by the reading commands (list, search, show). */
import type { App } from '../app.js';
import type { Context } from '../context.js';
import { utcDay, type DayRange } from '../dates-day.js';
import { paperJson } from '../render/json.js';
import { flatColumns, selectFields } from '../render/fields.js';
import { lineCount, plainRecord, ttyListing, watchMarked } from '../render/text.js';
import { forTerminal, sanitizeLine, type DataKind } from '../render/sanitize.js';
import { diagnostic } from '../render/diagnostic.js';
import { displayWidth, truncate } from '../render/width.js';
import { newestOkFetch } from '../store/fetches.js';
import type { Filters, PaperRow } from '../store/query.js';
import type { Db } from '../store/db.js';
import { writeRefusal } from '../store/db-errors.js';
import { groupDigits } from '../numbers.js';

// Start-up: every module costs time to load, so what only some outputs
// use is loaded with import() where it is used — the CSV/Markdown/BibTeX writers (formatRows),
// the watch-list and seen-marks bookkeeping (not in a pipe), the styles and the pager
// (node:child_process; terminal only). A piped listing loads none of them.

/** How rows are printed: for people (tty, plain) or in a data format. */
export type OutputMode = 'tty' | 'plain' | DataFormat;
/** The data formats of `--format` and `papers export`. */
export type DataFormat = 'json' | 'jsonl' | 'csv' | 'tsv' | 'md' | 'bibtex';

/** A paper's JSON object, plus what the command adds (grep's `matches`), with only `fields` when given. */
export function paperObject(row: PaperRow, fields: readonly string[] | null, extra?: Record<string, unknown>): Record<string, unknown> {
  const obj = extra ? { ...paperJson(row), ...extra } : paperJson(row);
  return fields ? selectFields(obj, fields) : obj;
}

/** One JSONL line of a paper (see paperObject), safe for a terminal when `terminal`. */
export function jsonlLine(row: PaperRow, fields: readonly string[] | null, terminal: boolean, extra?: Record<string, unknown>): string {
  return forTerminal(terminal, JSON.stringify(paperObject(row, fields, extra)), 'json') + '\n';
}

/** How a data format is made safe for a terminal: JSON with `\u` escapes, the others visibly. */
function dataKind(format: DataFormat): DataKind {
  return format === 'json' || format === 'jsonl' ? 'json' : 'text';
}

/** How data is written: `terminal` when it goes to a terminal (stdoutIsTTY), where forTerminal neutralizes it. */
export interface FormatOptions {
  summary?: boolean;
  title?: string;
  terminal?: boolean;
  /** What JSON and JSONL add to each paper object (grep's `matches`). */
  extra?: (row: PaperRow) => Record<string, unknown>;
}

/** Rows in a data format, as one string (`md` takes an optional title; fields select JSON/CSV/TSV fields). */
export async function formatRows(rows: PaperRow[], format: DataFormat, fields: string[] | null, opts: FormatOptions = {}): Promise<string> {
  return forTerminal(opts.terminal === true, await formatRaw(rows, format, fields, opts), dataKind(format));
}

async function formatRaw(rows: PaperRow[], format: DataFormat, fields: string[] | null, opts: FormatOptions): Promise<string> {
  const objects = () => rows.map((r) => paperObject(r, fields, opts.extra?.(r)));
  switch (format) {
    case 'json':
      return JSON.stringify(objects(), null, 2) + '\n';
    case 'jsonl':
      return objects().map((o) => JSON.stringify(o) + '\n').join('');
    case 'csv':
      return (await import('../render/csv.js')).toCsv(rows, fields ?? undefined);
    case 'tsv':
      return (await import('../render/csv.js')).toTsv(rows, fields ?? undefined);
    case 'md':
      return (await import('../render/markdown.js')).toMarkdown(rows, { summary: opts.summary === true, ...(opts.title ? { title: opts.title } : {}) });
    case 'bibtex':
      return (await import('../render/bibtex.js')).toBibtex(rows);
  }
}

/**
 * Rows in a data format, a record at a time, for output too big to hold as one string
 * (a whole database at 1M papers is past V8's longest string). The same bytes as
 * formatRows, in every format.
 */
export async function* formatChunks(rows: Iterable<PaperRow>, format: DataFormat, fields: string[] | null, opts: FormatOptions = {}): AsyncGenerator<string> {
  const kind = dataKind(format);
  for await (const chunk of rawChunks(rows, format, fields, opts)) yield forTerminal(opts.terminal === true, chunk, kind);
}

async function* rawChunks(rows: Iterable<PaperRow>, format: DataFormat, fields: string[] | null, opts: FormatOptions): AsyncGenerator<string> {
  const object = (r: PaperRow) => paperObject(r, fields, opts.extra?.(r));
  switch (format) {
    case 'jsonl':
      for (const r of rows) yield JSON.stringify(object(r)) + '\n';
      return;
    case 'json': {
      // JSON.stringify(array, null, 2) an element at a time: each of its lines indented by two
      // (strings never hold a raw line break: JSON escapes it).
      let first = true;
      for (const r of rows) {
        yield (first ? '[\n  ' : ',\n  ') + JSON.stringify(object(r), null, 2).replace(/\n/g, '\n  ');
        first = false;
      }
      yield first ? '[]\n' : '\n]\n';
      return;
    }
    case 'csv':
    case 'tsv': {
      const csv = await import('../render/csv.js');
      const columns = flatColumns(fields ?? undefined);
      yield format === 'csv' ? csv.csvHeader(columns) : csv.tsvHeader(columns);
      for (const r of rows) yield format === 'csv' ? csv.csvRecord(r, columns) : csv.tsvRecord(r, columns);
      return;
    }
    case 'md': {
      const { markdownPaper } = await import('../render/markdown.js');
      yield* joined(rows, '\n', (r) => markdownPaper(r, { summary: opts.summary === true }));
      return;
    }
    case 'bibtex': {
      const { bibtexEntry, createKeyAllocator } = await import('../render/bibtex.js');
      // Keys depend only on the rows before: the same as toBibtex, a paper at a time.
      const keyOf = createKeyAllocator();
      yield* joined(rows, '\n', (r) => bibtexEntry(r, keyOf(r)));
      return;
    }
  }
}

/** `rows.map(render).join(separator)`, a row at a time. */
function* joined(rows: Iterable<PaperRow>, separator: string, render: (r: PaperRow) => string): Generator<string> {
  let first = true;
  for (const r of rows) {
    yield (first ? '' : separator) + render(r);
    first = false;
  }
}

/** What printing does besides printing. */
export interface PrintOptions {
  /**
   * On a terminal, mark the papers the user saw as seen (`--new` hides them next time):
   * listings do, searches don't. Seen means displayed, see `displayedRows`.
   */
  markSeen?: boolean;
  /** `--mark-seen`: mark every printed paper seen, in any output mode (for scripts that consume the list). */
  markAllSeen?: boolean;
  /** `--fields`: only these fields in JSON, JSONL, CSV and TSV (fieldsFromFlags). */
  fields?: string[] | null;
  /** The days listed: the terminal header then says how fresh they are. */
  range?: DayRange;
}

/**
 * Print rows in the chosen mode. On a terminal this is also where the tool's memory of
 * what you saw lives: the numbers for `papers show N`, the seen marks, the watch-list
 * marks and summary — and long output goes through the pager. Never in a pipe, unless
 * `markAllSeen` asks for the seen marks.
 */
export async function printRows(app: App, rows: PaperRow[], mode: OutputMode, header?: string, opts: PrintOptions = {}): Promise<void> {
  const { ctx } = app;
  const db = await app.db();
  const state = mode !== 'plain' || opts.markAllSeen ? await import('../store/state.js') : null;
  if (state && mode !== 'plain') decorateWatched(state, db, rows);
  const ids = rows.map((r) => r.id);
  // Marked once the rows are written: a consumer that got nothing has seen nothing.
  const markPrinted = () => {
    if (opts.markAllSeen) state!.markSeen(db, ids, ctx.now);
  };
  switch (mode) {
    case 'jsonl':
      // Streamed: one line as soon as it is ready.
      for (const r of rows) await ctx.stdout.write(jsonlLine(r, opts.fields ?? null, ctx.stdoutIsTTY));
      return markPrinted();
    case 'json':
    case 'csv':
    case 'tsv':
    case 'md':
    case 'bibtex':
      await ctx.stdout.write(await formatRows(rows, mode, opts.fields ?? null, { title: header, terminal: ctx.stdoutIsTTY }));
      return markPrinted();
    case 'plain':
      for (const r of rows) await ctx.stdout.write(plainRecord(r));
      return markPrinted();
    case 'tty': {
      const style = await (await import('../render/style.js')).loadStyle(ctx.color);
      const shown = rows.map((r) => watchMarked(r));
      const fresh = opts.range ? freshness(db, opts.range, ctx.now) : '';
      const head = header ? style.heading(truncate(sanitizeLine(header), ctx.width)) + (fresh ? style.meta(truncate(` · ${fresh}`, Math.max(0, ctx.width - displayWidth(header)))) : '') + '\n\n' : '';
      const list = ttyListing(shown, style, ctx.width, shown.some((r) => r.snippet));
      const pager = await pagerFor(app);
      const seen = opts.markAllSeen ? ids : opts.markSeen ? displayedRows(ids, lineCount(head), list.ends, pager !== null, ctx.height) : [];
      const remember = () => state!.rememberShown(db, ids, seen, ctx.now);
      // Bookkeeping, not the user's data: while an import holds the write lock past the busy
      // timeout, skip it rather than fail the listing (readers never fail during writes).
      // Marks asked for with --mark-seen are the user's request: those fail loudly instead.
      const refused = opts.markAllSeen ? (remember(), null) : bestEffort(remember);
      // Else `papers show 3` would silently show number 3 of the previous list.
      if (refused) {
        const why = refused === 'busy' ? 'is busy (another papers is writing)' : 'is read-only';
        diagnostic(ctx.stderr, `papers: note: the database ${why}, so these numbers were not saved: \`papers show N\` still means the previous list`);
      }
      watchSummary(ctx, rows);
      await writeText(app, head + list.text, pager);
      return;
    }
  }
}

/**
 * The rows a reader has certainly seen. Printed directly, or fitting one screen (which
 * `less -F` prints and quits), every row; through a pager and longer than a screen, only
 * the rows whose whole entry is on its first screen (`height` less the pager's prompt
 * line): the pager cannot tell how far the user scrolled. `ends[i]` is the line count up to
 * the end of row i, below `headLines` lines of header.
 */
export function displayedRows(ids: string[], headLines: number, ends: number[], paged: boolean, height: number): string[] {
  const screen = Math.max(1, height - 1);
  if (!paged || headLines + (ends.at(-1) ?? 0) <= screen) return ids;
  return ids.filter((_, i) => headLines + ends[i]! <= screen);
}

/** "fetched 5 min ago" (or "imported …") for the newest complete listing of the days in `range`, or "" when there is none. */
export function freshness(db: Db, range: DayRange, now: Date): string {
  const newest = newestOkFetch(db, 'hf', range);
  if (!newest) return '';
  const how = newest.status === 'import' ? 'imported' : 'fetched';
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(newest.at)) / 60_000));
  if (minutes < 1) return `${how} just now`;
  if (minutes < 90) return `${how} ${minutes} min ago`;
  if (minutes < 48 * 60) return `${how} ${Math.round(minutes / 60)} h ago`;
  return `${how} ${newest.at.slice(0, 10)}`;
}

/** Run a write that may be skipped when the database is busy or read-only: why it was, or null when it was written. */
function bestEffort(write: () => void): 'busy' | 'read-only' | null {
  try {
    write();
    return null;
  } catch (err) {
    const refused = writeRefusal(err);
    if (!refused) throw err;
    return refused;
  }
}

/** Set `watched` on each row: the watch-list terms it matches. Only the printed rows are looked up. */
function decorateWatched(state: typeof import('../store/state.js'), db: Db, rows: PaperRow[]): void {
  const terms = state.watchTerms(db).map((term) => ({ term, match: state.termExpression(term) }));
  const matches = state.watchMatches(db, terms, rows.map((r) => r.id));
  for (const r of rows) r.watched = matches.get(r.id) ?? [];
}

/** "3 papers match your watch list: diffusion ×2, sparse ×1" on stderr, when any do. */
function watchSummary(ctx: Context, rows: PaperRow[]): void {
  const counts = new Map<string, number>();
  let papers = 0;
  for (const r of rows) {
    if (!r.watched?.length) continue;
    papers++;
    for (const t of r.watched) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  if (papers === 0) return;
  const terms = [...counts.entries()].map(([t, n]) => `${t} ×${n}`).join(', ');
  diagnostic(ctx.stderr, `${papers} paper${papers === 1 ? '' : 's'} match${papers === 1 ? 'es' : ''} your watch list: ${terms}`);
}

/** Write terminal output through the pager when it is on (`--no-pager`, PAGER='' turn it off). */
export async function writePaged(app: App, text: string): Promise<void> {
  await writeText(app, text, await pagerFor(app));
}

/** The pager command terminal output goes through, or null when it is printed directly. */
async function pagerFor(app: App): Promise<string | null> {
  const { ctx } = app;
  if (!app.usePager || !ctx.stdoutIsTTY) return null;
  return (await import('../render/pager.js')).pagerCommand(ctx.env, app.config.pager);
}

/** Write text through the pager `command`, or directly when there is none. */
async function writeText(app: App, text: string, command: string | null): Promise<void> {
  if (!command) {
    await app.ctx.stdout.write(text);
    return;
  }
  const pager = (await import('../render/pager.js')).startPager(command, app.ctx.env);
  pager.stdin.write(text);
  await pager.close();
}

/** A one-line note on stderr. */
export function note(ctx: Context, message: string): void {
  diagnostic(ctx.stderr, `papers: ${message}`);
}

/**
 * Why a listing with `--new` came out empty, when `--new` is the reason (the same filters
 * without it find papers): `nothing new since 08:14 UTC (all 12 papers of 2025-06-09 were
 * shown or marked read; \`papers today\` shows them again)`. Null when the listing is empty
 * anyway. `again` is the command that lists them again; `otherFilters`, whether filters
 * besides `--new` were given.
 */
export async function nothingNew(db: Db, filters: Filters, range: DayRange, now: Date, again: string, otherFilters: boolean): Promise<string | null> {
  if (!filters.unread) return null;
  const { listPapers } = await import('../store/query.js');
  const all = listPapers(db, { ...filters, range, unread: false, limit: null }).map((r) => r.id);
  if (all.length === 0) return null;
  const last = (await import('../store/state.js')).lastReadAt(db, all);
  const since = last === null ? '' : ` since ${last.slice(0, 10) === utcDay(now) ? `${last.slice(11, 16)} UTC` : last.slice(0, 10)}`;
  const which = range.from === range.to ? `of ${range.from}` : `listed from ${range.from} to ${range.to}`;
  const one = all.length === 1;
  const matching = otherFilters ? ` that match${one ? 'es' : ''} the filters` : '';
  const papers = one ? `the 1 paper ${which}${matching} was` : `all ${all.length} papers ${which}${matching} were`;
  return `nothing new${since} (${papers} shown or marked read; \`${again}\` shows ${one ? 'it' : 'them'} again)`;
}

/** "on 2025-06-09" or "from 2025-06-02 to 2025-06-08". */
export function describeRange(r: DayRange): string {
  return r.from === r.to ? `on ${r.from}` : `from ${r.from} to ${r.to}`;
}

/** The heading above a TTY listing: `Daily Papers · 2025-06-09 · 12 papers` (`count`: a number, or countLabel's text). */
export function listingHeader(r: DayRange, count: number | string): string {
  const when = r.from === r.to ? r.from : `${r.from} … ${r.to}`;
  return `Daily Papers · ${when} · ${typeof count === 'number' ? countLabel(count, count) : count}`;
}

/** `12 papers`, or `20 of 117 papers` when a limit cut the list (`117+`: at least that many). */
export function countLabel(shown: number, total: number | string): string {
  const of = String(total) === String(shown) ? '' : `${shown} of `;
  const n = of ? total : shown;
  return `${of}${typeof n === 'number' ? groupDigits(n) : n} paper${n === 1 ? '' : 's'}`;
}
