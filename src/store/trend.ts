/** Counts for `papers trend`: how many listed papers match a term on each listing day. */
import type { Db } from './db.js';

/** Per listing day, the number of distinct papers listed that day that match `match` (an FTS5 expression). */
export function matchesPerDay(db: Db, match: string, from: string, to: string): Map<string, number> {
  const rows = db
    .prepare<[string, string, string], { day: string; n: number }>(
      `SELECT l.day AS day, count(DISTINCT l.paper_id) AS n
       FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid JOIN listings l ON l.paper_id = p.id
       WHERE papers_fts MATCH ? AND l.day BETWEEN ? AND ?
       GROUP BY l.day`,
    )
    .all(match, from, to);
  return new Map(rows.map((r) => [r.day, r.n]));
}

/** Per listing day, the number of distinct papers listed (to find the span with data). */
export function listedPerDay(db: Db, from: string, to: string): Map<string, number> {
  const rows = db
    .prepare<[string, string], { day: string; n: number }>(
      'SELECT day, count(DISTINCT paper_id) AS n FROM listings WHERE day BETWEEN ? AND ? GROUP BY day',
    )
    .all(from, to);
  return new Map(rows.map((r) => [r.day, r.n]));
}
