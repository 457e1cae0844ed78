/**
 * A saved Hugging Face Daily Papers page (huggingface.co/papers/date/YYYY-MM-DD).
 * The page embeds the whole listing as JSON in a Svelte island's `data-props` (the same
 * items the API serves), so we read that; the rendered cards are only a fallback that
 * yields ids, titles and upvotes.
 */
// cheerio/slim parses with htmlparser2 only: ~3x faster to load and parse than the
// parse5 build. The registry loads this module lazily, so the import is fine here.
import { load, type CheerioAPI } from 'cheerio/slim';
import { FormatError, InputError } from '../errors.js';
import { countValue, emptyPaper, normalizeLine, parseArxivId, type ParsedListing } from '../model.js';
import { isHfItem, isoDay } from './hf-item.js';
import { listingFromHfItems } from './hf-json.js';
import type { ParseOptions, Source } from './types.js';

type Json = Record<string, unknown>;
type Nodes = ReturnType<CheerioAPI>;

/** The warning every cards-only import carries. */
export const CARDS_ONLY_WARNING = 'no embedded listing data; imported ids, titles and upvotes only';

const ISLAND_TARGET = 'DailyPapers';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
// `41`, `1,234`: a counter and nothing else.
const COUNT = /^\d{1,3}(?:,\d{3})+$|^\d+$/;
// Card parts that hold numbers which are not upvotes: the title, the comment-count link.
const NOT_UPVOTES = 'h1, h2, h3, h4, [href*="#community"], [class*="comment" i], [aria-label*="comment" i], [title*="comment" i]';
const UPVOTE_CONTROL = '[class*="upvote" i], [aria-label*="upvote" i], [title*="upvote" i], [data-upvotes]';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Saved Hugging Face listing pages (`papers/date/…`, and week/month pages with `--date`). */
export const hfHtml: Source = {
  name: 'hf-html',
  sniff: (text) => /^\s*</.test(text),
  parse(text, opts) {
    assertNotTooDeep(text, opts.origin);
    try {
      return parsePage(text, opts);
    } catch (err) {
      // A stack overflow in cheerio, or a string past V8's length limit.
      if (err instanceof RangeError) throw new InputError(`${opts.origin}: the page is too large or nested too deeply to read`);
      throw err;
    }
  },
};

/** The listing in a page whose depth is known to be sane. */
function parsePage(text: string, opts: ParseOptions): ParsedListing {
  const $ = load(text);
  const props = findListingProps($, opts.origin);
  if (props) return listingFromProps(props, pageDay($), opts);
  assertNotCutShort(text, opts.origin);
  const cards = readCards($);
  if (cards.length > 0) return listingFromCards(cards, pageDay($), opts);
  throw new FormatError(
    `${opts.origin}: page layout not recognized (no DailyPapers data and no paper cards); save the page again or use the API JSON`,
  );
}

// ---------------------------------------------------------------------------
// Nesting

// Real listing pages nest about 16 elements deep. htmlparser2 keeps its stack of open
// elements with Array#unshift and indexOf, and cheerio's text() recurses per level: a page
// nested N deep costs O(N²) to load (a 1 MB file of `<i>` takes minutes) and overflows the
// stack when read. So the depth is bounded before cheerio sees the page.
const MAX_DEPTH = 1000;
const VOID_ELEMENTS = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'image', 'img', 'input', 'isindex',
  'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);
const RAW_TEXT_END = new Map(['script', 'style', 'title', 'textarea'].map((name) => [name, new RegExp(`</${name}`, 'gi')]));
const RAW_TEXT = new Set(RAW_TEXT_END.keys());
const TAG = /<(\/?)([a-zA-Z][^\s/>]*)/g;

/**
 * InputError when the page nests elements deeper than MAX_DEPTH. Linear: tags are matched
 * as htmlparser2 matches them (an end tag closes up to its element, an unmatched one is
 * ignored); implied end tags, attributes and comments are not special-cased, which can
 * only overestimate the depth.
 */
