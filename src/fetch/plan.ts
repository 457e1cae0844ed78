/**
 * Before a command reads days from the database: decide which of them need fetching
 * (freshness.ts), fetch those (run.ts, loaded only then, so offline and fresh paths never
 * load the HTTP stack), and describe what failed for stale-if-error.
 */
import type { App } from '../app.js';
import type { DayRange } from '../dates-day.js';
import { ExitCode, PapersError } from '../errors.js';
import { oldestOkFetches } from '../store/fetches.js';
import { decide, type Reason } from './freshness.js';
import type { FetchReport } from './run.js';
import type { NetSettings } from './settings.js';
import { HF_FETCH, listingSources, type FetchSource } from './sources.js';

const DAY_MS = 86_400_000;

/** Requests in flight at once: enough to hide latency, few enough to stay polite (HF: 500 calls / 5 min). arXiv: one at a time. */
export const CONCURRENCY = 3;

/** Every day of an inclusive range, oldest first. */
export function daysIn(range: DayRange): string[] {
  const days: string[] = [];
  const end = Date.parse(`${range.to}T00:00:00Z`);
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= end; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Each day with its freshness decision. */
export interface PlannedDay {
  day: string;
  fetch: boolean;
  reason: Reason;
}

/** Decide for each day (pure: the last fetches are passed in). */
export function planDays(days: string[], lastOk: Map<string, string>, now: Date, net: NetSettings): PlannedDay[] {
  return days.map((day) => ({
    day,
    ...decide({ day, lastOk: lastOk.get(day) ?? null, now, maxAgeMs: net.maxAgeMs, refresh: net.refresh, offline: net.offline }),
  }));
}

/** What ensureFresh did. */
export interface Outcome {
  plan: PlannedDay[];
  /** Null when nothing needed fetching. */
  report: FetchReport | null;
}

/**
 * Fetch the days of `range` that are missing or stale from `source` (default HF); never
 * throws for a day that failed (see Outcome). With several arXiv categories a day is as
 * fresh as its least fresh category.
 */
export async function ensureFresh(app: App, range: DayRange, net: NetSettings, source: FetchSource = HF_FETCH): Promise<Outcome> {
  const days = daysIn(range);
  if (net.offline) return { plan: planDays(days, new Map(), app.ctx.now, net), report: null };
  const db = await app.db();
  const plan = planDays(days, oldestOkFetches(db, listingSources(source), range), app.ctx.now, net);
  const wanted = plan.filter((p) => p.fetch).map((p) => p.day);
  if (wanted.length === 0) return { plan, report: null };
  if (source.kind === 'arxiv') {
    const { fetchArxivDays } = await import('./arxiv-run.js');
    return { plan, report: await fetchArxivDays(app, wanted, net, source.categories) };
  }
  const { fetchDays } = await import('./run.js');
  return { plan, report: await fetchDays(app, wanted, net) };
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

/** The one-line warning for stale-if-error, or null when nothing failed. */
export function staleWarning(o: Outcome): string | null {
  if (missedDays(o).length === 0) return null;
  return `could not fetch ${whatFailed(o)}; showing what the database has`;
}

/** The error when something failed and the database has nothing to show instead: the failure's code (3, or 4 for a format change). */
export function cacheMissError(o: Outcome): PapersError {
  return new PapersError(
    `could not fetch ${whatFailed(o)}, and the database has nothing for it; try again later, or save the page in a browser and \`papers import\` it`,
    firstFailure(o)?.exitCode ?? ExitCode.Network,
  );
}

/** A failure's message without the `GET <url>: ` or `<url>: ` it starts with (the host is named separately). */
export function reasonOf(err: Error): string {
  return err.message.replace(/^(?:GET )?https?:\/\/\S+: /, '');
}
