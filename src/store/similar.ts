/**
 * "More like this" from the local database: a paper's most distinctive words
 * (tf-idf over title and abstract) become a ranked FTS query.
 */
import { STOPWORDS } from './stopwords.js';
import type { Db } from './db.js';
import { spaceCjk } from './cjk.js';

/** How many distinctive terms make the query. */
const QUERY_TERMS = 12;
/** At most this many candidate words get a document-frequency lookup. */
const CANDIDATES = 60;

/** Words of a text as candidates: lowercase, letters/digits, not stopwords, ≥ 3 characters. */
export function candidateWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !STOPWORDS.has(w) && !/^\d+$/.test(w));
}

/**
 * The paper's most distinctive words, best first: term frequency (title words count
 * three times) × inverse document frequency in this database.
 */
export function distinctiveTerms(db: Db, title: string, abstract: string, total: number): string[] {
  const tf = new Map<string, number>();
  for (const w of candidateWords(title)) tf.set(w, (tf.get(w) ?? 0) + 3);
  for (const w of candidateWords(abstract)) tf.set(w, (tf.get(w) ?? 0) + 1);
  const candidates = [...tf.entries()].sort((a, b) => b[1] - a[1]).slice(0, CANDIDATES);
  // Document frequency through FTS itself, so stemming agrees with the index.
  const df = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH ?');
  return candidates
    .map(([w, f]) => {
      const n = df.get(anyOf([w]))?.n ?? 0;
      return { w, score: f * Math.log((total + 1) / (n + 1)) };
    })
    .filter((t) => t.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, QUERY_TERMS)
    .map((t) => t.w);
}

/** An FTS5 expression matching any of the terms (bm25 ranks papers sharing more of them first); a CJK run is a phrase of its characters. */
export function anyOf(terms: string[]): string {
  return terms.map((t) => `"${spaceCjk(t).replace(/"/g, '""')}"`).join(' OR ');
}
