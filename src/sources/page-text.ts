/**
 * Text copied from the Daily Papers page in a browser: a few header lines (`Daily Papers`,
 * `byAK and the research community`, `Aug 20`), then per paper a one-line title paragraph
 * and its abstract paragraph. There are no ids, so papers get title-derived ids.
 */
import { fromUtc } from '../dates-day.js';
import { InputError } from '../errors.js';
import { emptyPaper, normalizeLine, normalizeParagraphs, titleId, type ParsedListing } from '../model.js';
import type { ParseOptions, Source } from './types.js';

// Bounds for the pairing. Real data (7,699 papers, 2024–2026): titles ≤ 175 chars and
// never end with a period; abstracts ≥ 165 chars, 92% end a sentence (most others end
// with a URL), and 99.9% hold three or more sentences, which no title does. The loose
// bounds let odd papers through; the real traits break ties.
const MAX_TITLE = 300;
const MIN_ABSTRACT = 100;
const MIN_ABSTRACT_WORDS = 12;
const REAL_MAX_TITLE = 175;
const REAL_MIN_ABSTRACT = 165;

// Page chrome a browser copy picks up. Compared after normalizeLine, case-folded.
const UI_LINES = new Set(
  [
    'Daily Papers',
    'byAK and the research community',
    'by AK and the research community',
    'Previous',
    'Next',
    'Submit paper',
    'Submit a paper',
    'Daily',
    'Weekly',
    'Monthly',
    'Today',
    'Trending',
    'Search',
    'Search any paper with AI',
    'Get trending papers in your email inbox!',
    'Subscribe',
    'Upvote',
    'View paper',
    'Abstract',
    'Hugging Face',
    'Models',
    'Datasets',
    'Spaces',
    'Docs',
    'Pricing',
    'Papers',
    'Log In',
    'Sign Up',
  ].map((s) => s.toLowerCase()),
);
// Per-card chrome: upvote and comment counters, `Submitted by …`, `· 9 authors` (U+00B7, escaped:
// esbuild leaves a regex literal's characters as they are, and the bundle stays ASCII).
const UI_PATTERNS = [/^[\d,]+$/, /^submitted by\b/i, /^\u00b7?\s*\d+\s+authors?$/i];

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
// `Aug 20`, `August 20`, `Tue, Aug 20`, `Aug 20, 2024`.
const MONTH_DAY = /^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?$/i;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A header date as printed: month 0–11, day of month, year when the page shows one. */
interface HeaderDate {
  text: string;
  month: number;
  day: number;
  year: number | null;
}

/** A block of copied text: its normalized one-line text and how many lines it had. */
interface Para {
  text: string;
  lines: number;
}

/** Text copied from a listing page; ids are derived from titles. */
export const pageText: Source = {
  name: 'page-text',
  // Asked last by the registry: anything that is not JSON or HTML may be copied text.
  sniff: (text) => !/^\s*[[{<]/.test(text),
  parse(text, opts) {
    assertText(text, opts.origin);
    const { paras, dates } = dropChrome(splitParagraphs(text));
    const { pairs, strays } = pairParagraphs(paras);
    if (pairs.length === 0) {
      throw new InputError(
        `${opts.origin}: no papers found in the text (expected a title line followed by an abstract paragraph)`,
      );
    }
    const warnings: string[] = [];
    if (strays.length > 0) {
      const s = strays.length === 1 ? '' : 's';
      warnings.push(
        `skipped ${strays.length} paragraph${s} that did not pair as a title followed by an abstract (first: "${preview(strays[0]!.text)}")`,
      );
    }
    const day = listingDay(opts, dates, warnings);
    return buildListing(pairs, day, warnings);
  },
};

/** Refuse binary input: NUL bytes, or many replacement/control characters (not UTF-8 text). */
function assertText(text: string, origin: string): void {
  // One stray U+FFFD can come from a bad copy; binary decoded as UTF-8 is full of them.
  const suspicious = text.match(/[\uFFFD\u0001-\u0008\u000E-\u001F]/g)?.length ?? 0;
  if (text.includes('\u0000') || (suspicious > 0 && suspicious >= Math.max(4, text.length / 100))) {
    throw new InputError(`${origin}: looks like a binary file, not a listing`);
  }
}

/** Blocks separated by blank lines, each as its trimmed non-empty lines. */
function splitParagraphs(text: string): string[][] {
  const blocks = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\u00A0]*\n/)
    .map((block) => block.split('\n').map(normalizeLine).filter((line) => line !== ''))
    .filter((lines) => lines.length > 0);
  // A block holding a line too long for a title is reflowed page text copied without
  // blank lines between blocks (title\nabstract): there every line is a block. A
  // hard-wrapped abstract has only short lines and stays one block.
  return blocks.flatMap((lines) => (lines.length > 1 && lines.some((l) => l.length > MAX_TITLE) ? lines.map((l) => [l]) : [lines]));
}

