/**
 * One page of the arXiv export API (`http://export.arxiv.org/api/query?…`), Atom 1.0 with
 * `arxiv:` and `opensearch:` extensions. Errors come back as a feed whose only entry is
 * titled "Error"; paging follows `opensearch:totalResults/startIndex/itemsPerPage`.
 */
import { FormatError, NetworkError } from '../errors.js';
import { emptyPaper, normalizeParagraphs, parseArxivId, type Paper, type ParsedListing } from '../model.js';
import { attr, kid, kidRawText, kids, kidText, loadXml, parseFeedDate, utcDay, type XmlNode } from './_xml.js';
import type { ParseOptions, Source } from './types.js';

/** Parse options plus the listing source to file entries under (`arxiv:cs.LG`; default `arxiv`). */
export interface AtomOptions extends ParseOptions {
  source?: string | null;
}

/** A parsed API page and where it sits in the whole result. */
export interface AtomPage {
  listing: ParsedListing;
  /** `opensearch:totalResults`: entries in the whole result. */
  total: number;
  /** `opensearch:startIndex`: 0-based offset of this page. */
  start: number;
  /** `opensearch:itemsPerPage`: the page size asked for. */
  perPage: number;
}

/** True when text starts like an arXiv API Atom feed. */
export function sniffAtom(text: string): boolean {
  const head = text.slice(0, 2000);
  return /<feed[\s>]/.test(head) && /arxiv\.org/i.test(head);
}

/**
 * Parse one API page. Entries are listed on their publication day (UTC) unless
 * `opts.day` is given; ranks continue across pages (start + position).
 */
export function parseAtomPage(text: string, opts: AtomOptions): AtomPage {
  const feed = loadXml(text, opts.origin, 'feed', 'an Atom feed');
  const entries = kids(feed, 'entry');
  throwIfApiError(entries, opts.origin);

  const start = count(feed, 'opensearch:startIndex', opts.origin) ?? 0;
  const perPage = count(feed, 'opensearch:itemsPerPage', opts.origin) ?? entries.length;
  const total = count(feed, 'opensearch:totalResults', opts.origin) ?? start + entries.length;
  const source = opts.source ?? 'arxiv';
  const listing: ParsedListing = { format: 'arxiv-atom', items: [], warnings: [] };

  entries.forEach((el, i) => {
    const paper = readEntry(el, opts.origin);
    if (!paper) {
      listing.warnings.push(`${opts.origin}: entry ${i + 1} has no arXiv id or no title; skipped`);
      return;
    }
    const day = opts.day ?? (paper.publishedAt ? utcDay(new Date(paper.publishedAt)) : null);
    if (!day) listing.warnings.push(`${opts.origin}: ${paper.id} has no publication date; stored without a listing`);
    listing.items.push({ paper, listing: day ? { source, day, rank: start + i + 1, upvotes: null } : null });
  });
  if (entries.length > 0 && listing.items.length === 0) {
    throw new FormatError(`${opts.origin}: no entry carries an arXiv id and a title; the arXiv API format changed`);
  }
  return { listing, total, start, perPage };
}

/**
 * The API reports a bad query as a feed with one entry titled "Error" whose id is
 * under `…/api/errors`; the summary says what was wrong.
 */
function throwIfApiError(entries: XmlNode[], origin: string): void {
  const first = entries[0];
  if (!first || kidText(first, 'title') !== 'Error') return;
  if (!/\/api\/errors/.test(kidText(first, 'id') ?? '')) return;
  throw new NetworkError(`arXiv API error: ${kidText(first, 'summary') ?? `no details (${origin})`}`);
}

/** A non-negative integer child (`opensearch:totalResults`), null when absent. */
function count(feed: XmlNode, name: string, origin: string): number | null {
  const s = kidText(feed, name);
  if (s === null) return null;
  if (!/^\d+$/.test(s)) throw new FormatError(`${origin}: <${name}> is "${s}", not a count; the arXiv API format changed`);
  return Number(s);
}

/** One `<entry>` as a Paper, or null when it has no arXiv id or no title. */
function readEntry(entry: XmlNode, origin: string): Paper | null {
  // `http://arxiv.org/abs/2603.08706v1`, `http://arxiv.org/abs/hep-ex/0307015`
  const idUrl = kidText(entry, 'id') ?? '';
  const id = parseArxivId(/arxiv\.org\/abs\/(.+)$/i.exec(idUrl)?.[1] ?? '');
  const title = kidText(entry, 'title');
  if (!id || !title) return null;

  const paper = emptyPaper(id.id, title);
  paper.abstract = normalizeParagraphs(kidRawText(entry, 'summary') ?? '');
  paper.authors = kids(entry, 'author')
    .map((a) => kidText(a, 'name'))
    .filter((n): n is string => n !== null);
  const primary = attr(kid(entry, 'arxiv:primary_category'), 'term');
  const terms = kids(entry, 'category')
    .map((c) => attr(c, 'term'))
    .filter((t): t is string => t !== null);
  // Primary first, then the others in the API's order.
  paper.categories = [...new Set([...(primary ? [primary] : []), ...terms])];
  paper.primaryCategory = primary;
  paper.arxivComments = kidText(entry, 'arxiv:comment');
  paper.journalRef = kidText(entry, 'arxiv:journal_ref');
  paper.doi = kidText(entry, 'arxiv:doi');
  // Old-style ids come without a version in <id> (the API's own example); the abs link has it.
  paper.version = id.version ?? versionInLinks(entry, id.id);
  paper.publishedAt = isoOf(kidText(entry, 'published'), 'published', origin);
  paper.updatedAt = isoOf(kidText(entry, 'updated'), 'updated', origin);
  return paper;
}

/** The version in the entry's abs or pdf link (`…/abs/hep-ex/0307015v1`), or null. */
function versionInLinks(entry: XmlNode, id: string): number | null {
  for (const el of kids(entry, 'link')) {
    const href = attr(el, 'href') ?? '';
    const m = /arxiv\.org\/(?:abs|pdf)\/(.+?)(?:\.pdf)?$/i.exec(href);
    const parsed = m ? parseArxivId(m[1]!) : null;
    if (parsed?.id === id && parsed.version !== null) return parsed.version;
  }
  return null;
}

/** ISO 8601 (UTC) of an API timestamp; FormatError when present but unreadable. */
function isoOf(text: string | null, what: string, origin: string): string | null {
  if (text === null) return null;
  const d = parseFeedDate(text);
  if (!d) throw new FormatError(`${origin}: <${what}> "${text}" is not an ISO 8601 time; the arXiv API format changed`);
  return d.toISOString();
}

/** The export API's Atom as an input format (`--format arxiv-atom`); entries listed under `arxiv`. */
export const arxivAtom: Source = {
  name: 'arxiv-atom',
  sniff: sniffAtom,
  parse: (text, opts) => parseAtomPage(text, opts).listing,
};
