/**
 * `papers today` — today's Daily Papers (the current UTC date), fetched when missing or
 * stale. On a day with no papers yet (a weekend, a holiday, early in the day) it shows the
 * latest day that has papers, fetching a few days back if needed, and says so on stderr.
 */
import type { App } from '../app.js';
import { shiftDay, utcDay } from '../dates.js';
import { NoResultsError } from '../errors.js';
import { CONCURRENCY, cacheMissError, ensureFresh, missedDays, whatFailed, type Outcome } from '../fetch/plan.js';
import { netSettings, type NetFlags } from '../fetch/settings.js';
import { latestListedDay, listedDays } from '../store/fetches.js';
import { listPapers } from '../store/query.js';
import type { FilterFlags, RangeFlags } from './_options.js';
import { filtersFromFlags, listingHeader, note, outputMode, printRows, fieldsFromFlags } from './_shared.js';

/** Flags of `papers today`: the list filters without a range, and the network flags. */
export type TodayFlags = Omit<FilterFlags, keyof RangeFlags> & NetFlags;

/** How far back to look (and fetch) for a day with papers: a long weekend plus a holiday. */
export const LOOKBACK_DAYS = 9;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Run `papers today`. */
export async function run(flags: TodayFlags, app: App): Promise<void> {
  const { ctx } = app;
  const filters = filtersFromFlags(flags);
  const net = netSettings(flags, ctx.env);
  const mode = outputMode(flags, ctx);
  const today = utcDay(ctx.now);
  const outcomes: Outcome[] = [await ensureFresh(app, { from: today, to: today }, net)];
  const failed = () => outcomes.find((o) => missedDays(o).length > 0) ?? null;
  const db = await app.db();
  let day: string | null = today;
  if (listedDays(db, { from: today, to: today }).size === 0) {
    // Walk back a few days at a time (as many as are fetched at once), unless offline or failing.
    for (let back = 1; back <= LOOKBACK_DAYS && !net.offline && !failed(); back += CONCURRENCY) {
      const range = { from: shiftDay(today, -(back + CONCURRENCY - 1)), to: shiftDay(today, -back) };
      outcomes.push(await ensureFresh(app, range, net));
      if (listedDays(db, range).size > 0) break;
    }
    day = latestListedDay(db, today);
  }
  const failure = failed();
  if (day === null) {
    if (failure) throw cacheMissError(failure);
    throw new NoResultsError(
      net.offline
        ? 'no papers in the database yet: run `papers today` without --offline, or `papers import` a saved listing'
        : `no papers listed from ${shiftDay(today, -LOOKBACK_DAYS)} to ${today}`,
    );
  }
  if (failure) {
    note(ctx, `could not fetch ${whatFailed(failure)}; showing ${day === today ? 'what the database has' : `${day}, the latest day in the database`}`);
  } else if (day !== today) {
    note(ctx, `no papers listed on ${today} (${whyEmpty(today, net.offline)}); showing ${day}, the latest day with papers`);
  }
  const range = { from: day, to: day };
  const rows = listPapers(db, { ...filters, range });
  if (rows.length === 0) throw new NoResultsError(`no papers listed on ${day} that match the filters`);
  await printRows(app, rows, mode, listingHeader(range, rows.length), { markSeen: true, fields: fieldsFromFlags(flags) });
}

/** Why today shows nothing: offline, a weekend, or not published yet. */
function whyEmpty(today: string, offline: boolean): string {
  if (offline) return 'not in the database, and offline';
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return `a ${WEEKDAYS[weekday]}: Daily Papers has none on weekends`;
  return 'none published yet today';
}
