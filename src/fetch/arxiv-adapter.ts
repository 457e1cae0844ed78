/**
 * arXiv categories as a unit of the fetch loop: one day at a time (arXiv allows one
 * connection at a time), today's from the RSS feed and any other day's from the export API
 * (arxiv.ts), every request through the cross-process gate (gate.ts: one request every
 * PAPERS_ARXIV_DELAY_MS, default 3 s).
 */
import { utcDay } from '../dates-day.js';
import { ByteAllowance, httpGet } from '../net/http.js';
import { toDatabaseError, type Db } from '../store/db.js';
import { listingRanks } from '../store/fetches.js';
import type { FetchRecord } from '../store/write.js';
import { arxivEndpoints, fetchArxivDay, type ArxivDay, type Get } from './arxiv.js';
import { gatePath, openGate } from './gate.js';
import type { Adapter, FetchEnv, UnitAnswer } from './loop.js';
import { arxivDelayMs, MAX_LISTING_BYTES, type NetSettings } from './settings.js';
import { sourceLabel } from './sources.js';

// The export API can take a while to build a page of 500 entries.
const ARXIV_HEADERS_TIMEOUT_MS = 30_000;

/** The adapter for `categories` at PAPERS_ARXIV_RSS and PAPERS_ARXIV_API; `note` hears of waits on another process. */
export function arxivAdapter(env: FetchEnv, net: NetSettings, categories: string[], note: (line: string) => void): Adapter<string> {
  // Settings first: a bad one is a usage error before anything is asked.
  const endpoints = arxivEndpoints(env.ctx.env);
  const delayMs = arxivDelayMs(env.ctx.env);
  const today = utcDay(env.ctx.now);
  const budget = net.budget;
  const gate = openGate(gatePath(env.dbPath), {
    delayMs,
    signal: env.signal,
    onWait: () => note('papers: waiting for another papers process to finish with arXiv'),
    ...(budget ? { deadline: () => budget.deadlineFromNow() } : {}),
  });
  return {
    host: new URL(endpoints.api).host,
    label: sourceLabel({ kind: 'arxiv', categories }),
    concurrency: 1,
    // Retries wait at least the gate's delay, since they are requests too.
    http: { headersTimeoutMs: ARXIV_HEADERS_TIMEOUT_MS, minRetryDelayMs: delayMs },
    units: (days) => days,
    dayUnit: (day) => day,
    name: (day) => day,
    daysOf: (day) => [day],
    hostOf: (day) => new URL(day === today ? endpoints.rss : endpoints.api).host,
    async fetch(day, http): Promise<UnitAnswer> {
      // Every page of one day counts against one cap: memory stays bounded however the server pages.
      const allowance = new ByteAllowance(MAX_LISTING_BYTES);
      const get: Get = (url, accept) => gate.run(() => httpGet(url, { ...http, accept, allowance }));
      const got = await fetchArxivDay(day, categories, { endpoints, today, get, now: env.ctx.now });
      if (got.via === 'api') {
        try {
          keepOrder(env.db, got);
        } catch (err) {
          throw toDatabaseError(err, env.dbPath);
        }
      }
      return { days: [{ day, listing: got.listing, via: got.via, fetches: records(got, categories), notes: got.notes }] };
    },
    close: () => gate.close(),
  };
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
