/**
 * The one fetch loop, the same for every source: the source's adapter splits the days into
 * units (a day, a week, a month) and fetches one unit; the loop runs the units through the
 * pool (at most the adapter's concurrency in flight), stores each day in its own transaction
 * as soon as its answer is in (so an interrupted range keeps the days it finished, and the
 * next run skips them), reports progress, and collects failures rather than throwing them.
 * Loaded only when something must be fetched: the adapters bring in the HTTP module.
 */
import type { Context } from '../context.js';
import { DatabaseError, InterruptedError, PapersError, UsageError } from '../errors.js';
import type { ParsedListing } from '../model.js';
import { HTTP_DEFAULTS, type AttemptInfo, type HttpOptions, type RetryInfo } from '../net/http.js';
import { toDatabaseError, type Db } from '../store/db.js';
import { storeListing, type FetchRecord } from '../store/write.js';
import { userAgent } from '../version.js';
import { runPool } from './pool.js';
import type { DayResult, FetchReport, Progress } from './report.js';
import { requestLimits, type NetSettings } from './settings.js';

/** After this many failed units nothing new starts: the network or the service is down. */
export const MAX_FAILURES = 3;
// Retry waits shorter than this pass silently; longer ones get a note, so a pause is explained.
const QUIET_RETRY_MS = 1000;

/** What fetching needs from the command: not the whole App, only these. */
export interface FetchEnv {
  /** The open database, where each day is stored. */
  db: Db;
  /** Its file: named in messages; the arXiv turn's lock file lies beside it. */
  dbPath: string;
  ctx: Pick<Context, 'env' | 'now'>;
  /** Aborted by Ctrl-C: nothing new starts, nothing more is stored. */
  readonly signal: AbortSignal;
  /** Note every retry, however short its wait. */
  verbose: boolean;
  /** What to report progress to, for `total` days. */
  progress(total: number): Progress;
}

/** The HTTP options shared by every request of a fetch (Accept is chosen per request). */
export type RequestOptions = Omit<HttpOptions, 'accept'>;

/** One day of an answer, ready to store. */
export interface DayAnswer {
  day: string;
  listing: ParsedListing;
  via: Extract<DayResult, { ok: true }>['via'];
  /** The `fetches` rows that record it (what freshness reads). */
  fetches: FetchRecord | FetchRecord[];
  /** One-line notes about the day, for stderr. */
  notes: string[];
}

/** What one unit's request brought. */
export interface UnitAnswer {
  /** The days it answered for. */
  days: DayAnswer[];
  /** Days of the unit it could not answer for: asked again one by one, after the other units. */
  again?: string[];
  /** One-line notes about the unit, for stderr. */
  notes?: string[];
}

/** One source's part: how to split days into requests and fetch one of them. */
export interface Adapter<Unit> {
  /** The host named in messages. */
  host: string;
  /** The source named before the days in messages (`arxiv:cs.LG`); none for the default source. */
  label?: string;
  /** Units in flight at once. */
  concurrency: number;
  /** HTTP options of this source's requests (a token, longer timeouts), below the command's limits. */
  http?: Partial<RequestOptions>;
  /** The units that cover `days`, in the order to ask them. */
  units(days: string[]): Unit[];
  /** The unit of a single day, for days asked again. */
  dayUnit(day: string): Unit;
  /** How notes and the progress line name the unit (`2025-06-09`, `2025-W24`). */
  name(unit: Unit): string;
  /** The days a unit covers (each fails with it). */
  daysOf(unit: Unit): string[];
  /** The host a unit's failure names, when it is not `host`. */
  hostOf?(unit: Unit): string;
  /** Ask for one unit; throws a PapersError naming what failed. */
  fetch(unit: Unit, http: RequestOptions): Promise<UnitAnswer>;
  /** Release what the adapter holds (a lock file). */
  close?(): void;
}

/**
 * Failures that stop everything rather than being reported for their day: a bug, an
 * interruption, a usage error, and a database error — the local database or its folder
 * (the store, the arXiv lock file) fails the same way for every day, is no fault of the
 * remote host, and must end the command with its own exit code (5).
 */
