/** What printing papers means for a command: the printer's target, the watch-list marks, and the marks it writes. */
import type { App } from '../app.js';
import type { DayRange } from '../dates-day.js';
import type { PaperRow } from '../model.js';
import { diagnostic } from '../render/diagnostic.js';
import type { OutputMode } from '../render/formats.js';
import { printPapers, type PrintTarget } from '../render/printer.js';
import type { Db } from '../store/db.js';
import { writeRefusal } from '../store/db-errors.js';
import { newestOkFetch } from '../store/fetches.js';

// Start-up: the watch-list and seen-marks bookkeeping (store/state.ts) is loaded with import()
// on a terminal or with --mark-seen only; a piped listing loads none of it.

/** The printer's target for this run: its context, and the pager unless `--no-pager`. */
export function printTarget(app: App): PrintTarget {
  return { ctx: app.ctx, pager: { use: app.usePager, configured: app.config.pager } };
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
  /** What JSON and JSONL add to each paper object (grep's `matches`). */
  extra?: (row: PaperRow) => Record<string, unknown>;
}

/**
 * Print rows in the chosen mode through the printer, and keep the tool's memory of what
 * the user saw: on a terminal the numbers for `papers show N`, the seen marks and the
 * watch-list marks; never in a pipe, unless `markAllSeen` asks for the seen marks.
 */
export async function printRows(app: App, rows: PaperRow[], mode: OutputMode, header?: string, opts: PrintOptions = {}): Promise<void> {
  const { ctx } = app;
  const db = await app.db();
  const state = mode !== 'plain' || opts.markAllSeen ? await import('../store/state.js') : null;
  if (state && mode !== 'plain') decorateWatched(state, db, rows);
  const ids = rows.map((r) => r.id);
  const tty = mode === 'tty';
  const beforeWrite = (displayed: string[]) => {
    const seen = opts.markAllSeen ? ids : opts.markSeen ? displayed : [];
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
  };
  await printPapers(printTarget(app), rows, {
    mode,
    fields: opts.fields ?? null,
    ...(header !== undefined ? { header } : {}),
    ...(tty && opts.range ? { freshness: freshness(db, opts.range, ctx.now) } : {}),
    ...(opts.extra ? { extra: opts.extra } : {}),
    ...(tty ? { beforeWrite } : {}),
  });
  // Marked once the rows are written: a consumer that got nothing has seen nothing.
  if (!tty && opts.markAllSeen) state!.markSeen(db, ids, ctx.now);
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
