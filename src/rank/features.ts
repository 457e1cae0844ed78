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

/** How much each group weighs once normalized: words and AI keywords (a paper's topics in a few phrases), then authors, categories. */
const GROUPS = 'wkac';
const GROUP_WEIGHTS = [1, 1, 0.5, 0.3];

/** A crude English stem: plural and a few common endings folded, enough to join `model`/`models`. */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/** The words of `text`, lower-cased and stemmed; stop words become null (a pair never spans one). */
export function words(text: string): Array<string | null> {
  const out: Array<string | null> = [];
  // Compatibility forms (`ﬁ` → `fi`) only where there is something beyond ASCII to fold.
  const folded = NON_ASCII.test(text) ? text.normalize('NFKC') : text;
  for (const raw of folded.toLowerCase().split(SEPARATORS)) {
    if (raw === '') continue;
    out.push(raw.length < 2 || STOP.has(raw) || DIGITS.test(raw) ? null : stem(raw));
  }
  return out;
}

const NON_ASCII = /[^\x00-\x7f]/;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
const DIGITS = /^\d+$/;

/**
 * Feature names ↔ numbers for one ranking run. Word pairs are numbered from the numbers of
 * their words, so building a pair's name (a new string to hash) happens once per distinct pair.
 */
class Vocabulary {
  /** Names by number; a word pair's is built only when asked for (most pairs are dropped). */
  private readonly names: Array<FeatureName | null> = [];
  private readonly parts: number[] = [];
  private readonly ids = new Map<FeatureName, number>();
  private readonly pairs = new Map<number, number>();

  get size(): number {
    return this.names.length;
  }

  name(id: number): FeatureName {
    let name = this.names[id];
    if (name == null) {
      name = `${this.name(this.parts[2 * id]!)} ${this.name(this.parts[2 * id + 1]!).slice(2)}`;
      this.names[id] = name;
    }
    return name;
  }

  id(name: FeatureName): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
      this.parts.push(-1, -1);
    }
    return id;
  }

  pair(a: number, b: number): number {
    // Exact as a double for any vocabulary below 2^26 features.
    const key = a * 67_108_864 + b;
    let id = this.pairs.get(key);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(null);
      this.parts.push(a, b);
      this.pairs.set(key, id);
    }
    return id;
  }

  private readonly words = new Map<string, number>();

  /** A word's feature (`w:word`), looked up by the word itself: most lookups find it, and need no new string. */
  word(w: string): number {
    let id = this.words.get(w);
    if (id === undefined) {
      id = this.id('w:' + w);
      this.words.set(w, id);
    }
    return id;
  }

  private readonly tokens = new Map<string, number>();

  /** The feature of a lower-cased token as split from text, or -1 for a stop word: stemmed and checked once per distinct token. */
  token(raw: string): number {
    let id = this.tokens.get(raw);
    if (id === undefined) {
      id = raw.length < 2 || STOP.has(raw) || DIGITS.test(raw) ? -1 : this.word(stem(raw));
      this.tokens.set(raw, id);
    }
    return id;
  }

}

/**
 * Push the feature numbers of the words of `text`, each `times` times, and with `pairs` its
 * adjacent word pairs too. The ranking takes pairs from titles and keywords only: pairs of
 * abstracts nearly doubled the cost of a ranking and did not change its precision
 * (bench/RESULTS.md, Ranking).
 */
function addText(out: number[], vocab: Vocabulary, text: string, times: number, pairs: boolean): void {
  let prev = -1;
  // As words() splits, with each distinct token judged once by the vocabulary.
  const folded = NON_ASCII.test(text) ? text.normalize('NFKC') : text;
  for (const raw of folded.toLowerCase().split(SEPARATORS)) {
    if (raw === '') continue;
    const one = vocab.token(raw);
    if (one < 0) {
      prev = -1;
      continue;
    }
    const two = pairs && prev >= 0 ? vocab.pair(prev, one) : -1;
    for (let t = 0; t < times; t++) {
      out.push(one);
      if (two >= 0) out.push(two);
    }
    prev = one;
  }
}

/** A paper's feature numbers, one per occurrence, sorted: the title counts twice, as a title says more than a sentence of abstract. */
function featureIds(doc: RankDoc, vocab: Vocabulary): Int32Array {
  const out: number[] = [];
  addText(out, vocab, doc.title, 2, true);
  addText(out, vocab, doc.abstract, 1, false);
  for (const k of doc.keywords) {
    const key = words(k).filter((w) => w !== null).join(' ');
    if (key) out.push(vocab.id('k:' + key));
  }
  for (const a of doc.authors) out.push(vocab.id('a:' + a.trim()));
  for (const c of doc.categories) out.push(vocab.id('c:' + c));
  return Int32Array.from(out).sort();
}

/** The raw feature counts of a paper, by name (keywords, authors and categories count once). */
export function rawFeatures(doc: RankDoc): Map<FeatureName, number> {
  const vocab = new Vocabulary();
  const counts = new Map<FeatureName, number>();
  for (const id of featureIds(doc, vocab)) {
    const name = vocab.name(id);
    counts.set(name, name.startsWith('w:') ? (counts.get(name) ?? 0) + 1 : 1);
  }
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
  const vocab = new Vocabulary();
  const occurrences = docs.map((d) => featureIds(d, vocab));
  const df = new Int32Array(vocab.size);
  for (const ids of occurrences) for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) df[ids[i]!]++;
  // Kept features renumbered densely; the others map to -1.
  const kept = new Int32Array(vocab.size).fill(-1);
  const names: FeatureName[] = [];
  const idf: number[] = [];
  const n = docs.length;
  df.forEach((d, f) => {
    if (d < 2) return;
    kept[f] = names.length;
    names.push(vocab.name(f));
    idf.push(Math.log((1 + n) / (1 + d)) + 1);
  });
  // Each feature's group (the letter before its colon), to scale each group to its weight.
  const groupOf = Uint8Array.from(names, (f) => GROUPS.indexOf(f[0]!));
  const vectors = occurrences.map((ids) => {
    const index: number[] = [];
    const value: number[] = [];
    const norms = [0, 0, 0, 0];
    for (let i = 0; i < ids.length; ) {
      let end = i + 1;
      while (end < ids.length && ids[end] === ids[i]) end++;
      const j = kept[ids[i]!]!;
      if (j >= 0) {
        // Keywords, authors and categories are there or not: only words have a count.
        const tf = groupOf[j] === 0 ? end - i : 1;
        const v = (1 + Math.log(tf)) * idf[j]!;
        index.push(j);
        value.push(v);
        norms[groupOf[j]!] += v * v;
      }
      i = end;
    }
    const scale = norms.map((s, g) => (s > 0 ? GROUP_WEIGHTS[g]! / Math.sqrt(s) : 0));
    for (let i = 0; i < index.length; i++) value[i] = value[i]! * scale[groupOf[index[i]!]!]!;
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