/** True for header, navigation and per-card lines that are never part of a paper. */
function isChrome(line: string): boolean {
  return UI_LINES.has(line.toLowerCase()) || UI_PATTERNS.some((re) => re.test(line)) || parseHeaderDate(line) !== null;
}

/**
 * Remove chrome lines from the start and end of each block (header lines glued to the
 * first title, `Previous`/`Next` after the last abstract), and collect the dates among
 * them. Only the edges: a line inside a hard-wrapped abstract is never touched.
 */
function dropChrome(blocks: string[][]): { paras: Para[]; dates: HeaderDate[] } {
  const paras: Para[] = [];
  const dates: HeaderDate[] = [];
  for (const block of blocks) {
    let start = 0;
    let end = block.length;
    while (start < end && isChrome(block[start]!)) start++;
    while (end > start && isChrome(block[end - 1]!)) end--;
    for (const line of [...block.slice(0, start), ...block.slice(end)]) {
      const date = parseHeaderDate(line);
      if (date) dates.push(date);
    }
    const lines = block.slice(start, end);
    if (lines.length > 0) paras.push({ text: normalizeParagraphs(lines.join('\n')), lines: lines.length });
  }
  return { paras, dates };
}

/** A month-day (or ISO) date line, or null. Impossible dates (`Feb 30`) are still dates. */
function parseHeaderDate(line: string): HeaderDate | null {
  const iso = ISO_DAY.exec(line);
  if (iso) return { text: line, year: Number(iso[1]), month: Number(iso[2]) - 1, day: Number(iso[3]) };
  const m = MONTH_DAY.exec(line);
  if (!m) return null;
  // `Aug`, `Sept`, `August`: at least three letters of a month's name, nothing else.
  const name = m[1]!.toLowerCase();
  const month = MONTHS.findIndex((full) => full.startsWith(name));
  if (month < 0) return null;
  const day = Number(m[2]);
  if (day < 1 || day > 31) return null;
  return { text: line, month, day, year: m[3] ? Number(m[3]) : null };
}

// ---------------------------------------------------------------------------
// Pairing

/** A single line short enough to be a title, with at least one letter. */
function isTitleLike(p: Para): boolean {
  return p.lines === 1 && p.text.length <= MAX_TITLE && /\p{L}/u.test(p.text);
}

/** Prose longer than its title: enough characters and words. */
function isAbstractLike(p: Para, title: Para): boolean {
  return p.text.length >= MIN_ABSTRACT && p.text.length > title.text.length && p.text.split(' ').length >= MIN_ABSTRACT_WORDS;
}

