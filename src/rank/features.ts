/**
 * A paper as features for the ranking model: tf-idf of the words and word pairs of its title
 * and abstract, its AI keywords, its authors and its arXiv categories, each group scaled to
 * a fixed length so a long abstract cannot drown the authors.
 */
import type { RankDoc } from '../store/feedback.js';
import { STOPWORDS } from '../store/stopwords.js';

/** Feature names carry their group: `w:` word or word pair, `k:` AI keyword, `a:` author, `c:` category. */
export type FeatureName = string;

/**
 * Words that say nothing about a paper's topic: search's stop words, less the few that name
 * one in this field (`language model`, `training data`, `large` of `large language model`).
 */
const TOPICAL = new Set('model models data dataset datasets training train trained large task tasks'.split(' '));
const STOP = new Set([...STOPWORDS].filter((w) => !TOPICAL.has(w)));

/** How much each group weighs once normalized: words most, then keywords, authors, categories. */
const GROUP_WEIGHT: Record<string, number> = { w: 1, k: 0.6, a: 0.5, c: 0.3 };

/** A crude English stem: plural and a few common endings folded, enough to join `model`/`models`. */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/** The words of `text`, lower-cased and stemmed; stop words become null (a pair never spans one). */
export function words(text: string): Array<string | null> {
  const out: Array<string | null> = [];
  for (const raw of text.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw === '') continue;
    out.push(raw.length < 2 || STOP.has(raw) || /^\d+$/.test(raw) ? null : stem(raw));
  }
  return out;
}

/** Add the words and adjacent word pairs of `text` to `counts`, each `times` times. */
function addText(counts: Map<FeatureName, number>, text: string, times: number): void {
  const ws = words(text);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    if (w == null) continue;
    counts.set(`w:${w}`, (counts.get(`w:${w}`) ?? 0) + times);
    const next = ws[i + 1];
    if (next != null) counts.set(`w:${w} ${next}`, (counts.get(`w:${w} ${next}`) ?? 0) + times);
  }
}

/** The raw feature counts of a paper: the title counts twice, as a title says more than a sentence of abstract. */
export function rawFeatures(doc: RankDoc): Map<FeatureName, number> {
  const counts = new Map<FeatureName, number>();
  addText(counts, doc.title, 2);
  addText(counts, doc.abstract, 1);
  for (const k of doc.keywords) {
    const key = words(k).filter((w) => w !== null).join(' ');
    if (key) counts.set(`k:${key}`, 1);
  }
  for (const a of doc.authors) counts.set(`a:${a.trim()}`, 1);
  for (const c of doc.categories) counts.set(`c:${c}`, 1);
  return counts;
}

/** A sparse vector: feature indices and their values, in the same order. */
export interface SparseVector {
  index: Int32Array;
  value: Float64Array;
}

/**
 * tf-idf over one collection of papers (the training set and the candidates together).
 * Features found in one paper only are dropped: they cannot carry what was learned from one
 * paper to another. Returns the vectors in the order of `docs` and the feature names by index.
 */
export function vectorize(docs: RankDoc[]): { vectors: SparseVector[]; names: FeatureName[] } {
  const raws = docs.map(rawFeatures);
  const df = new Map<FeatureName, number>();
  for (const raw of raws) for (const f of raw.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  const ids = new Map<FeatureName, number>();
  const names: FeatureName[] = [];
  const idf: number[] = [];
  const n = docs.length;
  for (const [f, d] of df) {
    if (d < 2) continue;
    ids.set(f, names.length);
    names.push(f);
    idf.push(Math.log((1 + n) / (1 + d)) + 1);
  }
  const vectors = raws.map((raw) => {
    const index: number[] = [];
    const value: number[] = [];
    const norms = new Map<string, number>();
    for (const [f, tf] of raw) {
      const j = ids.get(f);
      if (j === undefined) continue;
      const v = (1 + Math.log(tf)) * idf[j]!;
      index.push(j);
      value.push(v);
      norms.set(f[0]!, (norms.get(f[0]!) ?? 0) + v * v);
    }
    for (let i = 0; i < index.length; i++) {
      const group = names[index[i]!]![0]!;
      value[i] = (value[i]! / Math.sqrt(norms.get(group)!)) * GROUP_WEIGHT[group]!;
    }
    return { index: Int32Array.from(index), value: Float64Array.from(value) };
  });
  return { vectors, names };
}

/** How a feature reads in `why`: `gaussian splatting`, `author: Jane Doe`, `category: cs.CV`. */
export function featureLabel(name: FeatureName): string {
  const body = name.slice(2);
  switch (name[0]) {
    case 'a':
      return `author: ${body}`;
    case 'c':
      return `category: ${body}`;
    default:
      return body;
  }
}
