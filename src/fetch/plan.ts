/**
 * Before a command reads days from the database: decide which of them need fetching
 * (freshness.ts), fetch those (the loop and the source's adapter, loaded only then, so
 * offline and fresh paths never load the HTTP stack), and describe what failed for
 * stale-if-error.
 */
import { accessSync, constants } from 'node:fs';
import { daysIn, type DayRange } from '../dates-day.js';
import { DatabaseError, ExitCode, NetworkError, PapersError, TurnTimeoutError } from '../errors.js';
import type { Db } from '../store/db.js';
import { writeRefusal } from '../store/db-errors.js';
import { oldestOkFetches } from '../store/fetches.js';
import { clearHostFailure, hostFailure, recordHostFailure, type HostFailure } from '../store/hosts.js';
import { decide, type Reason } from './freshness.js';
import type { FetchEnv } from './loop.js';
import { reasonOf, type FetchReport } from './report.js';
import { RECENT_FAILURE_MS, type NetSettings } from './settings.js';
import { HF_FETCH, listingSources, sourceLabel, type FetchSource } from './sources.js';

/** Each day with its freshness decision. */
export interface PlannedDay {
  day: string;
  fetch: boolean;
  reason: Reason;
}

/**
 * The first day of Hugging Face Daily Papers (it began in May 2023): a range reaching back
 * before it never asks for the days nobody could have listed.
 */
export const HF_FIRST_DAY = '2023-05-01';

/** Decide for each day (pure: the last fetches are passed in). */
export function planDays(days: string[], lastOk: Map<string, string>, now: Date, net: NetSettings, firstDay?: string): PlannedDay[] {
  return days.map((day) => ({
    day,
    ...decide({ day, lastOk: lastOk.get(day) ?? null, now, maxAgeMs: net.maxAgeMs, refresh: net.refresh, offline: net.offline, ...(firstDay ? { firstDay } : {}) }),
  }));
}

/** What ensureFresh did. */
export interface Outcome {
  plan: PlannedDay[];
  /** Null when nothing was fetched. */
  report: FetchReport | null;
  /** Set when nothing was asked because the host failed a moment ago (listings only). */
  skipped?: HostFailure;
  /** Set when nothing was asked because the database cannot store it (listings only): its path. */
  readOnly?: string;
  /** Days left unfetched past the listing's cap (net.maxDays), oldest first: `papers fetch` fills them. */
  deferred?: string[];
}

/**
 * Fetch the days of `range` that are missing or stale from `source` (default HF); never
 * throws for a day that failed (see Outcome). With several arXiv categories a day is as
 * fresh as its least fresh category. Each host's failure is remembered and its success
 * forgets it; with `net.honorRecentFailure`, a host that failed within RECENT_FAILURE_MS (or
 * asked us to come back later) is not asked again. With `net.maxDays`, only the newest that
 * many days are fetched; the rest are returned as `deferred`.
 */
export async function ensureFresh(env: FetchEnv, range: DayRange, net: NetSettings, source: FetchSource = HF_FETCH): Promise<Outcome> {
  const { db, ctx, dbPath } = env;
  const days = daysIn(range);
  const firstDay = source.kind === 'hf' ? HF_FIRST_DAY : undefined;
  if (net.offline) return { plan: planDays(days, new Map(), ctx.now, net, firstDay), report: null };
  const plan = planDays(days, oldestOkFetches(db, listingSources(source), range), ctx.now, net, firstDay);
  let wanted = plan.filter((p) => p.fetch).map((p) => p.day);
  if (wanted.length === 0) return { plan, report: null };
  let deferred: string[] | undefined;
  if (net.maxDays !== null && wanted.length > net.maxDays) {
    deferred = wanted.slice(0, wanted.length - net.maxDays);
    wanted = wanted.slice(-net.maxDays);
  }
  const hosts = await hostsOf(source, ctx.env);
  if (!writable(dbPath)) {
    // What a fetch brings could not be stored: a listing shows what is there; `papers fetch` has nothing to do.
    if (net.maxDays === null) throw new DatabaseError(`${dbPath} is read-only, so nothing can be fetched into it; check its permissions and its folder's`);
    return { plan, report: null, readOnly: dbPath, ...(deferred ? { deferred } : {}) };
  }
  if (net.honorRecentFailure) {
    const skipped = hosts.map((h) => hostFailure(db, h)).find((f): f is HostFailure => f !== null && isRecent(f, ctx.now));
    if (skipped) return { plan, report: null, skipped, ...(deferred ? { deferred } : {}) };
  }
  const report = await fetchFrom(env, net, wanted, source);
  rememberHosts(db, ctx.now, report);
  return { plan, report, ...(deferred ? { deferred } : {}) };
}

