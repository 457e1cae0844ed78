/**
 * The normalized records every source produces and the store keeps,
 * plus the id and text normalization they share.
 */
import { createRequire } from 'node:module';

/** A paper as the sources produce it; unknown fields are null / empty. */
export interface Paper {
  /** arXiv id without version (`2508.12345`, `hep-th/9901001`), or a title-derived id (`title-…`). */
  id: string;
  title: string;
  /** Abstract; paragraphs separated by a blank line. Empty when the source has none. */
  abstract: string;
  /** Author names, in order. */
  authors: string[];
  /** arXiv publication time (ISO 8601), or null. */
  publishedAt: string | null;
  upvotes: number | null;
  comments: number | null;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  aiSummary: string | null;
  keywords: string[];
  organization: string | null;
  /** The Hugging Face user who submitted the paper to Daily Papers (`submittedBy.name`), or null. */
  submittedBy: string | null;
  /** arXiv categories, primary first when known (`cs.LG`, `stat.ML`). */
  categories: string[];
  primaryCategory: string | null;
  doi: string | null;
  journalRef: string | null;
  /** The authors' arXiv comment (`12 pages, 5 figures`); not the HF comment count. */
  arxivComments: string | null;
  /** Latest arXiv version number seen, or null. */
  version: number | null;
  /** When arXiv last updated the paper (ISO 8601), or null. */
  updatedAt: string | null;
}

/** A paper as a row of output: the paper plus the listing it is shown under. */
export interface PaperRow extends Paper {
  /** The listing day this row stands for (the latest one in range), or null. */
  listedOn: string | null;
  /** Listing source of that day (`hf`), or null. */
  source: string | null;
  /** Position in that listing, or null. */
  rank: number | null;
  /** Search only: the title with matches marked by HL_OPEN / HL_CLOSE. */
  titleMarked?: string;
  /** Search only: an abstract excerpt with matches marked. */
  snippet?: string;
  /** The watch-list terms the paper matches, when they were looked up. */
  watched?: string[];
  /** Upvotes gained since Filters.gainSince, when asked for; null when unknown. */
  gain?: number | null;
  /** Every listing of the paper, newest first, when looked up (show, export). */
  listings?: ListingEntry[];
}

/** Markers around matches (FTS highlights, grep): render turns them into color and strips them otherwise. */
export const HL_OPEN = '\u0001';
export const HL_CLOSE = '\u0002';

/** One paper's place in a listing: the HF Daily Papers of a day, an arXiv category's day, … */
export interface ListingEntry {
  /** Listing source, e.g. `hf`. */
  source: string;
  /** The listing day, `YYYY-MM-DD`. */
  day: string;
  /** 1-based position in that listing (HF: by upvotes). */
  rank: number;
  /** Upvotes when the listing was read. */
  upvotes: number | null;
}

/** What a parser returns: papers, and where each was listed. */
export interface ParsedListing {
  /** Name of the format that produced it (`hf-json`, `hf-html`, …). */
  format: string;
  items: Array<{ paper: Paper; listing: ListingEntry | null }>;
  /** Non-fatal notes for stderr (skipped paragraphs, fallbacks). */
  warnings: string[];
  /**
   * True when the input is the whole listing of its days (an API answer, a saved page with its
   * embedded listing), so storing it counts as fetching them; copied text and cards are partial.
   */
  complete?: boolean;
}

/** A blank paper with only the required fields set. */
export function emptyPaper(id: string, title: string): Paper {
  return {
    id,
    title,
    abstract: '',
    authors: [],
    publishedAt: null,
    upvotes: null,
    comments: null,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    aiSummary: null,
    keywords: [],
    organization: null,
    submittedBy: null,
    categories: [],
    primaryCategory: null,
    doi: null,
    journalRef: null,
    arxivComments: null,
    version: null,
    updatedAt: null,
  };
}

// New-style ids: YYMM.NNNN or YYMM.NNNNN, optional version.
const NEW_ID = /^(\d{4}\.\d{4,5})(v\d+)?$/;
// Old-style ids: archive(.SUBJ)/YYMMNNN, optional version.
const OLD_ID = /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(v\d+)?$/;

/** The arXiv id without version, or null when `raw` is not an arXiv id. */
export function parseArxivId(raw: string): { id: string; version: number | null } | null {
  const s = raw.trim().replace(/^arxiv:/i, '');
  const m = NEW_ID.exec(s) ?? OLD_ID.exec(s);
  if (!m) return null;
  return { id: m[1]!, version: m[2] ? countValue(Number(m[2].slice(1))) : null };
}

