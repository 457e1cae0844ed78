/**
 * User date expressions → calendar days (`YYYY-MM-DD` strings).
 * Days are calendar dates, not instants: "today" is the current UTC date.
 *
 * Parsing and calendar arithmetic use date-fns on `UTCDate` (@date-fns/utc): every
 * computation happens in UTC whatever the machine's time zone. (On local dates a zone that
 * skipped a whole day — Samoa skipped 2011-12-30 — refused that day and counted `1d` wrong.)
 */
import { UTCDate } from '@date-fns/utc';
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { getISOWeeksInYear } from 'date-fns/getISOWeeksInYear';
import { isValid } from 'date-fns/isValid';
import { lastDayOfMonth } from 'date-fns/lastDayOfMonth';
import { parse } from 'date-fns/parse';
import { setISOWeek } from 'date-fns/setISOWeek';
import { startOfISOWeek } from 'date-fns/startOfISOWeek';
import { UsageError } from './errors.js';

/** An inclusive range of days. */
export interface DayRange {
  from: string;
  to: string;
}

const DAY_FORMS = '`YYYY-MM-DD`, `today`, `yesterday` or `Nd` (N days ago, e.g. `3d`)';
const REFERENCE = new UTCDate(2000, 0, 1);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The current UTC calendar day of `now`. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** A `YYYY-MM-DD` string as a UTC date (Invalid Date for 2025-02-30). */
function toUtc(day: string): Date {
  return parse(day, 'yyyy-MM-dd', REFERENCE);
}

/** A UTC date as `YYYY-MM-DD`; null when invalid or outside years 0001–9999 (date-fns has no year 0). */
function fromUtc(d: Date): string | null {
  if (!isValid(d)) return null;
  const s = format(d, 'yyyy-MM-dd');
  return DAY.test(s) ? s : null;
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
  return format(toUtc(day), "RRRR-'W'II");
}

/** The `YYYY-MM-DD` found in a file name, if any (e.g. `hfdp-ml_2025-06-09.json`). */
export function dayFromFileName(name: string): string | null {
  const m = /(\d{4}-\d{2}-\d{2})/.exec(name);
  if (!m) return null;
  return fromUtc(toUtc(m[1]!)) === m[1] ? m[1]! : null;
}
