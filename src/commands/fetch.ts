/**
 * `papers fetch [--source hf|arxiv:CAT[+CAT…]]… [--date D | --week W | --month M | --since D [--until D]]`
 * — fill the database from Hugging Face (the default) or arXiv categories: the days asked
 * for that are missing or stale (see src/fetch/freshness.ts), by default today and the 2
 * days before. One summary line per source on stderr, like `papers import`.
 */
import type { App } from '../app.js';
import { shiftDay, utcDay, type DayRange } from '../dates-day.js';
import { PapersError, UsageError } from '../errors.js';
import { RECENT_DAYS } from '../fetch/freshness.js';
import { ensureFresh, HF_FIRST_DAY, whatFailed, type Outcome } from '../fetch/plan.js';
import { reasonOf, type DayResult, type FetchReport } from '../fetch/report.js';
import { envFlag, netSettings, type NetFlags, type NetSettings } from '../fetch/settings.js';
import { parseFetchSources, sourceLabel, type FetchSource } from '../fetch/sources.js';
import { fetchEnv } from './_fetch-env.js';
import { diagnostic } from '../render/diagnostic.js';
import { defineCommand } from './_command.js';
import { rangeFromFlags } from './_flags.js';
import { networkOptions, rangeOptions, type RangeFlags } from './_options.js';
import { note } from './_shared.js';
import { Option } from 'commander';

/** Options of `papers fetch`: `source` collects every `--source`. */
type FetchOptions = RangeFlags & NetFlags & { source?: string[] };

export default defineCommand<FetchOptions>({
  name: 'fetch',
  summary: 'fetch Hugging Face Daily Papers or arXiv categories into the database: the days asked for that are missing or stale (default: today and the 2 days before)',
  options: [
    new Option('--source <source>', "hf (default) or arxiv:CATEGORY; several categories: arxiv:cs.LG+cs.CL, or repeat the flag; arxiv: the config's categories").argParser((v: string, all: string[] = []) => [...all, v]),
    ...rangeOptions(),
    ...networkOptions({ fetching: true }),
  ],
  notes: 'Environment: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN, PAPERS_ARXIV_RSS, PAPERS_ARXIV_API, PAPERS_ARXIV_DELAY_MS (default 3000), HTTPS_PROXY/HTTP_PROXY/NO_PROXY.',
  examples: ['papers fetch', 'papers fetch --week 2025-W34', 'papers fetch --since 2025-01-01 --until 2025-03-31', 'papers fetch --date 2025-06-09 --refresh', 'papers fetch --source arxiv:cs.LG+cs.CL --since 7d'],
  run,
});

/** Run `papers fetch`. */
async function run(flags: FetchOptions, app: App): Promise<void> {
  const { ctx } = app;
  // Accepted so scripts can pass --offline everywhere, and refused: fetching is all this command does.
  if (flags.offline) throw new UsageError('fetch needs the network, and --offline forbids it: drop --offline');
  if (envOffline(ctx.env)) throw new UsageError('fetch needs the network, and PAPERS_OFFLINE is set: unset it to fetch');
  const net = netSettings(flags, ctx.env, app.config.maxAge);
  const sources = parseFetchSources(flags.source ?? app.config.sources ?? [], app.config.categories);
  const today = utcDay(ctx.now);
  const range = (await rangeFromFlags(flags, ctx.now)) ?? { from: shiftDay(today, -RECENT_DAYS), to: today };
  // Each source in turn; one that fails does not keep the others from being fetched.
  let failure: PapersError | null = null;
  for (const source of sources) {
    const failed = await fetchFrom(app, source, range, net);
    failure ??= failed;
  }
  if (failure) throw failure;
}

/** True when PAPERS_OFFLINE is on (a bad value is a usage error). */
function envOffline(env: NodeJS.ProcessEnv): boolean {
  return envFlag(env.PAPERS_OFFLINE, 'PAPERS_OFFLINE');
}

