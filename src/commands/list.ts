/**
 * `papers list` — the papers of a listing day (the latest by default) or a range of days.
 * With a range, days that are missing or stale are fetched first; with none, it reads the
 * database only.
 */
import type { App } from '../app.js';
import { NoResultsError, UsageError } from '../errors.js';
import { cacheMissError, deferredNote, ensureFresh, failedOrSkipped, staleWarning, type Outcome } from '../fetch/plan.js';
import { listingSettings, netSettings } from '../fetch/settings.js';
import { fetchSourceFor } from '../fetch/sources.js';
import { FIELD_PATHS } from '../render/fields.js';
import { listedDays } from '../store/fetches.js';
import { countPapers, latestDay, listPapers } from '../store/query.js';
import { defineCommand } from './_command.js';
import { sortedByFit } from '../rank/fit.js';
import { configuredLimit, fieldsFromFlags, filtered, risingSince, filtersFromFlags, outputMode, rangeFromFlags } from './_flags.js';
import { filterOptions, markSeenOption, networkOptions, type ListOptions } from './_options.js';
import { countLabel, describeRange, listingHeader } from '../render/printer.js';
import { printRows } from './_print.js';
import { note, nothingNew } from './_shared.js';

export default defineCommand<ListOptions>({
  name: 'list',
  aliases: ['ls'],
  summary: 'list the papers of a listing day (default: the latest in the database) or of a range of days, fetching missing or stale days of a range first',
  options: [...filterOptions({ hfOrders: true }), markSeenOption(), ...networkOptions({ fetching: false })],
  examples: ['papers list --date yesterday', 'papers list --since 7d --min-upvotes 30 --sort upvotes', 'papers list --month 2025-08 --has-code --jsonl | jq -r .urls.arxiv'],
  run,
});
import { fetchEnv } from './_fetch-env.js';

/** Run `papers list`. */
async function run(flags: ListOptions, app: App): Promise<void> {
  const { ctx } = app;
  const filters = { ...filtersFromFlags(flags), gainSince: risingSince(flags, ctx.now) };
  let net = netSettings(flags, ctx.env, app.config.maxAge);
  let range = await rangeFromFlags(flags, ctx.now);
  const mode = outputMode(flags, ctx);
  const fields = fieldsFromFlags(flags, mode, filters.gainSince ? [...FIELD_PATHS, 'upvotesGained'] : FIELD_PATHS);
  // Only flags the user typed: a configured default (maxAge) is never one of them.
  if (!range && (flags.refresh || flags.maxAge !== undefined)) {
    throw new UsageError('--refresh and --max-age need --date, --week, --month or --since (`papers list` alone reads the database; try `papers today`)');
  }
  const trending = filters.sort === 'trending';
  if (trending && range && range.from !== range.to) throw new UsageError("--sort trending is HF's order of one listing day: use --date (or no range: the latest day)");
  if (trending && filters.source && filters.source !== 'hf') throw new UsageError(`--sort trending is Hugging Face's order: it does not apply to --source ${filters.source}`);
  let outcome: Outcome | null = null;
  // The source filter decides what is fetched: HF by default, `arxiv:CAT` that category, a bare `arxiv` the configured ones.
  const fetchSource = fetchSourceFor(filters.source, app.config.categories);
  if (range && fetchSource) {
    net = listingSettings(net, listedDays(await app.db(), range, filters.source).size > 0);
    outcome = await ensureFresh(await fetchEnv(app), range, net, fetchSource);
  }
  const db = await app.db();
  // `list --starred` alone means every starred paper, whenever it was listed (or never).
  const allStarred = !range && flags.starred === true;
  if (!range && !allStarred) {
    const day = latestDay(db);
    if (!day) throw new NoResultsError('no papers yet: fetch some with `papers today` or `papers fetch`, or import a listing with `papers import FILE`');
    range = { from: day, to: day };
  }
  // HF's order of the day, fetched with it; with no range the database is read as it is.
  if (trending && range && fetchSource && !(outcome && failedOrSkipped(outcome))) {
    const why = await (await import('../fetch/orders.js')).ensureOrder(await fetchEnv(app), range.from, 'trending', net);
    if (why) note(ctx, why);
  }
  const limit = filters.limit ?? configuredLimit(app, mode);
  const rows = sortedByFit(db, { ...filters, range, limit }, ctx.now, (f) => listPapers(db, f));
  const total = limit !== null && rows.length === limit ? countPapers(db, { ...filters, range, limit: null }) : rows.length;
  if (outcome && failedOrSkipped(outcome) && range) {
    // Stale-if-error: what the database has, with a warning; nothing at all is an error.
    if (rows.length === 0 && listedDays(db, range, filters.source).size === 0) throw cacheMissError(outcome, ctx.now);
    note(ctx, staleWarning(outcome, ctx.now)!);
  }
  const deferred = outcome && fetchSource && deferredNote(outcome, fetchSource, net.maxDays ?? 0);
  if (deferred) note(ctx, deferred);
  if (rows.length === 0) {
    if (!range) throw new NoResultsError(filtered({ ...flags, starred: false }) ? 'no starred papers that match the filters' : 'no starred papers yet: `papers star ID` stars one');
    const again = `papers list ${range.from === range.to ? `--date ${range.from}` : `--since ${range.from} --until ${range.to}`}${filters.source ? ` --source ${filters.source}` : ''}`;
    const allSeen = await nothingNew(db, filters, range, ctx.now, again, filtered(flags, true));
    if (allSeen) throw new NoResultsError(allSeen);
    const why = filtered(flags) ? ' that match the filters' : '';
    throw new NoResultsError(`no papers listed ${describeRange(range)}${why}`);
  }
  const count = countLabel(rows.length, total);
  const header = range ? listingHeader(range, count) : `Starred · ${count}`;
  await printRows(app, rows, mode, header, { markSeen: true, markAllSeen: flags.markSeen === true, fields, ...(range ? { range } : {}) });
}
