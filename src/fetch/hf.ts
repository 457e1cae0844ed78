/**
 * One day of Hugging Face Daily Papers over the network: the API
 * (`GET {HF_ENDPOINT}/api/daily_papers?date=D&limit=100&p=N`, paged), and the listing page
 * (`/papers/date/D`) when the API answers with an error or something that is not a
 * listing. Bytes become a ParsedListing through the same parsers `papers import` uses; a
 * parser's complaint about bytes from the network means the remote format changed (exit 4).
 */
import { ExitCode, FormatError, InputError, InterruptedError, NetworkError, PapersError, UsageError } from '../errors.js';
import type { ParsedListing } from '../model.js';
import { ByteAllowance, HttpStatusError, httpGet } from '../net/http.js';
import { isHfItem, isoDay } from '../sources/hf-item.js';
import { listingFromHfItems } from '../sources/hf-json.js';
import type { PeriodQuery } from './periods.js';
import type { RequestOptions } from './loop.js';
import { reasonOf } from './report.js';
import { MAX_LISTING_BYTES } from './settings.js';

/** Listing source name of Hugging Face Daily Papers (as the parsers write it). */
export const HF_SOURCE = 'hf';
/** HF_ENDPOINT when unset (the huggingface_hub convention). */
export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';
/** Items asked for per API page; the API serves at most 100. */
export const PAGE_SIZE = 100;
// No day has come near 5,000 papers; this only stops a server that pages forever.
const MAX_PAGES = 50;

/** A day's listing as fetched. */
export interface DayListing {
  day: string;
  listing: ParsedListing;
  /** `api`, or `page` when the API failed and the listing page was read instead. */
  via: 'api' | 'page';
  /** False when the page had only cards (no abstracts or authors): not a complete fetch. */
  complete: boolean;
  /** Why the API was not used, one line, when the page was. */
  fallbackReason: string | null;
}

/**
 * `HF_ENDPOINT` without trailing slashes (default https://huggingface.co). Under `PAPERS_TEST`
 * it must be set: tests never reach the real network (as paths.ts guards the database).
 */
export function hfEndpoint(env: NodeJS.ProcessEnv): string {
  const raw = env.HF_ENDPOINT?.trim();
  if (!raw) {
    if (env.PAPERS_TEST) throw new UsageError('PAPERS_TEST is set: point HF_ENDPOINT at a test server, or pass --offline');
    return DEFAULT_HF_ENDPOINT;
  }
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new UsageError('HF_ENDPOINT must be an http(s) URL such as https://huggingface.co');
  }
  return url.href.replace(/\/+$/, '');
}

/** HF's own orders of a listing (`sort=`), besides its default one (by upvotes). */
export type HfOrder = 'trending';

/** The API URL of page `page` (0-based) of a day's listing — or, with `param`, of a week's or month's; in HF's `sort` order when given. */
export function apiUrl(endpoint: string, value: string, page: number, param: PeriodQuery['param'] = 'date', sort?: HfOrder): string {
  return `${endpoint}/api/daily_papers?${param}=${value}${sort ? `&sort=${sort}` : ''}&limit=${PAGE_SIZE}&p=${page}`;
}

/** The listing page of a day, read when the API fails. */
export function pageUrl(endpoint: string, day: string): string {
  return `${endpoint}/papers/date/${day}`;
}

/** Fetch one day: the API, else the listing page. Throws a PapersError naming what failed. */
export async function fetchDay(endpoint: string, day: string, options: RequestOptions, now: Date): Promise<DayListing> {
  // Every page of the day, and its listing page, count against one cap: memory stays bounded however the server pages.
  const http = { ...options, allowance: new ByteAllowance(MAX_LISTING_BYTES) };
  let apiError: PapersError;
  try {
    return { day, listing: await fromApi(endpoint, day, http, now), via: 'api', complete: true, fallbackReason: null };
  } catch (err) {
    if (!fallsBack(err)) throw err;
    apiError = err as PapersError;
  }
  try {
    const { listing, complete } = await fromPage(endpoint, day, http, now);
    return { day, listing, via: 'page', complete, fallbackReason: reasonOf(apiError) };
  } catch (err) {
    if (!(err instanceof PapersError) || err instanceof InterruptedError || err instanceof UsageError) throw err;
    // The API's failure is the cause; the page was only a second chance. Its exit code stands.
    const message = `${apiError.message}; the listing page did not work either: ${reasonOf(err)}`;
    throw apiError.exitCode === ExitCode.Format ? new FormatError(message) : new NetworkError(message);
  }
}

/**
 * Failures the listing page may get around: an HTTP error status, or an answer that is not
 * a listing. Not a 429 (the page is rate-limited too, and we were asked to slow down), and
 * not a timeout or a dropped connection (the page lives on the same host).
 */
export function fallsBack(err: unknown): boolean {
  if (err instanceof HttpStatusError) return err.status !== 429;
  return err instanceof FormatError;
}


/**
 * A day's papers in HF's `sort` order (`date=D&sort=trending`), all pages, as a listing whose
 * ranks are the positions HF served them at. No listing-page fallback: the page has no such order.
 */
export async function fetchOrder(endpoint: string, day: string, sort: HfOrder, http: RequestOptions, now: Date): Promise<ParsedListing> {
  const { items, first } = await apiItems(endpoint, 'date', day, { ...http, allowance: new ByteAllowance(MAX_LISTING_BYTES) }, sort);
  return toListing(items, day, first, now);
}

