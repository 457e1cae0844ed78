/** What several commands share besides printing: notes on stderr, and why a `--new` listing came out empty. */
import type { Context } from '../context.js';
import { utcDay, type DayRange } from '../dates-day.js';
import { diagnostic } from '../render/diagnostic.js';
import type { Db } from '../store/db.js';
import type { Filters } from '../store/query.js';

/** A one-line note on stderr. */
export function note(ctx: Context, message: string): void {
  diagnostic(ctx.stderr, `papers: ${message}`);
}

/**
 * Why a listing with `--new` came out empty, when `--new` is the reason (the same filters
 * without it find papers): `nothing new since 08:14 UTC (all 12 papers of 2025-06-09 were
 * shown or marked read; \`papers today\` shows them again)`. Null when the listing is empty
 * anyway. `again` is the command that lists them again; `otherFilters`, whether filters
 * besides `--new` were given.
 */
export async function nothingNew(db: Db, filters: Filters, range: DayRange, now: Date, again: string, otherFilters: boolean): Promise<string | null> {
  if (!filters.unread) return null;
  const { listPapers } = await import('../store/query.js');
  const all = listPapers(db, { ...filters, range, unread: false, limit: null }).map((r) => r.id);
  if (all.length === 0) return null;
  const last = (await import('../store/state.js')).lastReadAt(db, all);
  const since = last === null ? '' : ` since ${last.slice(0, 10) === utcDay(now) ? `${last.slice(11, 16)} UTC` : last.slice(0, 10)}`;
  const which = range.from === range.to ? `of ${range.from}` : `listed from ${range.from} to ${range.to}`;
  const one = all.length === 1;
  const matching = otherFilters ? ` that match${one ? 'es' : ''} the filters` : '';
  const papers = one ? `the 1 paper ${which}${matching} was` : `all ${all.length} papers ${which}${matching} were`;
  return `nothing new${since} (${papers} shown or marked read; \`${again}\` shows ${one ? 'it' : 'them'} again)`;
}