function stopsEverything(err: unknown): boolean {
  return !(err instanceof PapersError) || err instanceof InterruptedError || err instanceof UsageError || err instanceof DatabaseError;
}

/**
 * Fetch and store `days` through `open`'s adapter. A unit that fails is reported for each of
 * its days, not thrown; after MAX_FAILURES failures, or Ctrl-C, nothing new starts. A failure
 * that stops everything is thrown once the requests in flight have ended; an answer that
 * arrives after Ctrl-C is not stored.
 */
export async function fetchDays<Unit>(env: FetchEnv, net: NetSettings, days: string[], open: (note: (line: string) => void) => Adapter<Unit>): Promise<FetchReport> {
  const progress = env.progress(days.length);
  const results: DayResult[] = [];
  let failures = 0;
  let adapter: Adapter<Unit> | null = null;
  let host = '';
  let label: string | undefined;
  try {
    const a = (adapter = open((line) => progress.note(line)));
    ({ host, label } = a);
    const again: string[] = [];
    const one = async (unit: Unit) => {
      const name = a.name(unit);
      let answer: UnitAnswer;
      try {
        answer = await a.fetch(unit, requestOptions(env, net, a.http, name, progress));
      } catch (err) {
        if (stopsEverything(err)) throw err;
        failures++;
        const failedHost = a.hostOf?.(unit);
        for (const day of a.daysOf(unit)) {
          results.push({ day, ok: false, error: err as PapersError, ...(failedHost ? { host: failedHost } : {}) });
          progress.advance(day);
        }
        return;
      } finally {
        progress.wait(name, null);
      }
      // The user asked us to stop: what arrives now is not stored.
      if (env.signal.aborted) throw new InterruptedError();
      for (const n of answer.notes ?? []) progress.note(`papers: ${n}`);
      for (const d of answer.days) store(env, d, results, progress);
      again.push(...(answer.again ?? []));
    };
    const stop = () => failures >= MAX_FAILURES || env.signal.aborted;
    await runPool(a.units(days), a.concurrency, one, stop);
    if (again.length > 0) await runPool(again.sort().map((d) => a.dayUnit(d)), a.concurrency, one, stop);
  } finally {
    progress.done();
    adapter?.close?.();
  }
  if (env.signal.aborted) throw new InterruptedError();
  const tried = new Set(results.map((r) => r.day));
  results.sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
  return { host, ...(label ? { label } : {}), results, notTried: days.filter((d) => !tried.has(d)) };
}

/** Store one day in its own transaction; a failure to store stops everything. */
function store(env: FetchEnv, d: DayAnswer, results: DayResult[], progress: Progress): void {
  for (const n of d.notes) progress.note(`papers: ${d.day}: ${n}`);
  try {
    const stats = storeListing(env.db, d.listing, { now: env.ctx.now, fetch: d.fetches });
    results.push({ day: d.day, ok: true, stats, via: d.via });
  } catch (err) {
    throw toDatabaseError(err, env.dbPath);
  }
  progress.advance(d.day);
}

/** The request options of one unit: the command's limits, retry notes naming `what`, and its waits on the progress line. */
function requestOptions(env: FetchEnv, net: NetSettings, http: Partial<RequestOptions> | undefined, what: string, progress: Progress): RequestOptions {
  const tries = (net.retries ?? HTTP_DEFAULTS.retries) + 1;
  return {
    userAgent: userAgent(),
    env: env.ctx.env,
    signal: env.signal,
    ...http,
    ...requestLimits(net),
    onAttempt: (a: AttemptInfo) => progress.wait(what, { host: a.host, attempt: a.attempt, tries: a.tries, until: a.giveUpAt }),
    onRetry: (info: RetryInfo) => {
      const host = new URL(info.url).host;
      progress.wait(what, { host, attempt: info.attempt + 1, tries, until: Date.now() + info.delayMs, retrying: info.reason });
      if (info.delayMs < QUIET_RETRY_MS && !env.verbose) return;
      progress.note(`papers: ${what}: ${info.reason}; trying again in ${seconds(info.delayMs)} (try ${info.attempt + 1} of ${tries})`);
    },
  };
}

/** "0.4 s", "12 s". */
function seconds(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}
