/**
 * `papers today` — today's Daily Papers (the current UTC date), or with `--source
 * arxiv:CAT` today's arXiv announcement in that category, fetched when missing or stale.
 * On a day with no papers yet (a weekend, a holiday, early in the day) it shows the
 * latest day that has papers, fetching a few days back if needed, and says so on stderr.
 */
import type { App } from '../app.js';
import { shiftDay, utcDay, type DayRange } from '../dates-day.js';
import { NoResultsError, UsageError } from '../errors.js';
import { cacheMissError, ensureFresh, failedOrSkipped, staleWarning, type Outcome } from '../fetch/plan.js';
import { CONCURRENCY, listingSettings, netSettings, type NetFlags } from '../fetch/settings.js';
import { fetchSourceFor } from '../fetch/sources.js';
import { FIELD_PATHS } from '../render/fields.js';
import { latestListedDay, listedDays } from '../store/fetches.js';
import { countPapers, listPapers } from '../store/query.js';
import { defineCommand } from './_command.js';
import { sortedByFit } from '../rank/fit.js';
import { configuredLimit, fieldsFromFlags, filtered, risingSince, filtersFromFlags, outputMode } from './_flags.js';
import { markSeenOption, networkOptions, paperOptions, parseSource, type FilterOptions, type MarkSeenOptions, type RangeFlags } from './_options.js';
import { countLabel, listingHeader } from '../render/printer.js';
import { printRows } from './_print.js';
import { note, nothingNew } from './_shared.js';
import { fetchEnv } from './_fetch-env.js';

/** Options of `papers today`: the list filters without a range, `--mark-seen`, and the network flags. */
export type TodayOptions = Omit<FilterOptions, keyof RangeFlags> & MarkSeenOptions & NetFlags;

/** How far back to look (and fetch) for a day with papers: a long weekend plus a holiday. */
export const LOOKBACK_DAYS = 9;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export default defineCommand<TodayOptions>({
  name: 'today',
  summary: "today's Daily Papers (UTC) or, with --source arxiv:CATEGORY, today's arXiv announcement, fetched when missing or stale; on a day without papers, the latest day with some",
  options: [...paperOptions({ hfOrders: true }), markSeenOption(), ...networkOptions({ fetching: false })],
  notes: 'On a terminal, the papers that were on screen are marked seen (`--new` hides them).',
  examples: ['papers today', 'papers today --new', 'papers today --offline', 'papers today --min-upvotes 20 --json', 'papers today --new --mark-seen --jsonl | my-notifier', 'papers today --source arxiv:cs.LG'],
  run,
});

