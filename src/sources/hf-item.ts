/**
 * One item of the Hugging Face Daily Papers API (`/api/daily_papers`), as the
 * API and the listing page's embedded JSON both carry it, turned into a Paper.
 * Handles the 2024 schema (no ai_*, no submittedOnDailyAt) and the 2025+ one.
 */
import { countValue, emptyPaper, normalizeLine, normalizeParagraphs, parseArxivId, type ListingEntry, type Paper } from '../model.js';
import { CALENDAR, fromUtc, namesRealDay } from '../dates-day.js';
import { InputError } from '../errors.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** `YYYY-MM-DD` (UTC) of an ISO timestamp naming a day on the calendar, or null (2025-02-30, year 0000, garbage). */
export function isoDay(v: unknown): string | null {
  const s = str(v);
  if (!s || !/^\d{4}-\d{2}-\d{2}/.test(s) || !namesRealDay(s)) return null;
  // fromUtc: an offset can still move 9999-12-31 into year 10000, off the calendar.
  return fromUtc(new Date(s));
}

// A date or timestamp as arXiv and HF write them (`2025-06-05T17:59:59.000Z`).
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** An ISO 8601 date or timestamp, kept as given; null for anything else (it is printed as is). */
export function isoTime(v: unknown): string | null {
  const s = str(v);
  return s && ISO_TIME.test(s) && isoDay(s) ? s : null;
}

/** A short description of a bad value for an error message: never the whole value (it may be huge or nested 10k deep). */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : String(v);
}

/** True when `v` looks like a daily-papers item (`{paper: {id, title, …}}`). */
export function isHfItem(v: unknown): boolean {
  return isObject(v) && isObject(v.paper) && typeof v.paper.id === 'string';
}

/**
 * Convert one API item. `index` is its 0-based position (the API sorts by upvotes,
 * so position + 1 is the rank); `fallbackDay` is used when the item has no
 * `submittedOnDailyAt`. Throws InputError naming the item when required fields are missing.
 */
export function paperFromHfItem(
  item: unknown,
  index: number,
  fallbackDay: string | null,
  origin: string,
): { paper: Paper; day: string | null; listing: Omit<ListingEntry, 'day'> } {
  if (!isObject(item) || !isObject(item.paper)) {
    throw new InputError(`${origin}: item ${index + 1} has no "paper" object`);
  }
  const p = item.paper;
  const rawId = str(p.id);
  const parsed = rawId ? parseArxivId(rawId) : null;
  if (!rawId || !parsed) throw new InputError(`${origin}: item ${index + 1} has no valid paper id (${describeValue(p.id)})`);
  const title = str(p.title) ?? str(item.title);
  if (!title) throw new InputError(`${origin}: paper ${parsed.id} has no title`);

  const paper = emptyPaper(parsed.id, normalizeLine(title));
  paper.abstract = normalizeParagraphs(str(p.summary) ?? str(item.summary) ?? '');
  paper.authors = Array.isArray(p.authors)
    ? p.authors.map((a) => (isObject(a) ? str(a.name) : str(a))).filter((n): n is string => n !== null).map(normalizeLine)
    : [];
  paper.publishedAt = isoTime(p.publishedAt);
  paper.upvotes = countValue(p.upvotes);
  paper.comments = countValue(item.numComments);
  paper.githubRepo = str(p.githubRepo);
  paper.githubStars = countValue(p.githubStars);
  paper.projectPage = str(p.projectPage);
  paper.aiSummary = str(p.ai_summary) ? normalizeParagraphs(p.ai_summary as string) : null;
  paper.keywords = Array.isArray(p.ai_keywords)
    ? p.ai_keywords.filter((k): k is string => typeof k === 'string' && k.trim() !== '').map(normalizeLine)
    : [];
  const org = isObject(p.organization) ? p.organization : isObject(item.organization) ? item.organization : null;
  paper.organization = org ? (str(org.fullname) ?? str(org.name)) : null;
  // The item's `submittedBy` is a user object (2025+); `paper.submittedOnDailyBy` names the same user as `user`.
  const by = isObject(item.submittedBy) ? item.submittedBy : isObject(p.submittedOnDailyBy) ? p.submittedOnDailyBy : null;
  paper.submittedBy = by ? (str(by.name) ?? str(by.user)) : null;

  // Absent (the 2024 schema) falls back; present but not a real day is refused, as a bad id is.
  const listed = p.submittedOnDailyAt;
  const day = listed === undefined || listed === null ? fallbackDay : isoDay(listed);
  if (!day && listed !== undefined && listed !== null) {
    throw new InputError(`${origin}: paper ${parsed.id} has "submittedOnDailyAt" ${describeValue(listed)}, not a day on the calendar (${CALENDAR})`);
  }
  return { paper, day, listing: { source: 'hf', rank: index + 1, upvotes: paper.upvotes } };
}
