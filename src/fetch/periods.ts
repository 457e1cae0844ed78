/**
 * Which Daily Papers API queries cover a set of days: `date=` for a lone day, `week=` or
 * `month=` for several, so a range costs a few paged requests instead of one per day. Pure:
 * the rules are a table of cases in test/unit/periods.test.ts.
 */
import { daysIn } from '../dates-day.js';
import { parseMonth, parseWeek, weekOf } from '../dates.js';

/** One API query and the wanted days its answer covers. */
export interface PeriodQuery {
  /** The API parameter: `date`, `week` or `month`. */
  param: 'date' | 'week' | 'month';
  /** Its value: `2025-06-09`, `2025-W24`, `2025-06`. */
  value: string;
  /** The wanted days in the period, oldest first. */
  days: string[];
}

/**
 * A month is asked as a whole when every one of its days up to today is wanted and there
 * are at least this many: a month answer is a few pages, about what its weeks would cost,
 * but in fewer round trips.
 */
const MONTH_MIN_DAYS = 8;

/**
 * The first listing day whose API items say which day they were listed on
 * (`paper.submittedOnDailyAt`), as seen in 485 real days of answers. A week's or month's
 * answer can only be split into days from then on; older days are asked one by one.
 */
export const DATED_SINCE = '2025-03-17';

/**
 * The queries for `wanted` (days, any order, no duplicates): whole months first, then ISO
 * weeks with two or more wanted days, then single days (and every day before DATED_SINCE).
 * Each wanted day is in exactly one query.
 */
export function planQueries(wanted: readonly string[], today: string): PeriodQuery[] {
  const queries: PeriodQuery[] = [];
  for (const day of wanted) if (day < DATED_SINCE) queries.push({ param: 'date', value: day, days: [day] });
  const left = new Set(wanted.filter((d) => d >= DATED_SINCE));
  for (const [month, days] of groupBy([...left].sort(), (d) => d.slice(0, 7))) {
    const all = daysIn(parseMonth(month)).filter((d) => d <= today);
    if (days.length >= MONTH_MIN_DAYS && days.length === all.length) {
      queries.push({ param: 'month', value: month, days });
      for (const d of days) left.delete(d);
    }
  }
  for (const [week, days] of groupBy([...left].sort(), weekOf)) {
    if (days.length >= 2) queries.push({ param: 'week', value: week, days });
    else queries.push({ param: 'date', value: days[0]!, days });
  }
  return queries.sort((a, b) => (a.days[0]! < b.days[0]! ? -1 : a.days[0]! > b.days[0]! ? 1 : 0));
}

/** The days of a query's whole period (for a week or month, also those not wanted). */
export function periodDays(q: Pick<PeriodQuery, 'param' | 'value'>): string[] {
  if (q.param === 'date') return [q.value];
  return daysIn(q.param === 'week' ? parseWeek(q.value) : parseMonth(q.value));
}

function groupBy(days: string[], key: (day: string) => string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const d of days) {
    const k = key(d);
    groups.set(k, [...(groups.get(k) ?? []), d]);
  }
  return groups;
}
