/**
 * Whether a listing day needs fetching (README "Freshness"). A pure function of the day,
 * its last successful fetch and the clock, so the policy is one table of cases in
 * test/unit/freshness.test.ts.
 *
 * A day's listing grows during the day and for a while after (papers are added late), so:
 * - today and the 2 days before are refetched once their last fetch is older than max-age;
 * - an older day is final once it was fetched after it was 2 days old (at or after
 *   00:00 UTC of day + 2), and is otherwise fetched once more.
 */

/** Days before today whose listing may still change (today itself included, so 3 days in all). */
export const RECENT_DAYS = 2;

const DAY_MS = 86_400_000;

/** Why a day is fetched or not. */
export type Reason =
  /** `--offline` / `PAPERS_OFFLINE`: never fetch. */
  | 'offline'
  /** After today (UTC): nothing is listed yet. */
  | 'future'
  /** Before the source's first listing (Daily Papers began in May 2023): nothing to fetch, ever. */
  | 'before-source'
  /** `--refresh`: always fetch. */
  | 'refresh'
  /** Never fetched successfully. */
  | 'missing'
  /** A recent day whose last fetch is older than max-age. */
  | 'stale'
  /** An older day last fetched while it could still change: fetched once more. */
  | 'unsettled'
  /** A recent day fetched within max-age. */
  | 'fresh'
  /** An older day fetched after it stopped changing. */
  | 'final';

/** Everything the decision depends on. */
export interface FreshnessInput {
  /** The listing day, `YYYY-MM-DD`. */
  day: string;
  /** ISO time of the day's last successful fetch, or null. */
  lastOk: string | null;
  now: Date;
  /** How old a recent day's fetch may be before it is fetched again. */
  maxAgeMs: number;
  refresh: boolean;
  offline: boolean;
  /** The source's first listing day, if it has one: earlier days are never fetched. */
  firstDay?: string;
}

/** The decision and its reason. */
export interface Decision {
  fetch: boolean;
  reason: Reason;
}

/** Milliseconds at 00:00 UTC of a `YYYY-MM-DD` day. */
function startOf(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** Decide whether `day` needs fetching now. */
export function decide(i: FreshnessInput): Decision {
  const now = i.now.getTime();
  const today = startOf(i.now.toISOString().slice(0, 10));
  const day = startOf(i.day);
  if (i.offline) return { fetch: false, reason: 'offline' };
  if (day > today) return { fetch: false, reason: 'future' };
  if (i.firstDay !== undefined && i.day < i.firstDay) return { fetch: false, reason: 'before-source' };
  if (i.refresh) return { fetch: true, reason: 'refresh' };
  const last = i.lastOk === null ? NaN : Date.parse(i.lastOk);
  if (Number.isNaN(last)) return { fetch: true, reason: 'missing' };
  if (day >= today - RECENT_DAYS * DAY_MS) {
    return now - last > i.maxAgeMs ? { fetch: true, reason: 'stale' } : { fetch: false, reason: 'fresh' };
  }
  return last >= day + RECENT_DAYS * DAY_MS ? { fetch: false, reason: 'final' } : { fetch: true, reason: 'unsettled' };
}
