/**
 * Fetching days of arXiv categories: one day after the other (arXiv allows one connection
 * at a time), every request through the cross-process gate (gate.ts: one request every
 * PAPERS_ARXIV_DELAY_MS, default 3 s), each day stored in its own transaction as soon as
 * all its pages are in, failures collected rather than thrown — the same contract as the
 * HF fetch in run.ts, whose FetchReport it returns.
 */
import type { App } from '../app.js';
import { DatabaseError, InterruptedError, PapersError, UsageError } from '../errors.js';
import { ByteAllowance, httpGet, type HttpOptions, type RetryInfo } from '../net/http.js';
import { startProgress, type Progress } from '../render/progress.js';
import { toDatabaseError, type Db } from '../store/db.js';
import { listingRanks } from '../store/fetches.js';
import { storeListing, type FetchRecord } from '../store/write.js';
import { userAgent } from '../version.js';
import { arxivEndpoints, fetchArxivDay, type ArxivDay, type Get } from './arxiv.js';
import { gatePath, openGate } from './gate.js';
import { MAX_FAILURES, type DayResult, type FetchReport } from './run.js';
import { arxivDelayMs, MAX_LISTING_BYTES, requestLimits, type NetSettings } from './settings.js';
import { sourceLabel } from './sources.js';

// The export API can take a while to build a page of 500 entries.
const ARXIV_HEADERS_TIMEOUT_MS = 30_000;
// Retry waits shorter than this pass silently; longer ones get a note, so a pause is explained.
const QUIET_RETRY_MS = 1000;

/** The HTTP options of an arXiv request: retries wait at least the gate's delay, since they are requests too. */
function requestOptions(app: App, net: NetSettings, delayMs: number, progress: Progress, day: () => string): Omit<HttpOptions, 'accept'> {
  return {
    userAgent: userAgent(),
    env: app.ctx.env,
    signal: app.signal,
    headersTimeoutMs: ARXIV_HEADERS_TIMEOUT_MS,
    ...requestLimits(net),
    minRetryDelayMs: delayMs,
    onRetry: (info: RetryInfo) => {
      if (info.delayMs < QUIET_RETRY_MS && !app.verbose) return;
      progress.note(`papers: ${day()}: ${info.reason}; trying again in ${seconds(info.delayMs)}`);
    },
  };
}

/** "0.4 s", "12 s". */
function seconds(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * Fetch and store `days` of `categories`. A day that fails is reported in the result, not
 * thrown; an interruption, a database error or a usage error stops everything.
 */
export async function fetchArxivDays(app: App, days: string[], net: NetSettings, categories: string[]): Promise<FetchReport> {
  const { ctx } = app;
  // Settings first: a bad one is a usage error before anything is asked.
  const endpoints = arxivEndpoints(ctx.env);
  const delayMs = arxivDelayMs(ctx.env);
  const db = await app.db();
  const today = ctx.now.toISOString().slice(0, 10);
  const progress = startProgress(ctx, days.length);
  const budget = net.budget;
  const gate = openGate(gatePath(app.dbPath()), {
    delayMs,
    signal: app.signal,
    onWait: () => progress.note('papers: waiting for another papers process to finish with arXiv'),
    ...(budget ? { deadline: () => budget.deadlineFromNow() } : {}),
  });
  let current = days[0] ?? '';
  const http = requestOptions(app, net, delayMs, progress, () => current);
  // Every page of one day counts against one cap: memory stays bounded however the server pages.
  let allowance = new ByteAllowance(MAX_LISTING_BYTES);
  const get: Get = (url, accept) => gate.run(() => httpGet(url, { ...http, accept, allowance }));
  const label = sourceLabel({ kind: 'arxiv', categories });
  const hostOf = (day: string) => new URL(day === today ? endpoints.rss : endpoints.api).host;
  const results: DayResult[] = [];
  const notTried: string[] = [];
  let failures = 0;
  try {
    for (const day of days) {
      if (failures >= MAX_FAILURES || app.signal.aborted) {
        notTried.push(day);
        continue;
      }
      current = day;
      allowance = new ByteAllowance(MAX_LISTING_BYTES);
      let got: ArxivDay;
      try {
        got = await fetchArxivDay(day, categories, { endpoints, today, get, now: ctx.now });
      } catch (err) {
        // The lock file's errors are the database folder's: they stop everything, like the store's.
        if (!(err instanceof PapersError) || err instanceof InterruptedError || err instanceof UsageError || err instanceof DatabaseError) throw err;
        results.push({ day, ok: false, error: err, host: hostOf(day) });
        failures++;
        progress.advance(day);
        continue;
      }
      // An answer that arrives after Ctrl-C is not stored: the user asked us to stop.
      if (app.signal.aborted) throw new InterruptedError();
      for (const n of got.notes) progress.note(`papers: ${day}: ${n}`);
      try {
        if (got.via === 'api') keepOrder(db, got);
        const stats = storeListing(db, got.listing, { now: ctx.now, fetch: records(got, categories) });
        results.push({ day, ok: true, stats, via: got.via });
      } catch (err) {
        throw toDatabaseError(err, app.dbPath());
      }
      progress.advance(day);
    }
  } finally {
    progress.done();
    gate.close();
  }
  if (app.signal.aborted) throw new InterruptedError();
  return { host: new URL(endpoints.api).host, label, results, notTried };
}

/**
 * The API ranks by submission time, the feed in arXiv's own order (new, cross-lists,
 * replacements). A day listed from the feed keeps the feed's order when the API is asked
 * about it later: papers already listed keep their rank, new ones follow.
 */
function keepOrder(db: Db, got: ArxivDay): void {
  const stored = new Map<string, Map<string, number>>();
  const next = new Map<string, number>();
  for (const { paper, listing } of got.listing.items) {
    if (!listing) continue;
    let ranks = stored.get(listing.source);
    if (!ranks) {
      ranks = listingRanks(db, listing.source, listing.day);
      stored.set(listing.source, ranks);
      next.set(listing.source, Math.max(0, ...ranks.values()));
    }
    if (ranks.size === 0) continue;
    const rank = ranks.get(paper.id) ?? next.get(listing.source)! + 1;
    if (!ranks.has(paper.id)) next.set(listing.source, rank);
    listing.rank = rank;
  }
}

/**
 * The `fetches` rows of a day: one per category, for the day the papers are listed on;
 * when today's feed is not out yet, today is recorded as an empty day too (fetched again
 * once older than --max-age, like any recent day).
 */
function records(got: ArxivDay, categories: string[]): FetchRecord[] {
  const detail = got.via === 'none' ? 'weekend: no announcement' : got.via;
  const out: FetchRecord[] = [];
  for (const cat of categories) {
    const source = `arxiv:${cat}`;
    out.push({ source, period: got.listedOn, status: 'ok', detail, items: got.counts.get(source) ?? 0 });
    if (got.listedOn < got.day) out.push({ source, period: got.day, status: 'ok', detail: `rss: not announced yet (the feed was ${got.listedOn}'s)`, items: 0 });
  }
  return out;
}
