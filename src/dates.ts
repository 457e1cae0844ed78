/**
 * User date expressions → calendar days (`YYYY-MM-DD` strings): the whole date API.
 * Days are calendar dates, not instants: "today" is the current UTC date.
 *
 * Two halves, so that start-up pays only for what a command uses:
 * - dates-day.ts: days (`YYYY-MM-DD`, `today`, `yesterday`, `Nd`, a day ± n) with plain UTC
 *   `Date` arithmetic — what every listing command needs; import it from there.
 * - this module: ISO weeks and months, with date-fns on `UTCDate` (@date-fns/utc): every
 *   computation in UTC whatever the machine's time zone. Loading it costs ~30 ms, so callers
 *   reach it through `import()` only when a `--week`/`--month` flag or `trend --by week` needs it.
 * It re-exports the day half, so this module alone is the full API (the tests use it).
 */
import { UTCDate } from '@date-fns/utc';
// Small sub-paths only: `date-fns/parse` and `date-fns/format` pull in ~200 modules (locales,
// token tables), which would cost every command start-up time.
import { addDays } from 'date-fns/addDays';
import { getISOWeek } from 'date-fns/getISOWeek';
import { getISOWeekYear } from 'date-fns/getISOWeekYear';
import { getISOWeeksInYear } from 'date-fns/getISOWeeksInYear';
import { isValid } from 'date-fns/isValid';
import { lastDayOfMonth } from 'date-fns/lastDayOfMonth';
import { setISOWeek } from 'date-fns/setISOWeek';
import { startOfISOWeek } from 'date-fns/startOfISOWeek';
import { fromUtc, pad, shiftDay, toUtc as dayToUtc, utcDay, type DayRange } from './dates-day.js';
import { UsageError } from './errors.js';

export { dayFromFileName, parseDay, shiftDay, utcDay, type DayRange } from './dates-day.js';

/** A `YYYY-MM-DD` string as a `UTCDate` (date-fns then computes in UTC); Invalid Date when it is not on the calendar. */
function toUtc(day: string): Date {
  return new UTCDate(dayToUtc(day).getTime());
}

/** The calendar's last day (dates-day.ts: years 0001–9999). */
const LAST_DAY = '9999-12-31';

/** Parse an ISO week `YYYY-Www` (e.g. `2025-W34`) into its Monday..Sunday range (the last week of 9999 ends on 9999-12-31). */
export function parseWeek(expr: string): DayRange {
  const m = /^(\d{4})-?W(\d{1,2})$/i.exec(expr.trim());
  if (m) {
    const week = Number(m[2]);
    // January 4 is always in week 1 of its ISO year.
    const jan4 = toUtc(`${m[1]}-01-04`);
    if (isValid(jan4) && week >= 1 && week <= getISOWeeksInYear(jan4)) {
      const monday = startOfISOWeek(setISOWeek(jan4, week));
      const from = fromUtc(monday);
      // 9999-W52 ends in the year 10000, off the calendar: it ends where the calendar does, as 9999-12 does.
      const to = fromUtc(addDays(monday, 6)) ?? LAST_DAY;
      if (from) return { from, to };
    }
  }
  throw new UsageError(`invalid --week "${expr}": use an ISO week such as 2025-W34, or this or last`);
}

/** Parse a month `YYYY-MM` into its first..last day. */
export function parseMonth(expr: string): DayRange {
  const m = /^(\d{4})-(\d{2})$/.exec(expr.trim());
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const first = toUtc(`${m[1]}-${m[2]}-01`);
    const from = fromUtc(first);
    if (from) return { from, to: fromUtc(lastDayOfMonth(first))! };
  }
  throw new UsageError(`invalid --month "${expr}": use YYYY-MM, e.g. 2025-08, or this or last`);
}

/** `this` or `last` (any case) as a relative period, else null. */
function relative(expr: string): 'this' | 'last' | null {
  const s = expr.trim().toLowerCase();
  return s === 'this' || s === 'last' ? s : null;
}

/**
 * `--week`: an ISO week (`2025-W34`), or `this` / `last` — the ISO week (Monday..Sunday, UTC)
 * of today or of the day a week ago. `this` reaches into the days to come; listings hold none.
 */
export function weekRange(expr: string, now: Date): DayRange {
  const rel = relative(expr);
  return parseWeek(rel === null ? expr : weekOf(shiftDay(utcDay(now), rel === 'this' ? 0 : -7)));
}

/** `--month`: `YYYY-MM`, or `this` / `last` — the UTC month of today or the one before it. */
export function monthRange(expr: string, now: Date): DayRange {
  const rel = relative(expr);
  if (rel === null) return parseMonth(expr);
  const today = utcDay(now);
  const month = rel === 'this' ? today.slice(0, 7) : shiftDay(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
  return parseMonth(month);
}

/** ISO week label (`2025-W34`) of a day (a valid `YYYY-MM-DD`). */
export function weekOf(day: string): string {
  const d = toUtc(day);
  return `${pad(getISOWeekYear(d), 4)}-W${pad(getISOWeek(d))}`;
}
