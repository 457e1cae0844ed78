/**
 * Hugging Face Daily Papers as a unit of the fetch loop: a few days of one week or month
 * are asked for together (`week=`, `month=`; periods.ts), a lone day alone (the API, else
 * its listing page). Days a week's or month's answer cannot place (items without their day)
 * are asked again one by one.
 */
import { utcDay } from '../dates-day.js';
import type { PapersError } from '../errors.js';
import type { ParsedListing } from '../model.js';
import { fallsBack, fetchDay, fetchPeriod, hfEndpoint, HF_SOURCE, type PeriodListing } from './hf.js';
import type { Adapter, DayAnswer, RequestOptions, UnitAnswer } from './loop.js';
import { planQueries, type PeriodQuery } from './periods.js';
import { reasonOf } from './report.js';
import { CONCURRENCY } from './settings.js';

/** The adapter for HF_ENDPOINT, for a fetch that runs at `now`. */
export function hfAdapter(env: NodeJS.ProcessEnv, now: Date): Adapter<PeriodQuery> {
  const endpoint = hfEndpoint(env);
  const token = env.HF_TOKEN?.trim();
  // Once the API refuses one week or month (a mirror without week=, a changed answer), the
  // others are asked day by day without trying: one note, not one per period.
  let periodsRefused = false;

  /** One day: the API, else its listing page. */
  const oneDay = async (day: string, http: RequestOptions): Promise<UnitAnswer> => {
    const got = await fetchDay(endpoint, day, http, now);
    const notes = [...(got.fallbackReason ? [`the API failed (${got.fallbackReason}); read the listing page instead`] : []), ...got.listing.warnings];
    const detail = got.via === 'api' ? 'api' : got.complete ? 'listing page' : 'listing page, cards only';
    // Only a complete listing counts for freshness; a cards-only page is fetched again next time.
    return { days: [answer(day, got.listing, got.via, got.complete ? 'ok' : 'partial', detail, notes)] };
  };

  /** A week or month: its wanted days from one paged answer; the days it cannot place are asked again. */
  const period = async (q: PeriodQuery, http: RequestOptions): Promise<UnitAnswer> => {
    if (periodsRefused) return { days: [], again: q.days };
    let got: PeriodListing;
    try {
      got = await fetchPeriod(endpoint, q, http, now);
    } catch (err) {
      // An error page or a changed answer for the period: days may still work (with their page fallback).
      if (!fallsBack(err)) throw err;
      const notes = periodsRefused ? [] : [`${q.param}=${q.value}: the API failed (${reasonOf(err as PapersError)}); asking day by day`];
      periodsRefused = true;
      return { days: [], again: q.days, notes };
    }
    const days: DayAnswer[] = [];
    const again: string[] = [];
    for (const day of q.days) {
      const listing = got.byDay.get(day);
      // An answer whose items all name their day covers every day of the period, empty ones included.
      if (listing || got.undated === 0) days.push(answer(day, listing ?? { format: 'hf-api', items: [], warnings: [] }, 'api', 'ok', `api ${q.param} ${q.value}`, []));
      else again.push(day);
    }
    return { days, again };
  };

  return {
    host: new URL(endpoint).host,
    concurrency: CONCURRENCY,
    // Only to HF_ENDPOINT's host; the HTTP module drops it on a redirect to anywhere else.
    ...(token ? { http: { token: { host: new URL(endpoint).host, value: token } } } : {}),
    units: (days) => planQueries(days, utcDay(now)),
    dayUnit: (day) => ({ param: 'date', value: day, days: [day] }),
    name: (q) => q.value,
    daysOf: (q) => q.days,
    fetch: (q, http) => (q.param === 'date' ? oneDay(q.value, http) : period(q, http)),
  };
}

/** A day to store under `hf`, recorded in `fetches` with `status` and `detail`. */
function answer(day: string, listing: ParsedListing, via: 'api' | 'page', status: 'ok' | 'partial', detail: string, notes: string[]): DayAnswer {
  return { day, listing, via, notes, fetches: { source: HF_SOURCE, period: day, status, detail, items: listing.items.length } };
}
