/** Reading the `fetches` table and listing days back for freshness decisions (issue 3). */
import type { DayRange } from '../dates.js';
import type { Db } from './db.js';

// Day periods only: the table may also hold weeks (`2025-W34`) and months (`2025-08`),
// which sort between days of the same year.
const IS_DAY = "period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'";

/** The time of each day's latest successful (`ok`) fetch from `source`, for the days in `range` that have one. */
export function lastOkFetches(db: Db, source: string, range: DayRange): Map<string, string> {
  const rows = db
    .prepare<[string, string, string], { period: string; at: string }>(
      `SELECT period, max(fetched_at) AS at FROM fetches
       WHERE source = ? AND status = 'ok' AND period BETWEEN ? AND ? AND ${IS_DAY}
       GROUP BY period`,
    )
    .all(source, range.from, range.to);
  return new Map(rows.map((r) => [r.period, r.at]));
}

/** Days in `range` with at least one listing (of `source`, if given). */
export function listedDays(db: Db, range: DayRange, source?: string | null): Set<string> {
  const rows = source
    ? db
        .prepare<[string, string, string], { day: string }>('SELECT DISTINCT day FROM listings WHERE day BETWEEN ? AND ? AND source = ?')
        .all(range.from, range.to, source)
    : db.prepare<[string, string], { day: string }>('SELECT DISTINCT day FROM listings WHERE day BETWEEN ? AND ?').all(range.from, range.to);
  return new Set(rows.map((r) => r.day));
}

/** The latest day on or before `day` with a listing (of `source`, if given), or null. */
export function latestListedDay(db: Db, day: string, source?: string | null): string | null {
  const row = source
    ? db.prepare<[string, string], { d: string | null }>('SELECT max(day) AS d FROM listings WHERE day <= ? AND source = ?').get(day, source)
    : db.prepare<[string], { d: string | null }>('SELECT max(day) AS d FROM listings WHERE day <= ?').get(day);
  return row?.d ?? null;
}
