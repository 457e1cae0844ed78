/** `papers list` — the papers of a listing day (the latest by default) or a range of days. */
import type { App } from '../app.js';
import type { DayRange } from '../dates.js';
import { NoResultsError } from '../errors.js';
import { latestDay, listPapers } from '../store/query.js';
import { rememberShown } from '../store/write.js';
import type { FilterFlags } from './_options.js';
import { filtersFromFlags, outputMode, printRows, rangeFromFlags } from './_shared.js';

/** "on 2025-06-09" or "from 2025-06-02 to 2025-06-08". */
export function describeRange(r: DayRange): string {
  return r.from === r.to ? `on ${r.from}` : `from ${r.from} to ${r.to}`;
}

/** Run `papers list`. */
export async function run(flags: FilterFlags, app: App): Promise<void> {
  const { ctx } = app;
  const filters = filtersFromFlags(flags);
  let range = rangeFromFlags(flags, ctx.now);
  const mode = outputMode(flags, ctx);
  const db = await app.db();
  if (!range) {
    const day = latestDay(db);
    if (!day) throw new NoResultsError('no papers yet: import a listing with `papers import FILE`');
    range = { from: day, to: day };
  }
  const rows = listPapers(db, { ...filters, range });
  if (rows.length === 0) {
    const why = filtered(flags) ? ' that match the filters' : '';
    throw new NoResultsError(`no papers listed ${describeRange(range)}${why}`);
  }
  // Numbers are shown only on a TTY, so only then do they mean something to `papers show N`.
  if (mode === 'tty') rememberShown(db, rows.map((r) => r.id));
  const when = range.from === range.to ? range.from : `${range.from} … ${range.to}`;
  await printRows(ctx, rows, mode, `Daily Papers · ${when} · ${rows.length} paper${rows.length === 1 ? '' : 's'}`);
}

/** True when a filter beyond the day range was given. */
function filtered(f: FilterFlags): boolean {
  return Boolean(f.minUpvotes || f.author || f.hasCode || f.keyword);
}