/** Run `papers today`. */
async function run(flags: TodayOptions, app: App): Promise<void> {
  const { ctx } = app;
  const filters = { ...filtersFromFlags(flags), gainSince: risingSince(flags, ctx.now) };
  // Today shows the source it fetches: HF unless --source (or the config's first source) says otherwise.
  const source = filters.source ?? (app.config.sources?.[0] ? parseSource(app.config.sources[0]) : 'hf');
  filters.source = source;
  if (filters.sort === 'trending' && source !== 'hf') throw new UsageError(`--sort trending is Hugging Face's order: it does not apply to --source ${source}`);
  // A bare `arxiv` names no category to fetch unless the config names some: then the database is shown as it is.
  const fetchSource = fetchSourceFor(source, app.config.categories);
  const mode = outputMode(flags, ctx);
  const fields = fieldsFromFlags(flags, mode, filters.gainSince ? [...FIELD_PATHS, 'upvotesGained'] : FIELD_PATHS);
  const today = utcDay(ctx.now);
  const db = await app.db();
  // Anything to show if the network fails: then it gets a few seconds, not minutes.
  const net = listingSettings(netSettings(flags, ctx.env, app.config.maxAge), latestListedDay(db, today, source) !== null);
  const outcomes: Outcome[] = [];
  const fresh = async (range: DayRange) => {
    if (fetchSource) outcomes.push(await ensureFresh(await fetchEnv(app), range, net, fetchSource));
  };
  await fresh({ from: today, to: today });
  const failed = () => outcomes.find(failedOrSkipped) ?? null;
  let day: string | null = today;
  if (listedDays(db, { from: today, to: today }, source).size === 0) {
    // Walk back a few days at a time (as many as HF fetches at once), unless offline or failing.
    for (let back = 1; back <= LOOKBACK_DAYS && fetchSource && !net.offline && !failed(); back += CONCURRENCY) {
      const range = { from: shiftDay(today, -(back + CONCURRENCY - 1)), to: shiftDay(today, -back) };
      await fresh(range);
      if (listedDays(db, range, source).size > 0) break;
    }
    day = latestListedDay(db, today, source);
  }
  const failure = failed();
  if (day === null) {
    if (failure) throw cacheMissError(failure, ctx.now);
    const from = source === 'hf' ? '' : ` from ${source}`;
    throw new NoResultsError(
      !fetchSource
        ? `no papers${from} in the database yet: fetch a category with \`papers today --source arxiv:cs.LG\` or \`papers fetch --source arxiv:cs.LG\``
        : net.offline
          ? `no papers${from} in the database yet: run \`papers today\` without --offline, or \`papers import\` a saved listing`
          : `no papers listed${from} from ${shiftDay(today, -LOOKBACK_DAYS)} to ${today}`,
    );
  }
  if (failure) {
    const warning = staleWarning(failure, ctx.now)!;
    note(ctx, day === today ? warning : warning.replace(/showing what the database has/, `showing ${day}, the latest day in the database`));
  } else if (day !== today) {
    const why = !fetchSource ? 'not in the database; name a category to fetch it: --source arxiv:cs.LG' : whyEmpty(today, net.offline, source);
    note(ctx, `no papers listed on ${today} (${why}); showing ${day}, the latest day with papers`);
  }
  const range = { from: day, to: day };
  // HF's order of the day shown, unless its listing could not be fetched just now (that was said already).
  if (filters.sort === 'trending' && !failure) {
    const why = await (await import('../fetch/orders.js')).ensureOrder(await fetchEnv(app), day, 'trending', net);
    if (why) note(ctx, why);
  }
  const limit = filters.limit ?? configuredLimit(app, mode);
  const rows = sortedByFit(db, { ...filters, range, limit }, ctx.now, (f) => listPapers(db, f));
  const total = limit !== null && rows.length === limit ? countPapers(db, { ...filters, range, limit: null }) : rows.length;
  if (rows.length === 0) {
    const again = source === 'hf' ? 'papers today' : `papers today --source ${source}`;
    throw new NoResultsError((await nothingNew(db, filters, range, ctx.now, again, filtered(flags, true))) ?? `no papers listed on ${day} that match the filters`);
  }
  await printRows(app, rows, mode, header(source, range, countLabel(rows.length, total)), { markSeen: true, markAllSeen: flags.markSeen === true, fields });
}

/** `Daily Papers · 2025-06-09 · 12 papers`, or `arXiv cs.LG · 2026-03-10 · 212 papers`. */
function header(source: string, range: DayRange, count: string): string {
  if (!source.startsWith('arxiv')) return listingHeader(range, count);
  const what = source === 'arxiv' ? 'arXiv' : `arXiv ${source.slice('arxiv:'.length)}`;
  return listingHeader(range, count).replace(/^Daily Papers/, what);
}

/** Why today shows nothing: offline, a weekend, or not published yet. */
function whyEmpty(today: string, offline: boolean, source: string): string {
  if (offline) return 'not in the database, and offline';
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  const arxiv = source.startsWith('arxiv');
  if (weekday === 0 || weekday === 6) return `a ${WEEKDAYS[weekday]}: ${arxiv ? 'arXiv announces nothing' : 'Daily Papers has none'} on weekends`;
  return arxiv ? 'not announced yet' : 'none published yet today';
}