/**
 * A count from a source (upvotes, comments, stars, a rank, a version): a whole number from 0 to
 * 2^53−1, a fraction truncated; null for anything else (negative, past exact, not a number).
 */
export function countValue(v: unknown): number | null {
  return typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER ? Math.trunc(v) : null;
}

/** True for ids derived from a title (papers imported from copied page text). */
export function isTitleId(id: string): boolean {
  return id.startsWith('title-');
}

/** Han, Hiragana, Katakana (with the prolonged sound mark ー, whose script is Common), Hangul: a regex character class's body. */
export const CJK_CHARS = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC\uFF70`;
const HAS_CJK = new RegExp(`[${CJK_CHARS}]`, 'u');

/** True when `text` has a CJK character (scripts written without spaces between words). */
export function hasCjk(text: string): boolean {
  return HAS_CJK.test(text);
}

/** Typographic ligatures (U+FB00–FB06: ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ), which PDF text is full of. */
export const LIGATURES = /[\uFB00-\uFB06]/g;

/** Ligatures as their letters (`ﬁ` → `fi`): they look the same, and only the letters are searchable. */
export function foldLigatures(text: string): string {
  return text.replace(LIGATURES, (c) => c.normalize('NFKC'));
}

/**
 * Whether normalizeLine or normalizeParagraphs could change `text`: whitespace other than single
 * spaces between words, or a ligature. Most text stored by papers (our JSONL's titles, names,
 * one-paragraph abstracts) has none; one scan for it is half the cost of the replacements,
 * which each scan the whole text again.
 */
const NEEDS_NORMALIZING = /[^\S ]| {2}|^ | $|[\uFB00-\uFB06]/;

/** Collapse all whitespace (including hard line breaks) to single spaces; ligatures become letters. */
export function normalizeLine(text: string): string {
  if (!NEEDS_NORMALIZING.test(text)) return text;
  // Only runs of 2+ or non-space whitespace need replacing: most text has none, and
  // replacing every single space is many times slower.
  return foldLigatures(text.replace(/\s{2,}|[^\S ]/g, ' ').replace(/ {2,}/g, ' ').trim());
}

/**
 * Normalize an abstract: a single line break inside a paragraph becomes a space
 * (arXiv and HF hard-wrap at ~80 columns); a blank line stays a paragraph break.
 */
export function normalizeParagraphs(text: string): string {
  if (!NEEDS_NORMALIZING.test(text)) return text;
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n\s*/)
    .map(normalizeLine)
    .filter((p) => p.length > 0)
    .join('\n\n');
}

/** The key two titles must share to be the same paper: case, punctuation and spacing folded. */
export function titleKey(title: string): string {
  return normalizeLine(
    title
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' '),
  );
}

// node:crypto is required on first use, not imported at the top: loading it costs every
// command ~3 ms of start-up, and only papers without an arXiv id need it.
let createHash: typeof import('node:crypto').createHash | undefined;

/** A stable id for a paper known only by its title. */
export function titleId(title: string): string {
  createHash ??= (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).createHash;
  return 'title-' + createHash('sha1').update(titleKey(title)).digest('hex').slice(0, 12);
}

/** Public links of a paper; arXiv links only for arXiv ids. */
export function paperUrls(id: string): { hf: string | null; arxiv: string | null; pdf: string | null } {
  if (isTitleId(id)) return { hf: null, arxiv: null, pdf: null };
  const isNew = NEW_ID.test(id);
  return {
    // Hugging Face only lists new-style ids.
    hf: isNew ? `https://huggingface.co/papers/${id}` : null,
    arxiv: `https://arxiv.org/abs/${id}`,
    pdf: `https://arxiv.org/pdf/${id}`,
  };
}

/** Repositories asked for per kind: HF sorts by likes, so these are the most liked. */
export const LINKED_LIMIT = 100;

/** The kinds of repository, in the order they are shown. */
export const LINKED_KINDS = ['model', 'dataset', 'space'] as const;
/** One kind of repository. */
export type LinkedKind = (typeof LINKED_KINDS)[number];

/** One repository citing a paper. */
export interface LinkedRepo {
  id: string;
  likes: number | null;
  /** Null for Spaces (HF counts no downloads for them) or when unknown. */
  downloads: number | null;
}

/** What HF answered for one paper: the repositories of each kind, most liked first. */
export type Linked = Record<LinkedKind, LinkedRepo[]>;

/** What is stored for a paper: the repositories, how many of each HF listed, and when it was asked. */
export interface StoredLinked {
  fetchedAt: string;
  repos: Linked;
  counts: Record<LinkedKind, number>;
}
