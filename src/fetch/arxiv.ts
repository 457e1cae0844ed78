/**
 * One announcement day of arXiv categories over the network. Today's comes from the RSS
 * feed (`GET {PAPERS_ARXIV_RSS}/cs.LG+cs.CL`); any other day from the export API
 * (`GET {PAPERS_ARXIV_API}?search_query=cat:cs.LG AND submittedDate:[…]`), searching the
 * submission times arXiv announced that day (arxiv-schedule.ts) and paging through
 * `opensearch:totalResults`. Either way the papers are listed under `arxiv:<category>` on
 * the announcement day. Bytes become listings through the parsers `papers import` uses; a
 * parser's complaint about bytes from the network means the remote format changed (exit 4).
 *
 * Requests go through `get`, which the caller builds on the cross-process gate (gate.ts),
 * so this module never decides when a request may start.
 */
import { FormatError, InputError, NetworkError, UsageError } from '../errors.js';
import type { ListingEntry, Paper, ParsedListing } from '../model.js';
import { parseAtomPage } from '../sources/arxiv-atom.js';
import { inCategory, parseRssFeed } from '../sources/arxiv-rss.js';
import { apiDateRange, submissionWindow, type SubmissionWindow } from './arxiv-schedule.js';

/** PAPERS_ARXIV_RSS when unset: the base of arXiv's announcement feeds. */
export const DEFAULT_ARXIV_RSS = 'https://rss.arxiv.org/rss';
/** PAPERS_ARXIV_API when unset: the export API's query endpoint. */
export const DEFAULT_ARXIV_API = 'http://export.arxiv.org/api/query';
/** Entries asked for per API page (arXiv serves up to 2,000; big pages are slow to build). */
export const ATOM_PAGE_SIZE = 500;
// A day of cs.LG is a few hundred papers; this only stops a server that pages forever.
const MAX_PAGES = 60;
/** The API now and then answers a page with no entries before the end: it is asked again this many times. */
export const EMPTY_PAGE_RETRIES = 2;

const RSS_ACCEPT = 'application/rss+xml, application/xml;q=0.9, */*;q=0.8';
const ATOM_ACCEPT = 'application/atom+xml, application/xml;q=0.9, */*;q=0.8';

/** The two arXiv endpoints of this run. */
export interface ArxivEndpoints {
  rss: string;
  api: string;
}

/**
 * PAPERS_ARXIV_RSS and PAPERS_ARXIV_API without trailing slashes (defaults: arXiv's own).
 * Under `PAPERS_TEST` both must be set: tests never reach the real network.
 */
export function arxivEndpoints(env: NodeJS.ProcessEnv): ArxivEndpoints {
  const read = (name: 'PAPERS_ARXIV_RSS' | 'PAPERS_ARXIV_API', fallback: string, example: string): string => {
    const raw = env[name]?.trim();
    if (!raw) {
      if (env.PAPERS_TEST) throw new UsageError('PAPERS_TEST is set: point PAPERS_ARXIV_RSS and PAPERS_ARXIV_API at a test server, or pass --offline');
      return fallback;
    }
    let url: URL | null = null;
    try {
      url = new URL(raw);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
      throw new UsageError(`${name} must be an http(s) URL such as ${example}`);
    }
    return url.href.replace(/\/+$/, '');
  };
  return {
    rss: read('PAPERS_ARXIV_RSS', DEFAULT_ARXIV_RSS, DEFAULT_ARXIV_RSS),
    api: read('PAPERS_ARXIV_API', DEFAULT_ARXIV_API, DEFAULT_ARXIV_API),
  };
}

/** The RSS feed of the categories: `…/rss/cs.LG+cs.CL`. */
export function rssUrl(base: string, categories: readonly string[]): string {
  return `${base}/${categories.join('+')}`;
}

/**
 * One API page of the papers submitted in `window` in any of `categories`, oldest first:
 * `?search_query=cat:cs.LG+AND+submittedDate:[202603061900+TO+202603091759]&start=0&max_results=500&sortBy=submittedDate&sortOrder=ascending`.
 */
export function apiUrl(base: string, categories: readonly string[], window: SubmissionWindow, start: number, max: number): string {
  const cats = categories.map((c) => `cat:${c}`).join('+OR+');
  const [from, to] = apiDateRange(window);
  const query = `${categories.length > 1 ? `(${cats})` : cats}+AND+submittedDate:[${from}+TO+${to}]`;
  return `${base}?search_query=${query}&start=${start}&max_results=${max}&sortBy=submittedDate&sortOrder=ascending`;
}

/** A GET through the gate: the final URL and the body of a 2xx answer; throws PapersErrors. */
export type Get = (url: string, accept: string) => Promise<{ url: string; body: string }>;

/** What fetching one day needs besides the day. */
export interface ArxivDayOptions {
  endpoints: ArxivEndpoints;
  /** Today (UTC): the one day the RSS feed serves. */
  today: string;
  get: Get;
  now: Date;
  /** Entries per API page (default ATOM_PAGE_SIZE). */
  pageSize?: number;
}

