/**
 * arXiv's announcement feed, RSS 2.0 (`https://rss.arxiv.org/rss/cs.LG`, `…/rss/cs.LG+cs.CL`),
 * as arXiv's feed service (github.com/arXiv/arxiv-feed) writes it: the channel `pubDate`
 * is the announcement day; items are ordered new, cross, replace, replace-cross.
 */
import { FormatError, InputError, NetworkError } from '../errors.js';
import { emptyPaper, normalizeLine, normalizeParagraphs, parseArxivId, type ListingEntry, type Paper, type ParsedListing } from '../model.js';
import { attr, kid, kidRawText, kids, kidText, loadXml, parseFeedDate, textOf, utcDay, type XmlNode } from './_xml.js';
import { splitAuthors } from './arxiv-metadata.js';
import type { ParseOptions, Source } from './types.js';

/** How arXiv announced an item: `new`, `cross`, `replace`, `replace-cross` (or a future value). */
export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross' | (string & {});

/** One listing entry of an RSS item; a paper in several requested categories appears once per category. */
export interface RssItem {
  paper: Paper;
  listing: ListingEntry | null;
  /** Replacements carry a newer version: their title and abstract supersede stored ones. */
  announceType: AnnounceType | null;
}

/** A parsed feed: its listing, plus what the fetch command needs even when it is empty. */
export interface RssFeed {
  listing: ParsedListing & { items: RssItem[] };
  /** The announcement day (`YYYY-MM-DD`), also for an empty weekend feed; null if unknown. */
  day: string | null;
  /** The categories the feed is for, as listing sources use them (`arxiv:<category>`). */
  categories: string[];
}

/** Parse options plus the categories that were requested (else read from the channel). */
export interface RssOptions extends ParseOptions {
  categories?: string[] | null;
}

// `cs.LG`, `math.AG`, `hep-th`, `cond-mat.mes-hall`, `q-bio.NC`, or an archive (`cs`, `math`).
const CATEGORY = /^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$/;
// arXiv lists some categories under two names; a feed for one includes the other.
const ALIASES: Record<string, string> = {
  'cs.IT': 'math.IT', 'math.IT': 'cs.IT',
  'cs.NA': 'math.NA', 'math.NA': 'cs.NA',
  'cs.SY': 'eess.SY', 'eess.SY': 'cs.SY',
  'math-ph': 'math.MP', 'math.MP': 'math-ph',
  'math.ST': 'stat.TH', 'stat.TH': 'math.ST',
  'econ.GN': 'q-fin.EC', 'q-fin.EC': 'econ.GN',
};
// `arXiv:2603.08706v1 Announce Type: new \nAbstract: …`
const DESCRIPTION = /^\s*arXiv:(\S+)\s+Announce Type:\s*([\w-]+)\s*(?:Abstract:\s*)?/;

/** True when text starts like an arXiv RSS feed. */
export function sniffRss(text: string): boolean {
  const head = text.slice(0, 2000);
  return /<rss[\s>]/.test(head) && /arxiv/i.test(head);
}

/** True when the item category `cat` belongs to the requested category or archive `want`. */
export function inCategory(want: string, cat: string): boolean {
  if (cat === want || ALIASES[cat] === want) return true;
  // An archive feed (`cs`, `math`, `hep-th`) holds all of its categories.
  return !want.includes('.') && cat.startsWith(`${want}.`);
}

