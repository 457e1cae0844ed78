/**
 * `papers list` — the papers of a listing day (the latest by default) or a range of days.
 * With a range, days that are missing or stale are fetched first (issue 3); with none, it
 * reads the database only.
 */
import type { App } from '../app.js';
import { NoResultsError, UsageError } from '../errors.js';
import { cacheMissError, ensureFresh, staleWarning, type Outcome } from '../fetch/plan.js';
import { netSettings } from '../fetch/settings.js';
import { fetchSourceFor } from '../fetch/sources.js';
import { listedDays } from '../store/fetches.js';
import { latestDay, listPapers } from '../store/query.js';
import type { ListFlags } from './_options.js';
import { describeRange, filtered, filtersFromFlags, listingHeader, note, outputMode, printRows, rangeFromFlags, fieldsFromFlags } from './_shared.js';

/** Run `papers list`. */
export async function run(flags: ListFlags, app: App): Promise<void> {
  const { ctx } = app;
  const filters = filtersFromFlags(flags);
  const net = netSettings(flags, ctx.env);
  let range = await rangeFromFlags(flags, ctx.now);
  const mode = outputMode(flags, ctx);
  if (!range && (flags.refresh || flags.maxAge !== undefined)) {
    throw new UsageError('--refresh and --max-age need --date, --week, --month or --since (`papers list` alone reads the database; try `papers today`)');
  }
  let outcome: Outcome | null = null;
  // The source filter decides what is fetched: HF by default, `arxiv:CAT` that category, a bare `arxiv` nothing.
  const fetchSource = fetchSourceFor(filters.source);
  if (range && fetchSource) outcome = await ensureFresh(app, range, net, fetchSource);
  const db = await app.db();
  // `list --starred` alone means every starred paper, whenever it was listed (or never).
  const allStarred = !range && flags.starred === true;
  if (!range && !allStarred) {
    const day = latestDay(db);
    if (!day) throw new NoResultsError('no papers yet: fetch some with `papers today` or `papers fetch`, or import a listing with `papers import FILE`');
    range = { from: day, to: day };
  }
  const rows = listPapers(db, { ...filters, range });
  const warning = outcome && staleWarning(outcome);
  if (outcome && warning && range) {
    // Stale-if-error: what the database has, with a warning; nothing at all is an error.
    if (rows.length === 0 && listedDays(db, range, filters.source).size === 0) throw cacheMissError(outcome);
    note(ctx, warning);
  }
  if (rows.length === 0) {
    if (!range) throw new NoResultsError(`no starred papers${filtered({ ...flags, starred: false }) ? ' that match the filters' : ''}`);
    const why = filtered(flags) ? ' that match the filters' : '';
    throw new NoResultsError(`no papers listed ${describeRange(range)}${why}`);
  }
  const header = range ? listingHeader(range, rows.length) : `Starred · ${rows.length} paper${rows.length === 1 ? '' : 's'}`;
  await printRows(app, rows, mode, header, { markSeen: true, fields: fieldsFromFlags(flags), ...(range ? { range } : {}) });
}
