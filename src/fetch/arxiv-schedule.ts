/**
 * arXiv's announcement schedule (info.arxiv.org/help/availability.html), which ties the two
 * kinds of day together: the RSS feed is dated by announcement, the export API is searched
 * by submission time.
 *
 * Submissions close at 14:00 New York time, Monday to Friday; what came in before a
 * deadline is announced at 20:00 that evening (Friday's on Sunday evening). 20:00 in New
 * York is already the next day in UTC, and the RSS feed carries that next day as its date:
 * the submissions of Fri 14:00 … Mon 14:00 are the feed of Tuesday. So for `arxiv:*`
 * listings, the **listing day is the announcement day, the date of the RSS feed** — the
 * next weekday after the deadline a paper made. Saturdays and Sundays have no announcement.
 *
 * arXiv's holidays (a few days a year, announced in advance) are not modelled: a day
 * fetched from the API around one may list papers that were in fact announced a day or
 * two later. The RSS feed is always exact.
 */

const DAY_MS = 86_400_000;
/** Submission deadline, New York time. */
const DEADLINE_HOUR = 14;
const ZONE = 'America/New_York';

const wallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** New York's offset from UTC at `t`, in milliseconds (-4 h or -5 h). */
function offsetAt(t: number): number {
  const parts = Object.fromEntries(wallClock.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(t / 1000) * 1000;
}

/** The UTC instant of `hour`:00 New York time on `day` (never in a DST gap: those are at 2:00). */
function newYorkTime(day: string, hour: number): number {
  const wall = Date.parse(`${day}T00:00:00Z`) + hour * 3_600_000;
  let t = wall - offsetAt(wall);
  t = wall - offsetAt(t);
  return t;
}

/** The New York calendar day of an instant. */
function newYorkDay(t: number): string {
  return new Date(t + offsetAt(t)).toISOString().slice(0, 10);
}

const shift = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

/** True for Saturday and Sunday, when arXiv announces nothing. */
export function isWeekend(day: string): boolean {
  const d = weekday(day);
  return d === 0 || d === 6;
}

/** The next weekday after `day`. */
function nextWeekday(day: string): string {
  let d = shift(day, 1);
  while (isWeekend(d)) d = shift(d, 1);
  return d;
}

/** The last weekday before `day`. */
function previousWeekday(day: string): string {
  let d = shift(day, -1);
  while (isWeekend(d)) d = shift(d, -1);
  return d;
}

/** The deadline (14:00 New York) of a weekday, as a UTC instant. */
function deadline(day: string): number {
  return newYorkTime(day, DEADLINE_HOUR);
}

/** The announcement day (`YYYY-MM-DD`, the RSS feed's date) of a paper submitted at `submitted`. */
export function announcementDay(submitted: Date): string {
  const t = submitted.getTime();
  const local = newYorkDay(t);
  // The first deadline at or after the submission.
  const closes = !isWeekend(local) && t < deadline(local) ? local : nextWeekday(local);
  return nextWeekday(closes);
}

/** Submissions announced on `day`: from `from` (inclusive) to `to` (exclusive), UTC instants. */
export interface SubmissionWindow {
  from: Date;
  to: Date;
}

/**
 * The submission times announced on `day` (its RSS feed), or null for a Saturday or a
 * Sunday. Tuesday 2026-03-10: Fri 2026-03-06 14:00 EST (19:00 UTC) to Mon 2026-03-09
 * 14:00 EDT (18:00 UTC).
 */
export function submissionWindow(day: string): SubmissionWindow | null {
  if (isWeekend(day)) return null;
  const closes = previousWeekday(day);
  return { from: new Date(deadline(previousWeekday(closes))), to: new Date(deadline(closes)) };
}

/**
 * A window as the export API's `submittedDate:[FROM TO TO]` wants it: `YYYYMMDDHHMM` in
 * GMT, both ends inclusive to the minute, so the end is the minute before the deadline.
 */
export function apiDateRange(w: SubmissionWindow): [string, string] {
  const minute = (t: number) => new Date(t).toISOString().slice(0, 16).replace(/[-T:]/g, '');
  return [minute(w.from.getTime()), minute(w.to.getTime() - 60_000)];
}
