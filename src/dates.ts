/**
 * User date expressions → calendar days (`YYYY-MM-DD` strings).
 * Days are calendar dates, not instants: "today" is the current UTC date.
 *
 * Parsing and calendar arithmetic use date-fns on `UTCDate` (@date-fns/utc): every
 * computation happens in UTC whatever the machine's time zone. (On local dates a zone that
 * skipped a whole day — Samoa skipped 2011-12-30 — refused that day and counted `1d` wrong.)
 */
import { UTCDate } from '@date-fns/utc';
// Small sub-paths only: `date-fns/parse` and `date-fns/format` pull in ~200 modules (locales,
// token tables), which cost every command its start-up time (NOTES.md, bench/RESULTS.md).
import { addDays } from 'date-fns/addDays';
import { getISOWeek } from 'date-fns/getISOWeek';
import { getISOWeekYear } from 'date-fns/getISOWeekYear';
import { getISOWeeksInYear } from 'date-fns/getISOWeeksInYear';
import { isValid } from 'date-fns/isValid';
import { lastDayOfMonth } from 'date-fns/lastDayOfMonth';
import { setISOWeek } from 'date-fns/setISOWeek';
import { startOfISOWeek } from 'date-fns/startOfISOWeek';
import { UsageError } from './errors.js';

/** An inclusive range of days. */
export interface DayRange {
  from: string;
  to: string;
}

const DAY_FORMS = '`YYYY-MM-DD`, `today`, `yesterday` or `Nd` (N days ago, e.g. `3d`)';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The current UTC calendar day of `now`. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** A `YYYY-MM-DD` string as a UTC date; Invalid Date when it is not on the calendar (2025-02-30, year 0). */
function toUtc(day: string): Date {
  const [y, m, d] = [Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10))];
  const date = new UTCDate(0);
  // setFullYear, not the constructor: the constructor reads years 0–99 as 1900–1999.
  date.setFullYear(y, m - 1, d);
  const exact = y >= 1 && date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d;
  return exact ? date : new UTCDate(NaN);
}

/** A UTC date as `YYYY-MM-DD`; null when invalid or outside years 0001–9999. */
function fromUtc(d: Date): string | null {
  if (!isValid(d)) return null;
  const s = `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return DAY.test(s) && d.getFullYear() >= 1 ? s : null;
}

/** `day` shifted by `n` days. */
export function shiftDay(day: string, n: number): string {
  const shifted = fromUtc(addDays(toUtc(day), n));
  if (!shifted) throw new UsageError(`${day} shifted by ${n} days leaves the calendar (years 0000–9999)`);
  return shifted;
}

/** Parse one day expression: `YYYY-MM-DD`, `today`, `yesterday`, `Nd`. */
export function parseDay(expr: string, now: Date, flag = '--date'): string {
  const s = expr.trim().toLowerCase();
  const today = utcDay(now);
  if (s === 'today') return today;
  if (s === 'yesterday') return shiftDay(today, -1);
  const ago = /^(\d{1,5})d$/.exec(s);
  if (ago) return shiftDay(today, -Number(ago[1]));
  // date-fns refuses what is not on the calendar (2025-02-30, 2023-02-29).
  if (DAY.test(s) && fromUtc(toUtc(s)) === s) return s;
  throw new UsageError(`invalid ${flag} "${expr}": use ${DAY_FORMS}`);
}

/** Parse an ISO week `YYYY-Www` (e.g. `2025-W34`) into its Monday..Sunday range. */
export function parseWeek(expr: string): DayRange {
  const m = /^(\d{4})-?W(\d{1,2})$/i.exec(expr.trim());
  if (m) {
    const week = Number(m[2]);
    // January 4 is always in week 1 of its ISO year.
    const jan4 = toUtc(`${m[1]}-01-04`);
    if (isValid(jan4) && week >= 1 && week <= getISOWeeksInYear(jan4)) {
      const monday = startOfISOWeek(setISOWeek(jan4, week));
      const from = fromUtc(monday);
      const to = fromUtc(addDays(monday, 6));
      // 9999-W52 ends in the year 10000, which has no YYYY-MM-DD.
      if (from && to) return { from, to };
    }
  }
  throw new UsageError(`invalid --week "${expr}": use an ISO week such as 2025-W34`);
}

/** Parse a month `YYYY-MM` into its first..last day. */
export function parseMonth(expr: string): DayRange {
  const m = /^(\d{4})-(\d{2})$/.exec(expr.trim());
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const first = toUtc(`${m[1]}-${m[2]}-01`);
    const from = fromUtc(first);
    if (from) return { from, to: fromUtc(lastDayOfMonth(first))! };
  }
  throw new UsageError(`invalid --month "${expr}": use YYYY-MM, e.g. 2025-08`);
}

/** ISO week label (`2025-W34`) of a day (a valid `YYYY-MM-DD`). */
export function weekOf(day: string): string {
  const d = toUtc(day);
  return `${pad(getISOWeekYear(d), 4)}-W${pad(getISOWeek(d))}`;
}

/** The `YYYY-MM-DD` found in a file name, if any (e.g. `hfdp-ml_2025-06-09.json`). */
export function dayFromFileName(name: string): string | null {
  const m = /(\d{4}-\d{2}-\d{2})/.exec(name);
  if (!m) return null;
  return fromUtc(toUtc(m[1]!)) === m[1] ? m[1]! : null;
}