/** Fetch `days` from `source` through the one loop and the source's adapter. */
async function fetchFrom(env: FetchEnv, net: NetSettings, days: string[], source: FetchSource): Promise<FetchReport> {
  const { fetchDays } = await import('./loop.js');
  if (source.kind === 'arxiv') {
    const { arxivAdapter } = await import('./arxiv-adapter.js');
    return fetchDays(env, net, days, (note) => arxivAdapter(env, net, source.categories, note));
  }
  const { hfAdapter } = await import('./hf-adapter.js');
  return fetchDays(env, net, days, () => hfAdapter(env.ctx.env, env.ctx.now));
}

/** False when this process cannot write the database file (permissions, a read-only file system). */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The hosts a source's requests go to. */
async function hostsOf(source: FetchSource, env: NodeJS.ProcessEnv): Promise<string[]> {
  if (source.kind === 'hf') return [new URL((await import('./hf.js')).hfEndpoint(env)).host];
  const { arxivEndpoints } = await import('./arxiv.js');
  const { rss, api } = arxivEndpoints(env);
  return [...new Set([new URL(rss).host, new URL(api).host])];
}

/** True while a failure still keeps listings away: RECENT_FAILURE_MS after it, or until the host's own retry time. */
export function isRecent(f: HostFailure, now: Date): boolean {
  const until = Math.max(Date.parse(f.failedAt) + RECENT_FAILURE_MS, f.retryAt ? Date.parse(f.retryAt) : 0);
  return now.getTime() < until;
}

/**
 * After a fetch: a host that failed for network reasons (no answer, refused, 5xx, 429) is
 * remembered with its reason; a host that answered is forgotten. A changed format is not a
 * network failure: the host answered. Bookkeeping only: a busy database skips it.
 */
function rememberHosts(db: Db, now: Date, report: FetchReport): void {
  const failed = new Map<string, HostFailure>();
  const answered = new Set<string>();
  for (const r of report.results) {
    const host = (!r.ok && r.host) || report.host;
    if (r.ok) answered.add(host);
    // A wait on another papers process says nothing about the host.
    else if (r.error.exitCode === ExitCode.Network && !(r.error instanceof TurnTimeoutError) && !failed.has(host)) {
      // retryAt is on the real clock; failures are dated on the command's clock (PAPERS_NOW in tests).
      const wait = r.error instanceof NetworkError && r.error.retryAt !== null ? Math.ceil((r.error.retryAt - Date.now()) / 1000) * 1000 : null;
      failed.set(host, { host, failedAt: now.toISOString(), retryAt: wait !== null ? new Date(now.getTime() + wait).toISOString() : null, reason: reasonOf(r.error) });
    }
  }
  try {
    for (const host of answered) if (!failed.has(host)) clearHostFailure(db, host);
    for (const f of failed.values()) recordHostFailure(db, f);
  } catch (err) {
    if (!writeRefusal(err)) throw err;
  }
}

/** Days that were to be fetched and were not: failed, or not tried after others failed. */
export function missedDays(o: Outcome): string[] {
  if (!o.report) return [];
  return [...o.report.results.filter((r) => !r.ok).map((r) => r.day), ...o.report.notTried].sort();
}

/** The first failure, or null. */
export function firstFailure(o: Outcome): PapersError | null {
  for (const r of o.report?.results ?? []) if (!r.ok) return r.error;
  return null;
}

