/**
 * Fetching a list of days: at most CONCURRENCY requests in flight, each day stored in its
 * own transaction as soon as it arrives (so an interrupted range keeps the days it finished,
 * and the next run skips them), a progress bar on a terminal, failures collected rather than
 * thrown. Loaded only when something must be fetched: it brings in the HTTP module.
 */
import type { App } from '../app.js';
import { InterruptedError, PapersError, UsageError } from '../errors.js';
import { HTTP_DEFAULTS, type RetryInfo } from '../net/http.js';
import { startProgress, type Progress } from '../render/progress.js';
import { toDatabaseError } from '../store/db.js';
import { storeListing, type WriteStats } from '../store/write.js';
import { userAgent } from '../version.js';
import { fetchDay, hfEndpoint, HF_SOURCE, type DayListing, type RequestOptions } from './hf.js';
import { CONCURRENCY } from './plan.js';
import { runPool } from './pool.js';
import type { NetSettings } from './settings.js';

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

/** The request options of this run, with retry notes for `day`. */
function requestOptions(app: App, net: NetSettings, endpoint: string, day: string, progress: Progress): RequestOptions {
  const token = app.ctx.env.HF_TOKEN?.trim();
  const timeout = net.timeoutMs;
  const tries = (net.retries ?? HTTP_DEFAULTS.retries) + 1;
  return {
    userAgent: userAgent(),
    env: app.ctx.env,
    signal: app.signal,
    // Only to HF_ENDPOINT's host; the HTTP module drops it on a redirect to anywhere else.
    ...(token ? { token: { host: new URL(endpoint).host, value: token } } : {}),
    ...(timeout !== null ? { connectTimeoutMs: timeout, headersTimeoutMs: timeout, bodyTimeoutMs: timeout } : {}),
    ...(net.retries !== null ? { retries: net.retries } : {}),
    onRetry: (info: RetryInfo) => {
      if (info.delayMs < QUIET_RETRY_MS && !app.verbose) return;
      progress.note(`papers: ${day}: ${info.reason}; trying again in ${seconds(info.delayMs)} (try ${info.attempt + 1} of ${tries})`);
    },
  };
}

/** "0.4 s", "12 s". */
function seconds(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * Fetch and store `days`. A day that fails is reported in the result, not thrown; an
 * interruption (InterruptedError), a database error or a usage error stops everything and
 * is thrown once the requests in flight have ended.
 */
export async function fetchDays(app: App, days: string[], net: NetSettings): Promise<FetchReport> {
  const { ctx } = app;
  const endpoint = hfEndpoint(ctx.env);
  const db = await app.db();
  const progress = startProgress(ctx, days.length);
  const results: DayResult[] = [];
  let failures = 0;
  try {
    await runPool(
      days,
      CONCURRENCY,
      async (day) => {
        let got: DayListing;
        try {
          got = await fetchDay(endpoint, day, requestOptions(app, net, endpoint, day, progress), ctx.now);
        } catch (err) {
          if (!(err instanceof PapersError) || err instanceof InterruptedError || err instanceof UsageError) throw err;
          results.push({ day, ok: false, error: err });
          failures++;
          progress.advance(day);
          return;
        }
        // An answer that arrives after Ctrl-C is not stored: the user asked us to stop.
        if (app.signal.aborted) throw new InterruptedError();
        if (got.fallbackReason) progress.note(`papers: ${day}: the API failed (${got.fallbackReason}); read the listing page instead`);
        for (const w of got.listing.warnings) progress.note(`papers: ${day}: ${w}`);
        let stats: WriteStats;
        try {
          stats = storeListing(db, got.listing, {
            now: ctx.now,
            fetch: {
              source: HF_SOURCE,
              period: day,
              // Only a complete listing counts for freshness; a cards-only page is fetched again next time.
              status: got.complete ? 'ok' : 'partial',
              detail: got.via === 'api' ? 'api' : got.complete ? 'listing page' : 'listing page, cards only',
            },
          });
        } catch (err) {
          throw toDatabaseError(err, app.dbPath());
        }
        results.push({ day, ok: true, stats, via: got.via });
        progress.advance(day);
      },
      () => failures >= MAX_FAILURES || app.signal.aborted,
    );
  } finally {
    progress.done();
  }
  if (app.signal.aborted) throw new InterruptedError();
  const tried = new Set(results.map((r) => r.day));
  results.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { host: new URL(endpoint).host, results, notTried: days.filter((d) => !tried.has(d)) };
}