/** Parse an arXiv RSS feed into per-category listing entries. */
export function parseRssFeed(text: string, opts: RssOptions): RssFeed {
  const rss = loadXml(text, opts.origin, 'rss', 'an RSS feed');
  const channel = kid(rss, 'channel');
  if (!channel) throw new FormatError(`${opts.origin}: RSS feed without a <channel>; the arXiv feed format changed`);
  const channelTitle = kidText(channel, 'title') ?? '';
  // arXiv answers a bad request (an unknown category) with an empty feed saying so.
  if (/^Feed error for query/i.test(channelTitle)) {
    throw new NetworkError(`arXiv RSS error: ${kidText(channel, 'description') ?? channelTitle}`);
  }

  const categories = opts.categories?.length ? opts.categories : channelCategories(channel, channelTitle);
  if (categories.length === 0) {
    throw new FormatError(`${opts.origin}: cannot tell which arXiv categories this feed is for (channel "${channelTitle}")`);
  }
  const bad = categories.find((c) => !CATEGORY.test(c));
  if (bad) throw new InputError(`${opts.origin}: "${bad}" is not an arXiv category`);

  const items = kids(channel, 'item');
  const pubDate = kidText(channel, 'pubDate') ?? kidText(items[0], 'pubDate');
  const when = parseFeedDate(pubDate);
  if (pubDate && !when) throw new FormatError(`${opts.origin}: feed date "${pubDate}" is not an RFC 822 date; the arXiv feed format changed`);
  // The feed's own day wins: it is the announcement the items belong to.
  const day = when ? utcDay(when) : opts.day;

  const out: RssFeed = { listing: { format: 'arxiv-rss', items: [], warnings: [] }, day, categories };
  if (items.length > 0 && !day) throw new InputError(`${opts.origin}: the feed carries no date; pass --date YYYY-MM-DD`);
  const ranks = new Map<string, number>();
  let skipped = 0;
  items.forEach((el, i) => {
    const item = readItem(el);
    if (!item) {
      skipped += 1;
      out.listing.warnings.push(`${opts.origin}: item ${i + 1} has no arXiv id or no title; skipped`);
      return;
    }
    const { paper, announceType } = item;
    // A single-category feed vouches for each item; a combined one needs the item's categories.
    const under = categories.length === 1 ? categories : categories.filter((want) => paper.categories.some((c) => inCategory(want, c)));
    setPrimary(paper, announceType, categories);
    if (under.length === 0) {
      out.listing.warnings.push(`${opts.origin}: ${paper.id} is in none of ${categories.join(', ')}; stored without a listing`);
      out.listing.items.push({ paper, listing: null, announceType });
      return;
    }
    for (const cat of under) {
      const source = `arxiv:${cat}`;
      const rank = (ranks.get(source) ?? 0) + 1;
      ranks.set(source, rank);
      out.listing.items.push({ paper, listing: { source, day: day!, rank, upvotes: null }, announceType });
    }
  });
  if (skipped > 0 && skipped === items.length) {
    throw new FormatError(`${opts.origin}: no item carries an arXiv id and a title; the arXiv feed format changed`);
  }
  return out;
}

/** The categories named by the channel: its link (`…/rss/cs.LG+cs.CL`), else its title. */
function channelCategories(channel: XmlNode, title: string): string[] {
  const links = [kidText(channel, 'link'), attr(kid(channel, 'atom:link'), 'href')];
  for (const link of links) {
    const m = link ? /\/rss\/([^/?#\s]+)\/?(?:[?#]|$)/.exec(link) : null;
    if (m) return m[1]!.replace(/%2B/gi, '+').split(/[+\s]+/).filter(Boolean);
  }
  // `cs.LG, cs.CL updates on arXiv.org`
  const m = /^(.+?)\s+updates on arXiv\.org$/i.exec(title);
  return m ? m[1]!.split(/[,+\s]+/).filter(Boolean) : [];
}

/** One `<item>` as a Paper, or null when it carries no arXiv id or no title. */
function readItem(item: XmlNode): { paper: Paper; announceType: AnnounceType | null } | null {
  const description = kidRawText(item, 'description') ?? '';
  const head = DESCRIPTION.exec(description);
  // guid `oai:arXiv.org:2603.08706v1`, else the description's `arXiv:…`, else the link.
  const guid = (kidText(item, 'guid') ?? '').replace(/^oai:arXiv\.org:/i, '');
  const link = /\/abs\/(.+)$/.exec(kidText(item, 'link') ?? '')?.[1] ?? '';
  const id = parseArxivId(guid) ?? (head ? parseArxivId(head[1]!) : null) ?? parseArxivId(link);
  const title = kidText(item, 'title');
  if (!id || !title) return null;

  const paper = emptyPaper(id.id, title);
  paper.abstract = normalizeParagraphs(head ? description.slice(head[0].length) : description);
  paper.authors = splitAuthors(kidRawText(item, 'dc:creator') ?? '');
  paper.categories = [...new Set(kids(item, 'category').map((el) => normalizeLine(textOf(el))).filter(Boolean))];
  paper.doi = kidText(item, 'arxiv:DOI');
  paper.journalRef = kidText(item, 'arxiv:journal_reference');
  paper.version = id.version ?? (head ? (parseArxivId(head[1]!)?.version ?? null) : null);
  return { paper, announceType: kidText(item, 'arxiv:announce_type') ?? head?.[2] ?? null };
}

/**
 * Set the primary category where the feed proves it. arXiv's feed service calls an item
 * `new` or `replace` only when its primary category is among the requested ones (else
 * `cross` / `replace-cross`); if exactly one of the item's categories is requested, that
 * one is the primary. Otherwise the feed does not say, and it stays null.
 */
function setPrimary(paper: Paper, announceType: string | null, requested: string[]): void {
  if (announceType !== 'new' && announceType !== 'replace') return;
  const matching = paper.categories.filter((c) => requested.some((want) => inCategory(want, c)));
  if (matching.length !== 1) return;
  paper.primaryCategory = matching[0]!;
  paper.categories = [matching[0]!, ...paper.categories.filter((c) => c !== matching[0])];
}

/** arXiv RSS as an input format; listing sources are `arxiv:<category>` from the channel. */
export const arxivRss: Source = {
  name: 'arxiv-rss',
  sniff: sniffRss,
  parse: (text, opts) => parseRssFeed(text, opts).listing,
};