/** A day as fetched. */
export interface ArxivDay {
  /** The day asked for. */
  day: string;
  /** The day the papers are listed under: `day`, except when today's feed is not out yet (the previous feed's day). */
  listedOn: string;
  /** Entries under `arxiv:<category>`; a paper in two requested categories is in it twice. */
  listing: ParsedListing;
  /** `rss`, `api`, or `none` for a weekend (arXiv announces nothing; no request is made). */
  via: 'rss' | 'api' | 'none';
  /** Listing entries per source (`arxiv:cs.LG` → 212). */
  counts: Map<string, number>;
  /** One-line notes for stderr. */
  notes: string[];
}

/** Fetch one announcement day of `categories`: the RSS feed for today, the API for any other day. */
export async function fetchArxivDay(day: string, categories: readonly string[], o: ArxivDayOptions): Promise<ArxivDay> {
  return day === o.today ? fromRss(day, categories, o) : fromApi(day, categories, o);
}

/** A parser's InputError about bytes from the network is a format change. */
function asFormat(err: unknown): unknown {
  return err instanceof InputError ? new FormatError(err.message) : err;
}

/** Today's feed. Its own date decides where the items are listed (an empty weekend feed is an empty day). */
async function fromRss(day: string, categories: readonly string[], o: ArxivDayOptions): Promise<ArxivDay> {
  const url = rssUrl(o.endpoints.rss, categories);
  const res = await o.get(url, RSS_ACCEPT);
  let feed: ReturnType<typeof parseRssFeed>;
  try {
    feed = parseRssFeed(res.body, { day, origin: url, now: o.now, categories: [...categories] });
  } catch (err) {
    throw asFormat(err);
  }
  const listedOn = feed.day ?? day;
  const notes = [...feed.listing.warnings];
  if (listedOn < day) notes.push(`arXiv has not announced ${day} yet; the feed is still ${listedOn}'s`);
  else if (listedOn > day) notes.push(`the arXiv feed is dated ${listedOn}, after ${day}; stored under ${listedOn}`);
  const listing: ParsedListing = { format: feed.listing.format, items: feed.listing.items, warnings: feed.listing.warnings };
  return { day, listedOn, listing, via: 'rss', counts: countBySource(listing), notes };
}

/** A past day from the API: every page of the day's submission window, as one listing. */
async function fromApi(day: string, categories: readonly string[], o: ArxivDayOptions): Promise<ArxivDay> {
  const window = submissionWindow(day);
  const empty: ParsedListing = { format: 'arxiv-atom', items: [], warnings: [] };
  if (!window) return { day, listedOn: day, listing: empty, via: 'none', counts: new Map(), notes: [] };
  const pageSize = o.pageSize ?? ATOM_PAGE_SIZE;
  const papers = new Map<string, Paper>();
  const notes: string[] = [];
  let start = 0;
  let total = Infinity;
  let emptyPages = 0;
  for (let page = 0; start < total; page++) {
    if (page >= MAX_PAGES) throw new FormatError(`${apiUrl(o.endpoints.api, categories, window, 0, pageSize)}: more than ${MAX_PAGES} pages; the arXiv API paging changed`);
    const url = apiUrl(o.endpoints.api, categories, window, start, pageSize);
    const res = await o.get(url, ATOM_ACCEPT);
    let parsed: ReturnType<typeof parseAtomPage>;
    try {
      parsed = parseAtomPage(res.body, { day, origin: url, now: o.now, source: 'arxiv' });
    } catch (err) {
      throw asFormat(err);
    }
    total = parsed.total;
    notes.push(...parsed.listing.warnings);
    // Count the entries themselves: the API may send fewer than asked for, and a skipped one still moves the offset.
    const entries = (res.body.match(/<entry[\s>]/g) ?? []).length;
    if (entries === 0) {
      if (start >= total) break;
      // A known hiccup of the API: a page with nothing in it before the end. Ask again, then give up.
      if (++emptyPages > EMPTY_PAGE_RETRIES) {
        throw new NetworkError(`${url}: the arXiv API sent no entries at ${start} of ${total}, ${emptyPages} times; try again later`);
      }
      continue;
    }
    emptyPages = 0;
    for (const { paper } of parsed.listing.items) if (!papers.has(paper.id)) papers.set(paper.id, paper);
    start += entries;
  }
  const listing = listUnder(day, categories, [...papers.values()]);
  listing.warnings.push(...notes);
  return { day, listedOn: day, listing, via: 'api', counts: countBySource(listing), notes };
}

/**
 * API results as listing entries: each paper under every requested category it is in
 * (ranks per category, in the API's order); a single category vouches for every paper.
 */
function listUnder(day: string, categories: readonly string[], papers: Paper[]): ParsedListing {
  const listing: ParsedListing = { format: 'arxiv-atom', items: [], warnings: [] };
  const ranks = new Map<string, number>();
  for (const paper of papers) {
    const matching = categories.length === 1 ? categories : categories.filter((want) => paper.categories.some((c) => inCategory(want, c)));
    // The API matched it, so it is in one of them even if its categories do not say which.
    for (const cat of matching.length > 0 ? matching : categories) {
      const source = `arxiv:${cat}`;
      const rank = (ranks.get(source) ?? 0) + 1;
      ranks.set(source, rank);
      const entry: ListingEntry = { source, day, rank, upvotes: null };
      listing.items.push({ paper, listing: entry });
    }
  }
  return listing;
}

/** Listing entries per source. */
function countBySource(listing: ParsedListing): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { listing: l } of listing.items) if (l) counts.set(l.source, (counts.get(l.source) ?? 0) + 1);
  return counts;
}
