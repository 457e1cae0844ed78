/**
 * Fetching a list of days: at most CONCURRENCY requests in flight, each day stored in its
 * own transaction as soon as it arrives (so an interrupted range keeps the days it finished,
 * and the next run skips them), a progress line on a terminal, failures collected rather than
 * thrown. Loaded only when something must be fetched: it brings in the HTTP module.
 */
import type { App } from '../app.js';
import { InterruptedError, PapersError, UsageError } from '../errors.js';
import { utcDay } from '../dates-day.js';
import type { ParsedListing } from '../model.js';
import { HTTP_DEFAULTS, type AttemptInfo, type RetryInfo } from '../net/http.js';
import { startProgress, type Progress } from '../render/progress.js';
import { toDatabaseError } from '../store/db.js';
import { storeListing, type WriteStats } from '../store/write.js';
import { userAgent } from '../version.js';
import { fallsBack, fetchDay, fetchPeriod, hfEndpoint, HF_SOURCE, type DayListing, type PeriodListing, type RequestOptions } from './hf.js';
import { planQueries, type PeriodQuery } from './periods.js';
import { CONCURRENCY, reasonOf } from './plan.js';
import { runPool } from './pool.js';
import { requestLimits, type NetSettings } from './settings.js';

/** After this many failed days nothing new starts: the network or the service is down. */
export const MAX_FAILURES = 3;
// Retry waits shorter than this pass silently; longer ones get a note, so a pause is explained.
const QUIET_RETRY_MS = 1000;

/** How one day went. */
export type DayResult =
  /** `via`: `api` or `page` (HF); `rss`, `api` or `none` (arXiv; `none`: a weekend, nothing asked). */
  | { day: string; ok: true; stats: WriteStats; via: DayListing['via'] | 'rss' | 'none' }
  /** `host`: the host that failed, when it is not the report's. */
  | { day: string; ok: false; error: PapersError; host?: string };

/** How a fetch of several days went. */
export interface FetchReport {
  /** The host asked (HF_ENDPOINT's), for messages. */
  host: string;
  /** The source named before the days in messages (`arxiv:cs.LG`); none for HF. */
  label?: string;
  /** One result per day tried, in day order. */
  results: DayResult[];
  /** Days not tried because too many others failed. */
  notTried: string[];
}

/** The request options of this run: retry notes for `what`, and what is being waited for on the progress line. */
export function requestOptions(app: App, net: NetSettings, endpoint: string, what: string, progress: Progress): RequestOptions {
  const token = app.ctx.env.HF_TOKEN?.trim();
  const tries = (net.retries ?? HTTP_DEFAULTS.retries) + 1;
  return {
    userAgent: userAgent(),
    env: app.ctx.env,
    signal: app.signal,
    // Only to HF_ENDPOINT's host; the HTTP module drops it on a redirect to anywhere else.
    ...(token ? { token: { host: new URL(endpoint).host, value: token } } : {}),
    ...requestLimits(net),
    onAttempt: (a: AttemptInfo) => progress.wait(what, { host: a.host, attempt: a.attempt, tries: a.tries, until: a.giveUpAt }),
    onRetry: (info: RetryInfo) => {
      const host = new URL(info.url).host;
      progress.wait(what, { host, attempt: info.attempt + 1, tries, until: Date.now() + info.delayMs, retrying: info.reason });
      if (info.delayMs < QUIET_RETRY_MS && !app.verbose) return;
      progress.note(`papers: ${what}: ${info.reason}; trying again in ${seconds(info.delayMs)} (try ${info.attempt + 1} of ${tries})`);
    },
  };
}