/** All pages of a day from the API, as one listing (ranks run on across pages). */
async function fromApi(endpoint: string, day: string, http: RequestOptions, now: Date): Promise<ParsedListing> {
  const { items, first } = await apiItems(endpoint, 'date', day, http);
  return toListing(items, day, first, now);
}

/** API items as the listing of `day` (ranks in the API's order); a parser's complaint is a format change. */
function toListing(items: unknown[], day: string, origin: string, now: Date): ParsedListing {
  try {
    return listingFromHfItems(items, { day, origin, now }, 'hf-api');
  } catch (err) {
    throw err instanceof InputError ? new FormatError(err.message) : err;
  }
}

/** A week's or month's answer, split by the day each paper was listed on. */
export interface PeriodListing {
  /** The listing of each day that has papers in the answer (only days the items name). */
  byDay: Map<string, ParsedListing>;
  /** Items that do not say their day (`submittedOnDailyAt`, missing before mid-2025): their days need a day query. */
  undated: number;
}

/**
 * A week or month from the API (`week=2025-W24`, `month=2025-06`), all pages, split by
 * `submittedOnDailyAt`. No listing-page fallback: the caller asks day by day instead.
 */
export async function fetchPeriod(endpoint: string, q: Pick<PeriodQuery, 'param' | 'value'>, http: RequestOptions, now: Date): Promise<PeriodListing> {
  const { items, first } = await apiItems(endpoint, q.param, q.value, { ...http, allowance: new ByteAllowance(MAX_LISTING_BYTES) });
  const perDay = new Map<string, unknown[]>();
  let undated = 0;
  for (const item of items) {
    const day = isoDay((item as { paper?: { submittedOnDailyAt?: unknown } }).paper?.submittedOnDailyAt);
    if (!day) {
      undated++;
      continue;
    }
    perDay.set(day, [...(perDay.get(day) ?? []), item]);
  }
  const byDay = new Map<string, ParsedListing>();
  for (const [day, dayItems] of perDay) byDay.set(day, toListing(dayItems, day, first, now));
  return { byDay, undated };
}

/** Every item of a query, page after page; repeats across pages dropped. */
async function apiItems(endpoint: string, param: PeriodQuery['param'], value: string, http: RequestOptions, sort?: HfOrder): Promise<{ items: unknown[]; first: string }> {
  const first = apiUrl(endpoint, value, 0, param, sort);
  const items: unknown[] = [];
  const ids = new Set<string>();
  const visited = new Set<string>();
  let url: string | null = first;
  for (let page = 0; url !== null && page < MAX_PAGES; page++) {
    visited.add(url);
    const res = await httpGet(url, { ...http, accept: 'application/json' });
    const batch = parseItems(res.body, url);
    let added = 0;
    for (const item of batch) {
      const id = paperIdOf(item);
      if (id !== null && ids.has(id)) continue;
      if (id !== null) ids.add(id);
      items.push(item);
      added++;
    }
    // An empty page ends the listing; so does one with nothing new (a server that ignores `p`).
    if (batch.length === 0 || added === 0) break;
    const next = nextLink(res.headers['link'], res.url);
    url = next ?? (batch.length >= PAGE_SIZE ? apiUrl(endpoint, value, page + 1, param, sort) : null);
    if (url !== null && visited.has(url)) break;
  }
  return { items, first };
}

/** The JSON array of an API page; FormatError when the answer is anything else. */
function parseItems(body: string, url: string): unknown[] {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    // JSON.parse's message quotes the body: remote text stays out of our messages.
    const what = body.trim() === '' ? 'an empty answer' : /^\s*</.test(body) ? 'an HTML page' : 'invalid JSON';
    throw new FormatError(`${url}: expected a JSON array of daily papers, got ${what}`);
  }
  if (!Array.isArray(data)) {
    throw new FormatError(`${url}: expected a JSON array of daily papers, got ${data === null ? 'null' : typeof data === 'object' ? 'an object' : typeof data}`);
  }
  if (data.length > 0 && !isHfItem(data[0])) throw new FormatError(`${url}: the items have no "paper" object; the API format changed`);
  return data;
}

/** The paper id of an API item, to drop repeats across pages; null when it has none (the parser will say so). */
function paperIdOf(item: unknown): string | null {
  const paper = (item as { paper?: { id?: unknown } } | null)?.paper;
  return typeof paper?.id === 'string' ? paper.id : null;
}

/** The `rel="next"` target of a Link header, resolved against `base`, if it stays on base's origin. */
export function nextLink(header: string | undefined, base: string): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/s.exec(part);
    const rel = m ? /;\s*rel\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(m[2]!) : null;
    if (!m || !rel || !(rel[1] ?? rel[2] ?? '').toLowerCase().split(/\s+/).includes('next')) continue;
    try {
      const target = new URL(m[1]!, base);
      if (target.origin === new URL(base).origin) return target.href;
    } catch {
      // a malformed target: ignore it and page by `p`
    }
  }
  return null;
}

/** A day's listing page, parsed by the HTML importer (cheerio is loaded only now). */
async function fromPage(endpoint: string, day: string, http: RequestOptions, now: Date): Promise<{ listing: ParsedListing; complete: boolean }> {
  const url = pageUrl(endpoint, day);
  const res = await httpGet(url, { ...http, accept: 'text/html' });
  const { hfHtml } = await import('../sources/hf-html.js');
  try {
    const listing = hfHtml.parse(res.body, { day, origin: url, now });
    return { listing, complete: listing.complete === true };
  } catch (err) {
    throw err instanceof InputError ? new FormatError(err.message) : err;
  }
}
