/** HF's own orders of a listing day (table `listing_orders`): when each was last fetched. */
import type { Db } from './db.js';

/** When HF's `sort` order of `source`'s listing of `day` was last stored, or null when never. */
export function orderFetchedAt(db: Db, source: string, day: string, sort: string): string | null {
  return (
    db.prepare<[string, string, string], string | null>('SELECT max(fetched_at) FROM listing_orders WHERE source = ? AND day = ? AND sort = ?').pluck().get(source, day, sort) ?? null
  );
}
