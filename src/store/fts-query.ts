/**
 * The user's search text → a safe FTS5 MATCH expression.
 * Everything the user types is data: each word becomes a quoted FTS5 string, so
 * quotes, `*`, `-`, `AND`, `NEAR(`, parentheses and `'` can never be syntax.
 * Supported on purpose: "quoted phrases" and a trailing `*` for prefix search.
 */

import { UsageError } from '../errors.js';
import { spaceCjk } from './cjk.js';

/** The most characters a query may have. */
export const MAX_QUERY_CHARS = 1000;
/** The most distinct terms (words and phrases) a query may have. */
export const MAX_TERMS = 64;
/**
 * The most distinct prefix terms (`diffus*`) a query may have: each one makes FTS5 merge
 * the lists of every word it starts, once to rank and once per result shown.
 */
export const MAX_PREFIX_TERMS = 4;

/**
 * The most terms the watch list may hold: each is one more FTS5 query per listing shown,
 * and one more branch of the OR that `--watched` searches.
 */
export const MAX_WATCH_TERMS = 100;

/** One unit of a query: words that must appear together (a phrase) or one word. */
export interface QueryTerm {
  words: string[];
  /** The last word is a prefix (`transform*`). */
  prefix: boolean;
}

// Words as the FTS5 unicode61 tokenizer sees them: letters, digits (and marks).
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The index's words of `text`: each CJK character is a word (cjk.ts), so a CJK run is a phrase. */
const wordsOf = (text: string): string[] => spaceCjk(text).match(WORD) ?? [];

/**
 * Split the user's text into terms: balanced "…" are phrases; other words stand alone. A
 * term typed twice is kept once (all terms must match, so the papers found are the same).
 * UsageError past MAX_QUERY_CHARS, MAX_TERMS or MAX_PREFIX_TERMS.
 */
export function parseQuery(text: string): QueryTerm[] {
  if (text.length > MAX_QUERY_CHARS) {
    throw new UsageError(`the search text is ${text.length.toLocaleString('en')} characters long; at most ${MAX_QUERY_CHARS.toLocaleString('en')} are searched`);
  }
  const terms = dedupe(splitTerms(text));
  assertQuerySize(terms);
  return terms;
}

/** UsageError when `terms` (of one search, or of all the series of a trend) hold more different terms or prefix terms than the caps. */
export function assertQuerySize(terms: QueryTerm[]): void {
  const distinct = dedupe(terms);
  const prefixes = distinct.filter((t) => t.prefix).length;
  if (distinct.length > MAX_TERMS || prefixes > MAX_PREFIX_TERMS) {
    throw new UsageError(
      `the search has ${distinct.length} different terms, ${prefixes} of them ending in *; at most ${MAX_TERMS} terms and ${MAX_PREFIX_TERMS} ending in * are searched`,
    );
  }
}

/** Terms without repeats: the same words (ASCII case aside, which the tokenizer folds) and the same `*`. */
function dedupe(terms: QueryTerm[]): QueryTerm[] {
  const seen = new Set<string>();
  return terms.filter((t) => {
    const key = (t.prefix ? '*' : ' ') + t.words.map((w) => w.replace(/[A-Z]/g, (c) => c.toLowerCase())).join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function splitTerms(text: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  // An unbalanced quote is taken as a plain character, not an open phrase.
  const quotes = (text.match(/"/g) ?? []).length;
  const usable = quotes % 2 === 0 ? text : text.replace(/"(?=[^"]*$)/, ' ');
  const parts = usable.split(/("[^"]*")/);
  for (const part of parts) {
    if (part.startsWith('"') && part.endsWith('"') && part.length >= 2) {
      const words = wordsOf(part.slice(1, -1));
      if (words.length) terms.push({ words, prefix: /\*\s*"$/.test(part) });
      continue;
    }
    for (const chunk of part.split(/\s+/)) {
      // A hyphenated or dotted chunk (`sparse-attention`, `gpt-4o`) is a phrase of its words.
      const words = wordsOf(chunk);
      if (words.length) terms.push({ words, prefix: chunk.endsWith('*') });
    }
  }
  return terms;
}

const quote = (w: string) => `"${w.replace(/"/g, '""')}"`;

/**
 * The words of a term in compatibility form (NFKC: `ﬁne` → `fine`, `ＧＰＴ` → `GPT`,
 * `x²` → `x2`), or null when that is what was typed. Stored text keeps its characters
 * (NFKC would turn `O(n²)` into `O(n2)`) but for ligatures, so a query matches as typed or folded.
 */
export function foldedWords(words: string[]): string[] | null {
  const typed = words.join(' ');
  const folded = wordsOf(typed.normalize('NFKC'));
  return folded.length > 0 && folded.join(' ') !== typed ? folded : null;
}

/** One term as FTS5: a quoted phrase, `*` for a prefix, `(typed OR folded)` when folding changes it. */
function termMatch(t: QueryTerm): string {
  const phrase = (words: string[]) => quote(words.join(' ')) + (t.prefix ? '*' : '');
  const folded = foldedWords(t.words);
  return folded ? `(${phrase(t.words)} OR ${phrase(folded)})` : phrase(t.words);
}

/** The FTS5 MATCH expression for parsed terms (all terms must match), or null if there are none. */
export function toMatchExpression(terms: QueryTerm[]): string | null {
  if (terms.length === 0) return null;
  const parts = terms.map(termMatch);
  // FTS5 takes implicit AND between strings only: next to a (…) group it must be spelled out.
  return parts.join(parts.some((p) => p.startsWith('(')) ? ' AND ' : ' ');
}
