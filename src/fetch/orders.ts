/**
 * HF's own order of a listing day (`--sort trending`): fetched beside the day's listing when
 * missing or stale, stored as served (listing_orders), and read back by the listing query.
 * A failure never fails the listing: it is shown in the order the database has.
 */
import { shiftDay, utcDay } from '../dates-day.js';
import { DatabaseError, InterruptedError, PapersError, UsageError } from '../errors.js';
import { toDatabaseError } from '../store/db.js';
import { writeRefusal } from '../store/db-errors.js';
import { orderFetchedAt } from '../store/orders.js';
import { storeListing } from '../store/write.js';
import { userAgent } from '../version.js';
import { fetchOrder, hfEndpoint, HF_SOURCE, type HfOrder } from './hf.js';
import type { FetchEnv } from './loop.js';
import { reasonOf } from './report.js';
import { requestLimits, type NetSettings } from './settings.js';

/** Days this close to today (and today) get their order fetched again once older than --max-age; older days keep theirs. */
const RECENT_DAYS = 2;

/**
 * Make HF's `sort` order of `day` fresh: fetched when never stored, with `--refresh`, or for
 * a recent day when older than --max-age; never offline. Returns a one-line note when the
 * listing will not be in that order as HF serves it now, or null.
 */
export async function ensureOrder(env: FetchEnv, day: string, sort: HfOrder, net: NetSettings): Promise<string | null> {
  const { db, ctx } = env;
  const stored = orderFetchedAt(db, HF_SOURCE, day, sort);
  const recent = day >= shiftDay(utcDay(ctx.now), -RECENT_DAYS);
  const stale = stored === null || net.refresh || (recent && ctx.now.getTime() - Date.parse(stored) >= net.maxAgeMs);
  const fallback = stored ? `as fetched ${stored.slice(0, 16).replace('T', ' ')} UTC` : 'in rank order';
  if (!stale) return null;
  if (net.offline) return stored ? null : `HF's ${sort} order of ${day} is not in the database (offline); showing the papers ${fallback}`;
  try {
    const endpoint = hfEndpoint(ctx.env);
    const token = ctx.env.HF_TOKEN?.trim();
    const parsed = await fetchOrder(
      endpoint,
      day,
      sort,
      {
        userAgent: userAgent(),
        env: ctx.env,
        signal: env.signal,
        ...(token ? { token: { host: new URL(endpoint).host, value: token } } : {}),
        ...requestLimits(net),
      },
      ctx.now,
    );
    if (env.signal.aborted) throw new InterruptedError();
    try {
      storeListing(db, parsed, { now: ctx.now, order: sort });
    } catch (err) {
      // Bookkeeping for this listing, not the user's data: a busy or read-only database skips it.
      const refused = writeRefusal(err);
      if (refused) return `the database is ${refused === 'busy' ? 'busy' : 'read-only'}, so HF's ${sort} order of ${day} was not stored; showing the papers ${fallback}`;
      throw toDatabaseError(err, env.dbPath);
    }
    return null;
  } catch (err) {
    if (!(err instanceof PapersError) || err instanceof InterruptedError || err instanceof UsageError || err instanceof DatabaseError) throw err;
    return `could not fetch HF's ${sort} order of ${day} (${reasonOf(err)}); showing the papers ${fallback}`;
  }
}
