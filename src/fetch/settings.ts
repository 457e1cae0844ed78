/**
 * The network settings of one run, from flags and environment variables (a flag wins over
 * its variable). Validated here, once, so the fetch code never sees a bad value.
 */
import { MAX_DURATION_SECONDS } from '../config.js';
import { UsageError } from '../errors.js';

/** Raw commander values of the network flags. */
export interface NetFlags {
  offline?: boolean;
  refresh?: boolean;
  maxAge?: string;
  timeout?: string;
  retries?: string;
}

/** What the fetch code needs to know. */
export interface NetSettings {
  /** Never touch the network. */
  offline: boolean;
  /** Fetch every day asked for, fresh or not. */
  refresh: boolean;
  /** How old the last fetch of a recent day may be. */
  maxAgeMs: number;
  /** Connect, response and body-silence timeout; null: the HTTP module's defaults. */
  timeoutMs: number | null;
  /** Extra tries after a failed one; null: the HTTP module's default. */
  retries: number | null;
  /** The command's one time budget for the network, shared by all its requests (and turns at arXiv); null: none. */
  budget: Budget | null;
  /** Answer from the database at once when the host failed a moment ago (listings, not `fetch`). */
  honorRecentFailure: boolean;
  /** Days fetched on the command's own initiative at most; null: no cap (`fetch`). */
  maxDays: number | null;
}

/** Requests in flight at once: enough to hide latency, few enough to stay polite (HF: 500 calls / 5 min). arXiv: one at a time. */
export const CONCURRENCY = 3;

/** How long a listing with something to show waits for the network in all. */
export const LISTING_BUDGET_MS = 5_000;
/** Missing days a listing fetches on its own; past it, it shows the database and names the fetch command. */
export const LISTING_MAX_DAYS = 31;
/** How long after a host failed listings answer from the database without asking it again. */
export const RECENT_FAILURE_MS = 10 * 60_000;

/** Bytes all the answers for one listing (a day, week or month: every page, and a day's listing page) may add up to. */
export const MAX_LISTING_BYTES = 64 * 1024 * 1024;

/** How long a command waits for the network without an answer, when --timeout does not say. */
export const COMMAND_BUDGET_MS = 120_000;
/** With --timeout T, a command waits at most this many times T without an answer (and at least LISTING_BUDGET_MS). */
export const BUDGET_TIMEOUTS = 4;
/** With --timeout T, one try of a request takes at most this many times T in all, body included, plus TRY_SLACK_MS. */
export const TRY_TIMEOUTS = 2;
// undici's own timeouts fire up to a second late: the slack lets a plain timeout be reported as what it is.
const TRY_SLACK_MS = 1000;

/**
 * One time budget for every request of a command: its clock starts at the first request,
 * so reading the database, loading code and earlier days' work before it do not count. A
 * renewing budget starts again at each answer, so it bounds the time without progress
 * rather than a long fetch that keeps receiving.
 */
export class Budget {
  private deadline: number | null = null;
  constructor(
    readonly ms: number,
    readonly renewing = false,
  ) {}
  /** The deadline (epoch ms), fixed the first time it is asked for. */
  deadlineFromNow(): number {
    return (this.deadline ??= Date.now() + this.ms);
  }
  /** An answer arrived: a renewing budget starts again from now. */
  answered(): void {
    if (this.renewing) this.deadline = Date.now() + this.ms;
  }
}

/** The budget of a command that is not a listing with something to show: renewing, tied to --timeout. */
export function commandBudget(timeoutMs: number | null): Budget {
  return new Budget(timeoutMs === null ? COMMAND_BUDGET_MS : Math.max(LISTING_BUDGET_MS, BUDGET_TIMEOUTS * timeoutMs), true);
}

/** The HTTP options every request of a command shares: --timeout, --retries and the command's time budget. */
export function requestLimits(net: NetSettings) {
  const t = net.timeoutMs;
  const budget = net.budget;
  return {
    ...(t !== null ? { connectTimeoutMs: t, headersTimeoutMs: t, bodyTimeoutMs: t, totalTimeoutMs: TRY_TIMEOUTS * t + TRY_SLACK_MS } : {}),
    ...(net.retries !== null ? { retries: net.retries } : {}),
    ...(budget ? { deadline: () => budget.deadlineFromNow(), onAnswer: () => budget.answered() } : {}),
  };
}

/**
 * The settings of an interactive listing (`today`, `list` with a range). With something in the
 * database to show, waiting for the network is worth seconds, not minutes: one budget of
 * LISTING_BUDGET_MS (or --timeout, if longer), and a host that failed a moment ago is not asked
 * again (`--refresh` always asks). With nothing to show, the network is all there is: the
 * usual timeouts and retries apply.
 */
export function listingSettings(net: NetSettings, showable: boolean): NetSettings {
  const out = { ...net, maxDays: LISTING_MAX_DAYS };
  if (!showable) return out;
  return { ...out, budget: new Budget(Math.max(LISTING_BUDGET_MS, net.timeoutMs ?? 0)), honorRecentFailure: !net.refresh };
}

