/** Reading the `fetches` table and listing days back for freshness decisions. */
import type { DayRange } from '../dates.js';
import type { Db } from './db.js';

// Day periods only: the table may also hold weeks (`2025-W34`) and months (`2025-08`),
// which sort between days of the same year.
const IS_DAY = "period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'";

// A complete listing of the day: fetched (`ok`), or imported from a whole listing (`import`).
const COMPLETE = "status IN ('ok', 'import')";

/** The time of each day's latest complete fetch or import from `source`, for the days in `range` that have one. */
export function lastOkFetches(db: Db, source: string, range: DayRange): Map<string, string> {
  const rows = db
    .prepare<[string, string, string], { period: string; at: string }>(
      `SELECT period, max(fetched_at) AS at FROM fetches
       WHERE source = ? AND ${COMPLETE} AND period BETWEEN ? AND ? AND ${IS_DAY}
       GROUP BY period`,
    )
    .all(source, range.from, range.to);
  return new Map(rows.map((r) => [r.period, r.at]));
}

/** The newest complete fetch or import of the days in `range` from `source`: its time and status, or null. */
export function newestOkFetch(db: Db, source: string, range: DayRange): { at: string; status: string } | null {
  return (
    db
      .prepare<[string, string, string], { at: string; status: string }>(
        `SELECT fetched_at AS at, status FROM fetches
         WHERE source = ? AND ${COMPLETE} AND period BETWEEN ? AND ? AND ${IS_DAY}
         ORDER BY fetched_at DESC LIMIT 1`,
      )
      .get(source, range.from, range.to) ?? null
  );
}

// A listing source filter as `--source` means it: `hf` and `arxiv:cs.LG` exactly, a bare `arxiv` any `arxiv:…`.
const SOURCE_IS = "(source = ? OR source LIKE ? ESCAPE '\\')";
const sourceParams = (source: string): [string, string] => [source, source.includes(':') ? source.replace(/[\\%_]/g, (c) => '\\' + c) : `${source}:%`];

/** Days in `range` with at least one listing (of `source`, if given: `hf`, `arxiv`, `arxiv:cs.LG`). */
export function listedDays(db: Db, range: DayRange, source?: string | null): Set<string> {
  const rows = source
    ? db
        .prepare<[string, string, string, string], { day: string }>(`SELECT DISTINCT day FROM listings WHERE day BETWEEN ? AND ? AND ${SOURCE_IS}`)
        .all(range.from, range.to, ...sourceParams(source))
    : db.prepare<[string, string], { day: string }>('SELECT DISTINCT day FROM listings WHERE day BETWEEN ? AND ?').all(range.from, range.to);
  return new Set(rows.map((r) => r.day));
}

/** The latest day on or before `day` with a listing (of `source`, if given), or null. */
export function latestListedDay(db: Db, day: string, source?: string | null): string | null {
  const row = source
    ? db.prepare<[string, string, string], { d: string | null }>(`SELECT max(day) AS d FROM listings WHERE day <= ? AND ${SOURCE_IS}`).get(day, ...sourceParams(source))
    : db.prepare<[string], { d: string | null }>('SELECT max(day) AS d FROM listings WHERE day <= ?').get(day);
  return row?.d ?? null;
}

/**
 * For each day in `range` that every one of `sources` has fetched successfully, the time
 * of the oldest of their latest fetches: a day is as fresh as its least fresh source.
 */
export function oldestOkFetches(db: Db, sources: readonly string[], range: DayRange): Map<string, string> {
  const [first, ...rest] = sources.map((s) => lastOkFetches(db, s, range));
  if (!first) return new Map();
  const out = new Map<string, string>();
  for (const [day, at] of first) {
    let oldest: string | null = at;
    for (const other of rest) {
      const t = other.get(day);
      if (t === undefined) {
        oldest = null;
        break;
      }
      if (t < oldest) oldest = t;
    }
    if (oldest !== null) out.set(day, oldest);
  }
  return out;
}

/** The rank of each paper in one listing (`source` on `day`), to keep an order already stored. */
export function listingRanks(db: Db, source: string, day: string): Map<string, number> {
  const rows = db
    .prepare<[string, string], { paper_id: string; rank: number }>('SELECT paper_id, rank FROM listings WHERE source = ? AND day = ?')
    .all(source, day);
  return new Map(rows.map((r) => [r.paper_id, r.rank]));
}
