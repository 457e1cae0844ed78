/**
 * Days: user day expressions → calendar days (`YYYY-MM-DD` strings), and days ± n.
 * Days are calendar dates, not instants: "today" is the current UTC date.
 *
 * This is the light half of the date code, loaded by every listing command: plain UTC `Date`
 * arithmetic, no date-fns. Counting days on UTC dates is exact (no zone, no DST: every UTC day
 * is 86,400 s), so it needs no library. ISO weeks and months, which do need calendar rules,
 * are in dates.ts (date-fns + @date-fns/utc), loaded only by the commands and flags that use
 * them (`--week`, `--month`, `trend --by week`): loading date-fns costs ~30 ms of start-up.
 *
 * Every computation uses the `getUTC*`/`setUTC*` methods: the machine's time zone never
 * matters. (On local dates a zone that skipped a whole day — Samoa skipped 2011-12-30 —
 * refused that day and counted `1d` wrong.)
 */
import { UsageError } from './errors.js';

/** An inclusive range of days. */
export interface DayRange {
  from: string;
  to: string;
}

const DAY_FORMS = '`YYYY-MM-DD`, `today`, `yesterday` or `Nd` (N days ago, e.g. `3d`)';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** `n` zero-padded to `width` digits. */
export const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The current UTC calendar day of `now`. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * A `YYYY-MM-DD` string as midnight UTC of that day; Invalid Date when it is not on the
 * calendar (2025-02-30, year 0).
 */
export function toUtc(day: string): Date {
  const [y, m, d] = [Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10))];
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  date.setUTCFullYear(y, m - 1, d);
  const exact = y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return exact ? date : new Date(NaN);
}

/** A UTC date as `YYYY-MM-DD`; null when invalid or outside years 0001–9999. */
export function fromUtc(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  const s = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return DAY.test(s) && d.getUTCFullYear() >= 1 ? s : null;
}

/** The calendar's range, used by every parser and flag: years 0001–9999, the years `YYYY-MM-DD` can write. */
export const CALENDAR = 'years 0001–9999';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * False when a timestamp names a day that is not on the calendar: `2025-02-30…`,
 * `Sun, 30 Feb 2025 …`, year 0000. `Date` would roll such a day over to March (or accept
 * year 0) instead of failing; a string naming no day in these forms is left to its parser.
 */
export function namesRealDay(s: string): boolean {
  const iso = /^\s*(\d{4}-\d{2}-\d{2})/.exec(s);
  if (iso) return fromUtc(toUtc(iso[1]!)) === iso[1];
  const rfc = /\b(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{4})\b/.exec(s);
  const month = rfc ? MONTHS.indexOf(rfc[2]!.toLowerCase()) : -1;
  if (rfc && month >= 0) {
    const day = `${rfc[3]}-${pad(month + 1)}-${pad(Number(rfc[1]))}`;
    return fromUtc(toUtc(day)) === day;
  }
  return true;
}

/** `day` shifted by `n` days. */
export function shiftDay(day: string, n: number): string {
  const d = toUtc(day);
  // As date-fns' addDays: setDate(date + n) (a fractional n is truncated; NaN gives Invalid Date).
  if (isNaN(n)) d.setTime(NaN);
  else if (n) d.setUTCDate(d.getUTCDate() + n);
  const shifted = fromUtc(d);
  if (!shifted) throw new UsageError(`${day} shifted by ${n} days leaves the calendar (${CALENDAR})`);
  return shifted;
}

/** Every day of an inclusive range, oldest first. */
export function daysIn(range: DayRange): string[] {
  const days: string[] = [];
  const end = Date.parse(`${range.to}T00:00:00Z`);
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= end; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Parse one day expression: `YYYY-MM-DD`, `today`, `yesterday`, `Nd`. */
export function parseDay(expr: string, now: Date, flag = '--date'): string {
  const s = expr.trim().toLowerCase();
  const today = utcDay(now);
  if (s === 'today') return today;
  if (s === 'yesterday') return shiftDay(today, -1);
  const ago = /^(\d{1,5})d$/.exec(s);
  if (ago) return shiftDay(today, -Number(ago[1]));
  // Only days that are on the calendar (not 2025-02-30, 2023-02-29).
  if (DAY.test(s) && fromUtc(toUtc(s)) === s) return s;
  throw new UsageError(`invalid ${flag} "${expr}": use ${DAY_FORMS}`);
}

/** The `YYYY-MM-DD` found in a file name, if any (e.g. `hfdp-ml_2025-06-09.json`). */
export function dayFromFileName(name: string): string | null {
  const m = /(\d{4}-\d{2}-\d{2})/.exec(name);
  if (!m) return null;
  return fromUtc(toUtc(m[1]!)) === m[1] ? m[1]! : null;
}