/**
 * `2025-06-09 from huggingface.co (<reason>)`, or `3 of 7 days from huggingface.co
 * (2025-06-09: <reason>)`: the first failure stands for the others, which are usually the same.
 */
export function whatFailed(o: Outcome): string {
  const report = o.report!;
  const missed = missedDays(o);
  const first = report.results.find((r) => !r.ok);
  const reason = first && !first.ok ? reasonOf(first.error) : 'not tried';
  const host = (first && !first.ok && first.host) || report.host;
  const label = report.label ? `${report.label} ` : '';
  if (missed.length === 1) return `${label}${missed[0]} from ${host} (${reason})`;
  const asked = report.results.length + report.notTried.length;
  const days = report.label ? `days of ${report.label}` : 'days';
  return `${missed.length} of ${asked} ${days} from ${host} (${first ? `${first.day}: ` : ''}${reason})`;
}

/**
 * The one-line warning for stale-if-error, or null when nothing failed: what failed now, or
 * the host's recent failure that kept us from asking.
 */
export function staleWarning(o: Outcome, now: Date): string | null {
  if (o.skipped) return `${recentFailure(o.skipped, now)}; showing what the database has (--refresh to try now)`;
  if (o.readOnly) return `${o.readOnly} is read-only, so nothing was fetched; showing what the database has`;
  if (missedDays(o).length === 0) return null;
  return `could not fetch ${whatFailed(o)}; showing what the database has`;
}

/** True when the outcome is a failure to warn about (stale-if-error), now or remembered. */
export function failedOrSkipped(o: Outcome): boolean {
  return o.skipped !== undefined || o.readOnly !== undefined || missedDays(o).length > 0;
}

const NO_ANSWER = 'no answer in the time allowed';

/**
 * `huggingface.co did not answer 3 min ago`, `huggingface.co failed just now (HTTP 503 Service
 * Unavailable), and asked to be left alone until 14:05 UTC`.
 */
export function recentFailure(f: HostFailure, now: Date): string {
  const minutes = Math.round((now.getTime() - Date.parse(f.failedAt)) / 60_000);
  const ago = minutes < 1 ? 'just now' : `${minutes} min ago`;
  const verb = /^HTTP \d/.test(f.reason) ? 'failed' : 'did not answer';
  const reason = f.reason.replace(/; \S+ asks to wait .*$/, '');
  const why = reason === NO_ANSWER ? '' : ` (${reason})`;
  const back = f.retryAt && Date.parse(f.retryAt) > now.getTime() ? `, and asked to be left alone until ${f.retryAt.slice(11, 16)} UTC` : '';
  return `${f.host} ${verb} ${ago}${why}${back}`;
}

/**
 * `papers: 40 days, 2024-01-01 … 2024-02-09, were not fetched (...); to fetch them: papers fetch …`:
 * what a listing left for `papers fetch`, or null when it left nothing.
 */
export function deferredNote(o: Outcome, source: FetchSource, maxDays: number): string | null {
  const days = o.deferred;
  if (!days?.length) return null;
  const from = days[0]!;
  const to = days.at(-1)!;
  const flag = source.kind === 'hf' ? '' : ` --source ${sourceLabel(source)}`;
  return `${days.length} days from ${from} to ${to} are missing or stale and were not fetched (a listing fetches at most ${maxDays} days on its own); to fetch them: papers fetch${flag} --since ${from} --until ${to}`;
}

/** The error when something failed and the database has nothing to show instead: the failure's code (3, or 4 for a format change). */
export function cacheMissError(o: Outcome, now: Date): PapersError {
  if (o.readOnly) return new DatabaseError(`${o.readOnly} is read-only, so nothing was fetched, and the database has nothing for it; check its permissions and its folder's`);
  const what = o.skipped ? `${recentFailure(o.skipped, now)} (--refresh tries again now)` : `could not fetch ${whatFailed(o)}`;
  return new PapersError(
    `${what}, and the database has nothing for it; try again later, or save the page in a browser and \`papers import\` it`,
    firstFailure(o)?.exitCode ?? ExitCode.Network,
  );
}
