/**
 * User date expressions → calendar days (`YYYY-MM-DD` strings).
 * Days are calendar dates, not instants: "today" is the current UTC date.
 */
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import { startOfISOWeek } from 'date-fns/startOfISOWeek';
import { setISOWeek } from 'date-fns/setISOWeek';
import { getISOWeeksInYear } from 'date-fns/getISOWeeksInYear';
import { lastDayOfMonth } from 'date-fns/lastDayOfMonth';
import { UsageError } from './errors.js';

/** An inclusive range of days. */
export interface DayRange {
  from: string;
  to: string;
}

const DAY_FORMS = '`YYYY-MM-DD`, `today`, `yesterday` or `Nd` (N days ago, e.g. `3d`)';

/** The current UTC calendar day of `now`. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

// Calendar arithmetic in date-fns works on local dates: build one from the
// day's components and format it back, so the machine's time zone never matters.
function toLocal(day: string): Date {
  return parse(day, 'yyyy-MM-dd', new Date(2000, 0, 1));
}
function fromLocal(d: Date): string {
  return format(d, 'yyyy-MM-dd');
}

/** `day` shifted by `n` days. */
export function shiftDay(day: string, n: number): string {
  return fromLocal(addDays(toLocal(day), n));
}

/** Parse one day expression: `YYYY-MM-DD`, `today`, `yesterday`, `Nd`. */
export function parseDay(expr: string, now: Date, flag = '--date'): string {
  const s = expr.trim().toLowerCase();
  const today = utcDay(now);
  if (s === 'today') return today;
  if (s === 'yesterday') return shiftDay(today, -1);
  const ago = /^(\d{1,5})d$/.exec(s);
  if (ago) return shiftDay(today, -Number(ago[1]));
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const d = toLocal(s);
    // parse() accepts nothing out of range: 2025-02-30 is Invalid Date.
    if (isValid(d) && fromLocal(d) === s) return s;
  }
  throw new UsageError(`invalid ${flag} "${expr}": use ${DAY_FORMS}`);
}

/** Parse an ISO week `YYYY-Www` (e.g. `2025-W34`) into its Monday..Sunday range. */
export function parseWeek(expr: string): DayRange {
  const m = /^(\d{4})-?W(\d{1,2})$/i.exec(expr.trim());
  if (m) {
    const year = Number(m[1]);
    const week = Number(m[2]);
    const jan4 = new Date(year, 0, 4);
    if (week >= 1 && week <= getISOWeeksInYear(jan4)) {
      const monday = startOfISOWeek(setISOWeek(jan4, week));
      return { from: fromLocal(monday), to: fromLocal(addDays(monday, 6)) };
    }
  }
  throw new UsageError(`invalid --week "${expr}": use an ISO week such as 2025-W34`);
}

/** Parse a month `YYYY-MM` into its first..last day. */
export function parseMonth(expr: string): DayRange {
  const m = /^(\d{4})-(\d{2})$/.exec(expr.trim());
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const first = new Date(Number(m[1]), Number(m[2]) - 1, 1);
    return { from: fromLocal(first), to: fromLocal(lastDayOfMonth(first)) };
  }
  throw new UsageError(`invalid --month "${expr}": use YYYY-MM, e.g. 2025-08`);
}

/** ISO week label (`2025-W34`) of a day. */
export function weekOf(day: string): string {
  return format(toLocal(day), "RRRR-'W'II");
}

/** The `YYYY-MM-DD` found in a file name, if any (e.g. `hfdp-ml_2025-06-09.json`). */
export function dayFromFileName(name: string): string | null {
  const m = /(\d{4}-\d{2}-\d{2})/.exec(name);
  if (!m) return null;
  const d = toLocal(m[1]!);
  return isValid(d) && fromLocal(d) === m[1] ? m[1]! : null;
}