/** Null when the two cannot pair; else how many traits of real papers the pair shows (0–5). */
function pairQuality(title: Para, abstract: Para): number | null {
  if (!isTitleLike(title) || !isAbstractLike(abstract, title)) return null;
  const traits = [
    title.text.length <= REAL_MAX_TITLE,
    !title.text.endsWith('.'),
    abstract.text.length >= REAL_MIN_ABSTRACT,
    /[.!?]["')\]]?$|https?:\/\/\S+$/.test(abstract.text),
    (abstract.text.match(/[.!?] [A-Z]/g)?.length ?? 0) >= 2,
  ];
  return traits.filter(Boolean).length;
}

interface Plan {
  pairs: number;
  /** Sum of the pairs' qualities. */
  quality: number;
  /** Index of the first pair's title in this plan, or -1 when it pairs nothing. */
  take: number;
}

const better = (a: Plan, b: Plan): boolean => a.pairs > b.pairs || (a.pairs === b.pairs && a.quality > b.quality);

/**
 * Choose the (title, abstract) pairs of adjacent paragraphs that pair the most papers,
 * then the pairs that look most like real papers. This generalizes picking one start offset:
 * every stray paragraph (a header we do not know, a `Submitted by` line) lets the
 * alignment restart, instead of shifting every later title onto an abstract.
 */
function pairParagraphs(paras: Para[]): { pairs: Array<[Para, Para]>; strays: Para[] } {
  const n = paras.length;
  // plan[i]: the best pairing of paras[i..]; computed back to front.
  const plan: Plan[] = new Array<Plan>(n + 2).fill({ pairs: 0, quality: 0, take: -1 });
  for (let i = n - 2; i >= 0; i--) {
    const skip = plan[i + 1]!;
    const quality = pairQuality(paras[i]!, paras[i + 1]!);
    const rest = plan[i + 2]!;
    const pair = { pairs: rest.pairs + 1, quality: rest.quality + (quality ?? 0), take: i };
    // On a tie, pair here: the earlier alignment wins.
    plan[i] = quality !== null && !better(skip, pair) ? pair : skip;
  }
  const pairs: Array<[Para, Para]> = [];
  const strays: Para[] = [];
  let i = 0;
  while (i < n) {
    if (plan[i]!.take === i) {
      pairs.push([paras[i]!, paras[i + 1]!]);
      i += 2;
    } else {
      strays.push(paras[i]!);
      i += 1;
    }
  }
  return { pairs, strays };
}

// ---------------------------------------------------------------------------
// Listing

/** `opts.day`, else the header date resolved against `opts.now`; InputError when neither. */
function listingDay(opts: ParseOptions, dates: HeaderDate[], warnings: string[]): string {
  const header = dates[0] ?? null;
  if (opts.day) {
    if (header && !sameDate(header, opts.day)) {
      warnings.push(`the page says "${header.text}" but the listing day is ${opts.day}; using ${opts.day}`);
    }
    return opts.day;
  }
  const day = header ? resolveHeaderDate(header, opts.now) : null;
  if (!day) throw new InputError(`${opts.origin}: cannot tell the listing day; pass --date YYYY-MM-DD`);
  return day;
}

/** Does a header date name `day` (`YYYY-MM-DD`)? A year-less date matches any year. */
function sameDate(date: HeaderDate, day: string): boolean {
  const [y, m, d] = day.split('-').map(Number);
  return date.month === m! - 1 && date.day === d && (date.year === null || date.year === y);
}

/** `YYYY-MM-DD` of a header date: a year-less one is the most recent such day not after `now` (UTC). */
function resolveHeaderDate(date: HeaderDate, now: Date): string | null {
  const today = now.toISOString().slice(0, 10);
  const years = date.year !== null ? [date.year] : Array.from({ length: 8 }, (_, k) => now.getUTCFullYear() - k);
  for (const year of years) {
    // setUTCFullYear: Date.UTC would read the years 0–99 as 1900–1999.
    const t = new Date(0);
    t.setUTCFullYear(year, date.month, date.day);
    // Date.UTC rolls Feb 30 over to March: such a day does not exist in that year.
    if (t.getUTCMonth() !== date.month) continue;
    // fromUtc: year 0000 is off the calendar.
    const day = fromUtc(t);
    if (day && (date.year !== null || day <= today)) return day;
  }
  return null;
}

/** Papers in page order; a title seen twice keeps its first place. */
function buildListing(pairs: Array<[Para, Para]>, day: string, warnings: string[]): ParsedListing {
  const out: ParsedListing = { format: 'page-text', items: [], warnings };
  const seen = new Set<string>();
  let repeats = 0;
  for (const [title, abstract] of pairs) {
    const id = titleId(title.text);
    if (seen.has(id)) {
      repeats++;
      continue;
    }
    seen.add(id);
    const paper = emptyPaper(id, normalizeLine(title.text));
    paper.abstract = abstract.text;
    out.items.push({ paper, listing: { source: 'hf', day, rank: out.items.length + 1, upvotes: null } });
  }
  if (repeats > 0) warnings.push(`skipped ${repeats} repeated paper${repeats === 1 ? '' : 's'} (same title)`);
  return out;
}

/** The start of a paragraph, for a warning. */
function preview(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 57)}...`;
}