/** "0.4 s", "12 s". */
function seconds(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

/** A failure that stops everything rather than being reported for its day. */
function stopsEverything(err: unknown): boolean {
  return !(err instanceof PapersError) || err instanceof InterruptedError || err instanceof UsageError;
}

/**
 * Fetch and store `days`: a few days of one week or month are asked for together (week= or
 * month=, periods.ts), a lone day alone; each day is stored in its own transaction as soon as
 * its answer is in. Days a week's or month's answer cannot place (items without their day)
 * are asked for one by one. A day that fails is reported in the result, not thrown; an
 * interruption (InterruptedError), a database error or a usage error stops everything and is
 * thrown once the requests in flight have ended.
 */
export async function fetchDays(app: App, days: string[], net: NetSettings): Promise<FetchReport> {
  const { ctx } = app;
  const endpoint = hfEndpoint(ctx.env);
  const db = await app.db();
  const today = utcDay(ctx.now);
  const progress = startProgress(ctx, days.length);
  const results: DayResult[] = [];
  let failures = 0;
  const failed = (day: string, error: PapersError) => {
    results.push({ day, ok: false, error });
    progress.advance(day);
  };
  const store = (day: string, listing: ParsedListing, via: DayListing['via'], complete: boolean, detail: string) => {
    // An answer that arrives after Ctrl-C is not stored: the user asked us to stop.
    if (app.signal.aborted) throw new InterruptedError();
    let stats: WriteStats;
    try {
      stats = storeListing(db, listing, {
        now: ctx.now,
        // Only a complete listing counts for freshness; a cards-only page is fetched again next time.
        fetch: { source: HF_SOURCE, period: day, status: complete ? 'ok' : 'partial', detail, items: listing.items.length },
      });
    } catch (err) {
      throw toDatabaseError(err, app.dbPath());
    }
    results.push({ day, ok: true, stats, via });
    progress.advance(day);
  };

  /** One day: the API, else its listing page. */
  const oneDay = async (day: string) => {
    let got: DayListing;
    try {
      got = await fetchDay(endpoint, day, requestOptions(app, net, endpoint, day, progress), ctx.now);
    } catch (err) {
      if (stopsEverything(err)) throw err;
      failures++;
      return failed(day, err as PapersError);
    } finally {
      progress.wait(day, null);
    }
    if (got.fallbackReason) progress.note(`papers: ${day}: the API failed (${got.fallbackReason}); read the listing page instead`);
    for (const w of got.listing.warnings) progress.note(`papers: ${day}: ${w}`);
    store(day, got.listing, got.via, got.complete, got.via === 'api' ? 'api' : got.complete ? 'listing page' : 'listing page, cards only');
  };

  /** A week or month: its wanted days from one paged answer; the days it cannot place go to `byDay`. */
  const byDay: string[] = [];
  // Once the API refuses one week or month (a mirror without week=, a changed answer), the
  // others are asked day by day without trying: one note, not one per period.
  let periodsRefused = false;
  const period = async (q: PeriodQuery) => {
    if (q.param === 'date') return oneDay(q.value);
    if (periodsRefused) return void byDay.push(...q.days);
    let got: PeriodListing;
    try {
      got = await fetchPeriod(endpoint, q, requestOptions(app, net, endpoint, q.value, progress), ctx.now);
    } catch (err) {
      if (stopsEverything(err)) throw err;
      // An error page or a changed answer for the period: days may still work (with their page fallback).
      if (fallsBack(err)) {
        if (!periodsRefused) progress.note(`papers: ${q.param}=${q.value}: the API failed (${reasonOf(err as PapersError)}); asking day by day`);
        periodsRefused = true;
        byDay.push(...q.days);
        return;
      }
      failures++;
      for (const day of q.days) failed(day, err as PapersError);
      return;
    } finally {
      progress.wait(q.value, null);
    }
    for (const day of q.days) {
      const listing = got.byDay.get(day);
      // An answer whose items all name their day covers every day of the period, empty ones included.
      if (listing || got.undated === 0) store(day, listing ?? { format: 'hf-api', items: [], warnings: [] }, 'api', true, `api ${q.param} ${q.value}`);
      else byDay.push(day);
    }
  };

  try {
    const stop = () => failures >= MAX_FAILURES || app.signal.aborted;
    await runPool(planQueries(days, today), CONCURRENCY, period, stop);
    await runPool(byDay.sort(), CONCURRENCY, oneDay, stop);
  } finally {
    progress.done();
  }
  if (app.signal.aborted) throw new InterruptedError();
  const tried = new Set(results.map((r) => r.day));
  results.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { host: new URL(endpoint).host, results, notTried: days.filter((d) => !tried.has(d)) };
}