/** `--max-age` when neither the flag nor PAPERS_MAX_AGE is given. */
export const DEFAULT_MAX_AGE = '1h';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s`, `15m`, `1h`, `2d`, or `0`, in milliseconds; a usage error naming `what` otherwise. */
export function parseDuration(value: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])?$/i.exec(value.trim());
  const ms = m && (m[2] || Number(m[1]) === 0) ? Math.round(Number(m[1]) * (m[2] ? UNIT_MS[m[2].toLowerCase()]! : 0)) : NaN;
  if (ms <= MAX_DURATION_SECONDS * 1000) return ms;
  throw new UsageError(`invalid ${what} "${value}": use a number with s, m, h or d, e.g. 30m or 2h (0: always refetch), at most 36500d`);
}

/** True for `1`, `true`, `yes`, `on` (any case); false for unset, empty, `0`, `false`, `no`, `off`. */
export function envFlag(value: string | undefined, name: string): boolean {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === '0' || v === 'false' || v === 'no' || v === 'off') return false;
  if (v === '1' || v === 'true' || v === 'yes' || v === 'on') return true;
  throw new UsageError(`invalid ${name} "${value}": use 1 or 0`);
}

/** Seconds (decimals allowed, at most an hour) in milliseconds; 0 only where `zero` allows it. */
function seconds(value: string, what: string, zero = false): number {
  const s = value.trim();
  if (!/^\d+(?:\.\d+)?$/.test(s) || (Number(s) === 0 && !zero) || Number(s) > 3600) {
    throw new UsageError(`invalid ${what} "${value}": expected seconds, e.g. 10 or 0.5${zero ? ' (0: do not wait)' : ''}`);
  }
  return Math.round(Number(s) * 1000);
}

/**
 * PAPERS_BUSY_TIMEOUT: seconds to wait for another process's write lock (0 fails at once, for
 * scripts that would rather retry themselves); null when unset (the database's default, 30 s).
 */
export function busyTimeoutMs(env: NodeJS.ProcessEnv): number | null {
  return pick(undefined, '', env, 'PAPERS_BUSY_TIMEOUT', (v, what) => seconds(v, what, true));
}

function retries(value: string, what: string): number {
  const s = value.trim();
  if (!/^\d+$/.test(s) || Number(s) > 10) throw new UsageError(`invalid ${what} "${value}": expected a whole number from 0 to 10`);
  return Number(s);
}

/** Read one setting: the flag if given, else the variable if set, else null. */
function pick<T>(flag: string | undefined, flagName: string, env: NodeJS.ProcessEnv, envName: string, parse: (v: string, what: string) => T): T | null {
  if (flag !== undefined) return parse(flag, flagName);
  const v = env[envName];
  return v !== undefined && v !== '' ? parse(v, envName) : null;
}

/**
 * The settings of this run; `PAPERS_OFFLINE` is a hard switch, so asking for a refresh under it
 * is an error. `configMaxAgeSeconds` is the config file's `maxAge`: a default below the flag and
 * the environment, never a flag of its own.
 */
export function netSettings(flags: NetFlags, env: NodeJS.ProcessEnv, configMaxAgeSeconds?: number): NetSettings {
  const envOffline = envFlag(env.PAPERS_OFFLINE, 'PAPERS_OFFLINE');
  if (flags.refresh && flags.offline) throw new UsageError('use either --offline or --refresh, not both');
  if (flags.refresh && envOffline) throw new UsageError('--refresh needs the network, but PAPERS_OFFLINE is set; unset it to fetch');
  const timeoutMs = pick(flags.timeout, '--timeout', env, 'PAPERS_TIMEOUT', seconds);
  return {
    offline: flags.offline === true || envOffline,
    refresh: flags.refresh === true,
    maxAgeMs:
      pick(flags.maxAge, '--max-age', env, 'PAPERS_MAX_AGE', parseDuration) ??
      (configMaxAgeSeconds !== undefined ? Math.round(configMaxAgeSeconds * 1000) : parseDuration(DEFAULT_MAX_AGE, '--max-age')),
    timeoutMs,
    retries: pick(flags.retries, '--retries', env, 'PAPERS_RETRIES', retries),
    budget: commandBudget(timeoutMs),
    honorRecentFailure: false,
    maxDays: null,
  };
}

/** The wait between two requests to arXiv when PAPERS_ARXIV_DELAY_MS is unset: arXiv asks for 3 s. */
export const DEFAULT_ARXIV_DELAY_MS = 3000;

/** PAPERS_ARXIV_DELAY_MS: milliseconds between the starts of two arXiv requests (tests set it near 0). */
export function arxivDelayMs(env: NodeJS.ProcessEnv): number {
  const v = env.PAPERS_ARXIV_DELAY_MS?.trim();
  if (v === undefined || v === '') return DEFAULT_ARXIV_DELAY_MS;
  if (!/^\d+$/.test(v) || Number(v) > 600_000) {
    throw new UsageError(`invalid PAPERS_ARXIV_DELAY_MS "${env.PAPERS_ARXIV_DELAY_MS}": expected milliseconds from 0 to 600000 (arXiv asks for 3000)`);
  }
  return Number(v);
}