/** Fetch `range` from one source and print its summary; the error to end with, if any day failed. */
async function fetchFrom(app: App, source: FetchSource, range: DayRange, net: NetSettings): Promise<PapersError | null> {
  const { ctx } = app;
  // HF's messages name no source (it is the default); arXiv's say which categories.
  const label = source.kind === 'hf' ? '' : `${sourceLabel(source)} `;
  const outcome = await ensureFresh(await fetchEnv(app), range, net, source);
  if (!outcome.report) {
    note(ctx, `nothing to fetch${label ? ` from ${label.trim()}` : ''}: ${upToDate(outcome, range)}`);
    return null;
  }
  const { results, notTried } = outcome.report;
  const stored = results.filter((r): r is Extract<DayResult, { ok: true }> => r.ok);
  const failed = results.filter((r): r is Extract<DayResult, { ok: false }> => !r.ok);
  if (stored.length > 0) diagnostic(ctx.stderr, `fetched ${label}${summary(stored, outcome)}`);
  if (failed.length === 0) return null;
  if (results.length === 1 && notTried.length === 0) return new PapersError(`could not fetch ${whatFailed(outcome)}`, failed[0]!.error.exitCode);
  // Several days: each failure on its own line, then the count, like `papers import` of several files.
  for (const f of failed) note(ctx, `could not fetch ${label}${f.day} from ${f.host ?? outcome.report.host} (${reasonOf(f.error)})`);
  return new PapersError(failureCount(outcome.report, stored.length), failed[0]!.error.exitCode);
}

/** `2025-06-09: 12 read, …` or `5 days, 2025-02-03 … 2025-02-07: 26 read, …; 2 days up to date`. */
function summary(stored: Array<Extract<DayResult, { ok: true }>>, outcome: Outcome): string {
  const sum = (k: 'read' | 'added' | 'updated' | 'unchanged') => stored.reduce((n, r) => n + r.stats[k], 0);
  const days = stored.length === 1 ? stored[0]!.day : `${stored.length} days, ${stored[0]!.day} … ${stored.at(-1)!.day}`;
  const pages = stored.filter((r) => r.via === 'page').length;
  const parts = [`${days}: ${sum('read')} read, ${sum('added')} new, ${sum('updated')} updated, ${sum('unchanged')} unchanged`];
  if (stored.length === 1 && stored[0]!.via === 'none') parts.push('arXiv announces nothing on weekends');
  else if (stored.length === 1 && sum('read') === 0) parts.push('no papers listed that day');
  if (pages > 0) parts.push(stored.length === 1 ? 'from the listing page' : `${pages} from the listing page`);
  const skipped = outcome.plan.filter((p) => !p.fetch && p.reason !== 'future' && p.reason !== 'before-source').length;
  if (skipped > 0) parts.push(`${skipped} day${skipped === 1 ? '' : 's'} already up to date`);
  return parts.join('; ');
}

/** Why nothing was fetched: `2025-06-09 is up to date …` or `7 days up to date, 2 in the future`. */
function upToDate(outcome: Outcome, range: DayRange): string {
  const future = outcome.plan.filter((p) => p.reason === 'future').length;
  const before = outcome.plan.filter((p) => p.reason === 'before-source').length;
  const current = outcome.plan.length - future - before;
  if (outcome.plan.length === 1) {
    if (before) return `${range.from} is before Daily Papers began (${HF_FIRST_DAY.slice(0, 7)})`;
    return future ? `${range.from} is in the future` : `${range.from} is up to date (--refresh fetches it again)`;
  }
  const parts = [];
  if (current > 0) parts.push(`${current === outcome.plan.length ? 'all ' : ''}${current} day${current === 1 ? '' : 's'} up to date`);
  if (before > 0) parts.push(`${before} before Daily Papers began (${HF_FIRST_DAY.slice(0, 7)})`);
  if (future > 0) parts.push(`${future} in the future`);
  return `${parts.join(', ')} (${range.from} … ${range.to}; --refresh fetches again)`;
}

/** `2 of 7 days could not be fetched (3 not tried after 3 failures); the others were stored`. */
function failureCount(report: FetchReport, storedCount: number): string {
  const failed = report.results.length - storedCount;
  const missed = failed + report.notTried.length;
  const asked = report.results.length + report.notTried.length;
  const untried = report.notTried.length > 0 ? ` (${report.notTried.length} not tried after ${failed} failures)` : '';
  const days = report.label ? `days of ${report.label}` : 'days';
  return `${missed} of ${asked} ${days} could not be fetched${untried}; ${storedCount > 0 ? 'the others were stored' : 'nothing was stored'}`;
}