function assertNotTooDeep(text: string, origin: string): void {
  const stack: string[] = [];
  const open = new Map<string, number>();
  TAG.lastIndex = 0;
  for (let m = TAG.exec(text); m; m = TAG.exec(text)) {
    const name = m[2]!.toLowerCase();
    if (m[1]) {
      if (!open.get(name)) continue;
      for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
        open.set(top, open.get(top)! - 1);
        if (top === name) break;
      }
    } else if (RAW_TEXT.has(name)) {
      // Script and style bodies are text, not tags: skip to the first end tag.
      const close = RAW_TEXT_END.get(name)!;
      close.lastIndex = TAG.lastIndex;
      if (!close.exec(text)) break;
      TAG.lastIndex = close.lastIndex;
    } else if (!VOID_ELEMENTS.has(name)) {
      stack.push(name);
      open.set(name, (open.get(name) ?? 0) + 1);
      if (stack.length > MAX_DEPTH) {
        throw new InputError(`${origin}: the page nests elements more than ${MAX_DEPTH} deep, which no listing page does; save the page again or use the API JSON`);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Embedded JSON

/** The island props holding `dailyPapers`, or null when the page has none. */
function findListingProps($: CheerioAPI, origin: string): Json | null {
  // Prefer the island named DailyPapers; any other island whose props carry a
  // `dailyPapers` array is accepted too, in case the component gets renamed.
  const named = $(`[data-target="${ISLAND_TARGET}"][data-props]`).toArray();
  const others = $('[data-props]')
    .toArray()
    .filter((el) => !named.includes(el) && ($(el).attr('data-props') ?? '').includes('"dailyPapers"'));
  for (const el of [...named, ...others]) {
    const props = parseProps($(el).attr('data-props') ?? '', origin);
    if (isObject(props) && Array.isArray(props.dailyPapers)) return props;
  }
  return null;
}

/**
 * htmlparser2 drops an element whose tag never closes, so a file that ends inside the
 * props shows no island at all; say what happened instead of "layout not recognized".
 */
function assertNotCutShort(text: string, origin: string): void {
  const at = text.lastIndexOf(`data-target="${ISLAND_TARGET}"`);
  // Props are escaped, so the first raw `>` after the target ends the tag.
  if (at >= 0 && text.indexOf('>', at) < 0) {
    throw new FormatError(`${origin}: the page ends inside its DailyPapers data (a partial save?); save the page again or use the API JSON`);
  }
}

/** JSON.parse of an island's (already entity-decoded) props; FormatError when broken. */
function parseProps(raw: string, origin: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (err) {
    // Usually a page saved before it finished loading, or cut short.
    throw new FormatError(
      `${origin}: the page's DailyPapers data is not valid JSON (${(err as Error).message}); save the page again or use the API JSON`,
    );
  }
}

/** Listing from the embedded items; days come from the items, `--date`, or the page. */
function listingFromProps(props: Json, urlDay: string | null, opts: ParseOptions): ParsedListing {
  const items = props.dailyPapers as unknown[];
  if (items.length > 0 && !isHfItem(items[0])) {
    throw new FormatError(`${opts.origin}: the page's DailyPapers items have no "paper" object; the page format changed`);
  }
  const period = typeof props.periodType === 'string' ? props.periodType : 'day';
  const label = typeof props.dateString === 'string' ? props.dateString : typeof props.date === 'string' ? props.date : null;
  if (period !== 'day') {
    // A week or month page has no single day; 2024-era items carry none of their own.
    if (!opts.day && items.some((item) => itemDay(item) === null)) {
      throw new InputError(
        `${opts.origin}: this is a ${period} page${label ? ` (${label})` : ''} and its papers carry no listing day; pass --date YYYY-MM-DD`,
      );
    }
    return rerankPerDay(listingFromHfItems(items, opts, 'hf-html'));
  }
  // A real day only: `2025-02-30` looks like one but is not.
  const day = opts.day ?? (label && DAY.test(label) && isoDay(label) === label ? label : null) ?? urlDay;
  return listingFromHfItems(items, { ...opts, day }, 'hf-html');
}

/** `YYYY-MM-DD` of an item's `submittedOnDailyAt`, or null. */
function itemDay(item: unknown): string | null {
  return isObject(item) && isObject(item.paper) ? isoDay(item.paper.submittedOnDailyAt) : null;
}

/**
 * A period page ranks a whole week or month together; a listing's rank is per day, so
 * number each day's papers 1, 2, … in page order (the page's order is by upvotes).
 */
function rerankPerDay(listing: ParsedListing): ParsedListing {
  const next = new Map<string, number>();
  for (const { listing: entry } of listing.items) {
    if (!entry) continue;
    const rank = (next.get(entry.day) ?? 0) + 1;
    next.set(entry.day, rank);
    entry.rank = rank;
  }
  return listing;
}

/** The day in the page's own address (`…/papers/date/2025-06-09`), or null. */
function pageDay($: CheerioAPI): string | null {
  const urls = [$('link[rel="canonical"]').attr('href'), $('meta[property="og:url"]').attr('content')];
  for (const url of urls) {
    const m = url ? /\/papers\/date\/(\d{4}-\d{2}-\d{2})(?:[/?#]|$)/.exec(url) : null;
    if (m && isoDay(m[1]) === m[1]) return m[1]!;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Rendered cards (fallback)

interface Card {
  id: string;
  title: string;
  upvotes: number | null;
}

/** Paper cards in page order: `article` elements whose `h3 > a` links to `/papers/<id>`. */
function readCards($: CheerioAPI): Card[] {
  const cards: Card[] = [];
  const seen = new Set<string>();
  $('article').each((_, article) => {
    const link = $(article).find('h3 > a[href]').first();
    const id = paperIdFromHref(link.attr('href') ?? '');
    const title = normalizeLine(link.text());
    // A card may be repeated (e.g. a pinned paper); the first one holds its rank.
    if (!id || !title || seen.has(id)) return;
    seen.add(id);
    cards.push({ id, title, upvotes: cardUpvotes($, $(article)) });
  });
  return cards;
}

/** The arXiv id in `/papers/<id>` or `https://huggingface.co/papers/<id>`, or null. */
function paperIdFromHref(href: string): string | null {
  const m = /^(?:https?:\/\/[^/]+)?\/papers\/([^/?#]+)\/?(?:[?#]|$)/.exec(href.trim());
  return m ? (parseArxivId(m[1]!)?.id ?? null) : null;
}

/**
 * The upvote count shown on a card, or null. Class names are generated and change,
 * so: an element that calls itself an upvote control if any, else the first element
 * whose whole text is a number, outside the title and the comment-count link.
 */
function cardUpvotes($: CheerioAPI, card: Nodes): number | null {
  const control = card.find(UPVOTE_CONTROL).first();
  if (control.length > 0) {
    const attr = control.attr('data-upvotes');
    const fromControl = countOf(attr ?? '') ?? countIn(control.text());
    if (fromControl !== null) return fromControl;
  }
  // Matched once per card: `.is()` per element and ancestor compiled the selector each
  // time, which made a card nested a few hundred deep take seconds.
  const excluded = new Set<unknown>(card.find(NOT_UPVOTES).toArray());
  for (const el of card.find('*').toArray()) {
    const count = countOf($(el).text());
    if (count === null) continue;
    // Only the path inside the card matters (cards are `article` elements).
    let inside = excluded.has(el);
    for (let up = el.parent; !inside && up && (up as { name?: string }).name !== 'article'; up = up.parent) inside = excluded.has(up);
    if (!inside) return count;
  }
  return null;
}

/** The number a text consists of (`41`, ` 1,234 `), or null. */
function countOf(text: string): number | null {
  const s = text.trim();
  return COUNT.test(s) ? countValue(Number(s.replace(/,/g, ''))) : null;
}

/** The single number inside a short label such as `Upvote 41`, or null. */
function countIn(text: string): number | null {
  const numbers = text.match(/\d[\d,]*/g);
  return numbers?.length === 1 ? countOf(numbers[0]!) : null;
}

/** Listing from cards: no abstracts or authors, so the result says so. */
function listingFromCards(cards: Card[], urlDay: string | null, opts: ParseOptions): ParsedListing {
  const day = opts.day ?? urlDay;
  if (!day) throw new InputError(`${opts.origin}: cannot tell the listing day; pass --date YYYY-MM-DD`);
  return {
    format: 'hf-html',
    items: cards.map((card, i) => {
      const paper = emptyPaper(card.id, card.title);
      paper.upvotes = card.upvotes;
      return { paper, listing: { source: 'hf', day, rank: i + 1, upvotes: card.upvotes } };
    }),
    warnings: [CARDS_ONLY_WARNING],
  };
}
