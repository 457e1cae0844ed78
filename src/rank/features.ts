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
 * one in this field (`language model`, `training data`, `large` of `large language model`,
 * `code` of `code generation`: without it that keyword was `generation`, like `video generation`'s).
 */
const TOPICAL = new Set('model models data dataset datasets training train trained large task tasks code'.split(' '));
const STOP = new Set([...STOPWORDS].filter((w) => !TOPICAL.has(w)));

/**
 * How much each group weighs once normalized: AI keywords (a paper's topics in a few phrases)
 * most, then the words of title and abstract, categories, authors (bench/RESULTS.md, Ranking).
 * Authors weigh least: a starred paper's co-authors write on other topics too, and at 0.5
 * their papers crowded out on-topic ones (chosen on the bench's tuning months only).
 */
const GROUPS = 'wkac';
const GROUP_WEIGHTS = [0.7, 1.75, 0.25, 0.3];
/** A feature name's group (its index in GROUPS) by the name's first letter. */
export const GROUP_OF_PREFIX: Readonly<Record<string, number>> = Object.fromEntries([...GROUPS].map((letter, g) => [letter, g]));

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

/** Character classes of the tokenizer: a separator, a letter, a digit. */
const SEP = 0;
const LETTER = 1;
const DIGIT = 2;
/** ASCII by table; any other character asked of the Unicode classes once per code point. */
const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, c) => (c >= 48 && c <= 57 ? DIGIT : (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? LETTER : SEP));
const WIDE_CLASS = new Map<number, number>();
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
function wideClass(cp: number): number {
  let k = WIDE_CLASS.get(cp);
  if (k === undefined) {
    k = WORD_CHAR.test(String.fromCodePoint(cp)) ? LETTER : SEP;
    WIDE_CLASS.set(cp, k);
  }
  return k;
}

/** A map from pairs of non-negative integers to non-negative integers, open addressing over typed arrays (no number boxed as a key). */
class PairTable {
  private mask = 16_383;
  private firsts = new Int32Array(16_384);
  private seconds = new Int32Array(16_384);
  /** The value plus one per slot; 0 marks an empty slot. */
  private values = new Int32Array(16_384);
  private count = 0;

  private slot(a: number, b: number): number {
    let slot = (Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) >>> 15) & this.mask;
    while (this.values[slot] !== 0 && (this.firsts[slot] !== a || this.seconds[slot] !== b)) slot = (slot + 1) & this.mask;
    return slot;
  }

  /** The value of (a, b), or -1. */
  get(a: number, b: number): number {
    return this.values[this.slot(a, b)]! - 1;
  }

  set(a: number, b: number, value: number): void {
    const slot = this.slot(a, b);
    if (this.values[slot] === 0) this.count++;
    this.firsts[slot] = a;
    this.seconds[slot] = b;
    this.values[slot] = value + 1;
    if (this.count * 2 > this.mask) {
      const { firsts, seconds, values } = this;
      this.mask = this.mask * 2 + 1;
      this.firsts = new Int32Array(this.mask + 1);
      this.seconds = new Int32Array(this.mask + 1);
      this.values = new Int32Array(this.mask + 1);
      for (let i = 0; i < values.length; i++) {
        if (values[i] === 0) continue;
        const to = this.slot(firsts[i]!, seconds[i]!);
        this.firsts[to] = firsts[i]!;
        this.seconds[to] = seconds[i]!;
        this.values[to] = values[i]!;
      }
    }
  }
}

/**
 * Feature names ↔ numbers for one ranking run. Tokens are read from the text's character
 * codes into an open-addressing table, so a token seen before costs no new string; word
 * pairs and keywords are numbered from the numbers of their words, so their names are built
 * only when asked for.
 */
class Vocabulary {
  /** Names by number; a sequence's (word pair, keyword) is built only when asked for. */
  private readonly names: Array<FeatureName | null> = [];
  /** For a sequence: its prefix and its last word. */
  private readonly parts: number[] = [];
  /** Each feature's group: its index in GROUPS. */
  private readonly groups_: number[] = [];
  private readonly ids = new Map<FeatureName, number>();
  private readonly sequences = new PairTable();
  private readonly words = new Map<string, number>();
  private readonly groups = new Map<string, Map<string, number>>();

  /** The token table: hash and feature (-1 for a stop word) per slot, the token itself to confirm a match. */
  private mask = 16_383;
  private hashes = new Int32Array(16_384);
  private features = new Int32Array(16_384);
  private tokens: Array<string | undefined> = new Array<string | undefined>(16_384);
  private count = 0;

  get size(): number {
    return this.names.length;
  }

  group(id: number): number {
    return this.groups_[id]!;
  }

  name(id: number): FeatureName {
    let name = this.names[id];
    if (name == null) {
      const head = this.name(this.parts[2 * id]!);
      const last = this.name(this.parts[2 * id + 1]!).slice(2);
      name = head.length === 2 ? head + last : `${head} ${last}`;
      this.names[id] = name;
    }
    return name;
  }

  private add(name: FeatureName | null, a: number, b: number, group: number): number {
    const id = this.names.length;
    this.names.push(name);
    this.parts.push(a, b);
    this.groups_.push(group);
    return id;
  }

  id(name: FeatureName): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.add(name, -1, -1, GROUPS.indexOf(name[0]!));
      this.ids.set(name, id);
    }
    return id;
  }

  /** The feature of `prefix` (a feature) followed by word `word`: a word pair, or a keyword's words one at a time. */
  sequence(prefix: number, word: number): number {
    let id = this.sequences.get(prefix, word);
    if (id < 0) {
      id = this.add(null, prefix, word, this.groups_[prefix]!);
      this.sequences.set(prefix, word, id);
    }
    return id;
  }

  /** A feature named `group` + `value` (`a:` author, `c:` category), looked up by the value: no new string once seen. */
  named(group: string, value: string): number {
    let byValue = this.groups.get(group);
    if (byValue === undefined) this.groups.set(group, (byValue = new Map()));
    let id = byValue.get(value);
    if (id === undefined) {
      id = this.id(group + value);
      byValue.set(value, id);
    }
    return id;
  }

  /** A word's feature (`w:word`). */
  private word(w: string): number {
    let id = this.words.get(w);
    if (id === undefined) {
      id = this.id('w:' + w);
      this.words.set(w, id);
    }
    return id;
  }

  /**
   * The feature of the token `text[start, end)` (lower-cased as read; `hash` its hash), or -1
   * for a stop word: stemmed and judged once per distinct token.
   */
  token(text: string, start: number, end: number, hash: number, digits: boolean): number {
    // A hash of 0 marks an empty slot.
    hash = hash | 0 || 1;
    let slot = hash & this.mask;
    for (let h = this.hashes[slot]!; h !== 0; h = this.hashes[slot]!) {
      if (h === hash) {
        const known = this.tokens[slot]!;
        if (known.length === end - start && sameToken(known, text, start)) return this.features[slot]!;
      }
      slot = (slot + 1) & this.mask;
    }
    const raw = text.slice(start, end).toLowerCase();
    const feature = raw.length < 2 || digits || STOP.has(raw) ? -1 : this.word(stem(raw));
    this.tokens[slot] = raw;
    this.hashes[slot] = hash;
    this.features[slot] = feature;
    if (++this.count * 2 > this.mask) this.grow();
    return feature;
  }

  private grow(): void {
    const { tokens, hashes, features } = this;
    this.mask = this.mask * 2 + 1;
    this.tokens = new Array<string | undefined>(this.mask + 1);
    this.hashes = new Int32Array(this.mask + 1);
    this.features = new Int32Array(this.mask + 1);
    for (let i = 0; i < tokens.length; i++) {
      if (hashes[i] === 0) continue;
      let slot = hashes[i]! & this.mask;
      while (this.hashes[slot] !== 0) slot = (slot + 1) & this.mask;
      this.tokens[slot] = tokens[i];
      this.hashes[slot] = hashes[i]!;
      this.features[slot] = features[i]!;
    }
  }
}

/** True if `text` from `start` reads `token` (lower-case) with its ASCII capitals lowered. */
function sameToken(token: string, text: string, start: number): boolean {
  for (let i = 0; i < token.length; i++) {
    let c = text.charCodeAt(start + i);
    if (c >= 65 && c <= 90) c |= 32;
    if (c !== token.charCodeAt(i)) return false;
  }
  return true;
}

/** The features of the words of the last scanned text (-1 for a stop word), reused across texts. */
let scanned = new Int32Array(1024);

/**
 * Read the features of the words of `text` into `scanned`, in order, as words() splits it:
 * runs of letters and digits, lower-cased, compatibility forms folded. Returns how many.
 */
function scan(vocab: Vocabulary, text: string): number {
  // Compatibility forms (`ﬁ` → `fi`) and case beyond ASCII only where there is something beyond ASCII.
  const ascii = !NON_ASCII.test(text);
  if (!ascii) text = text.normalize('NFKC').toLowerCase();
  // At most one word per two characters, plus one.
  if (scanned.length <= text.length >> 1) scanned = new Int32Array(text.length);
  const n = text.length;
  let count = 0;
  let start = -1;
  let hash = 0;
  let digits = true;
  for (let i = 0; i <= n; i++) {
    let c = i < n ? text.charCodeAt(i) : 32;
    let k: number;
    let width = 1;
    if (c < 128) k = ASCII_CLASS[c]!;
    else {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) width = 2;
      k = wideClass(cp);
    }
    if (k === SEP) {
      if (start >= 0) scanned[count++] = vocab.token(text, start, i, hash, digits);
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      hash = 0x811c9dc5;
      digits = true;
    }
    if (k !== DIGIT) digits = false;
    if (c >= 65 && c <= 90) c |= 32;
    hash = Math.imul(hash ^ c, 0x01000193);
    if (width === 2) {
      hash = Math.imul(hash ^ text.charCodeAt(++i), 0x01000193);
    }
  }
  return count;
}

/**
 * One ranking run's feature numbers: the process-wide vocabulary's features numbered by
 * first occurrence in this run, so a run numbers its features as a fresh process would.
 */
class RunIds {
  private local = new Int32Array(0).fill(-1);
  private readonly order: number[] = [];
  /** Occurrences of each of this run's features in the paper being read, and which it has, in order. */
  private counts = new Int32Array(1024);
  private touched = new Int32Array(1024);
  private distinct = 0;

  constructor(readonly vocab: Vocabulary) {}

  /** This run's number for the vocabulary's feature `global`. */
  private of(global: number): number {
    if (global >= this.local.length) {
      const bigger = new Int32Array(Math.max(2 * this.local.length, global + 1, this.vocab.size)).fill(-1);
      bigger.set(this.local);
      this.local = bigger;
    }
    let id = this.local[global]!;
    if (id < 0) {
      id = this.order.length;
      this.order.push(global);
      this.local[global] = id;
      if (id === this.counts.length) {
        const bigger = new Int32Array(2 * id);
        bigger.set(this.counts);
        this.counts = bigger;
      }
    }
    return id;
  }

  get size(): number {
    return this.order.length;
  }

  /** The vocabulary's number for this run's feature `id`. */
  global(id: number): number {
    return this.order[id]!;
  }

  /** The name of this run's feature `id`. */
  name(id: number): FeatureName {
    return this.vocab.name(this.order[id]!);
  }

  /** Count one occurrence of the vocabulary's feature `global` in the paper being read. */
  push(global: number): void {
    const id = this.of(global);
    if (this.counts[id]!++ === 0) {
      if (this.distinct === this.touched.length) {
        const bigger = new Int32Array(2 * this.distinct);
        bigger.set(this.touched);
        this.touched = bigger;
      }
      this.touched[this.distinct++] = id;
    }
  }

  /** The paper just read: its features in order of first occurrence and how often each occurs; ready for the next paper. */
  take(): PaperFeatures {
    const ids = this.touched.slice(0, this.distinct);
    const counts = new Int32Array(this.distinct);
    for (let i = 0; i < ids.length; i++) {
      counts[i] = this.counts[ids[i]!]!;
      this.counts[ids[i]!] = 0;
    }
    this.distinct = 0;
    return { ids, counts };
  }
}

/** A paper's features in one run: distinct feature numbers and the occurrences of each. */
interface PaperFeatures {
  ids: Int32Array;
  counts: Int32Array;
}

/**
 * Push the feature numbers of the words of `text`, each `times` times, and with `pairs` its
 * adjacent word pairs too. The ranking takes pairs from titles and keywords only: pairs of
 * abstracts nearly doubled the cost of a ranking and did not change its precision
 * (bench/RESULTS.md, Ranking).
 */
function addText(run: RunIds, text: string, times: number, pairs: boolean): void {
  const { vocab } = run;
  const count = scan(vocab, text);
  let prev = -1;
  for (let i = 0; i < count; i++) {
    const one = scanned[i]!;
    if (one < 0) {
      prev = -1;
      continue;
    }
    const two = pairs && prev >= 0 ? vocab.sequence(prev, one) : -1;
    for (let t = 0; t < times; t++) {
      run.push(one);
      if (two >= 0) run.push(two);
    }
    prev = one;
  }
}

/**
 * Push a keyword's features: `k:` and its words without stop words, and each of its words
 * alone (`k:speech` of `speech recognition`), so keywords that share a word are alike.
 */
function addKeyword(run: RunIds, text: string): void {
  const { vocab } = run;
  const count = scan(vocab, text);
  const root = vocab.id('k:');
  let key = -1;
  let words = 0;
  for (let i = 0; i < count; i++) {
    const w = scanned[i]!;
    if (w < 0) continue;
    key = vocab.sequence(key < 0 ? root : key, w);
    words++;
  }
  if (key < 0) return;
  run.push(key);
  if (words === 1) return;
  for (let i = 0; i < count; i++) if (scanned[i]! >= 0) run.push(vocab.sequence(root, scanned[i]!));
}

/** A paper's features in `run`: the title counts twice, as a title says more than a sentence of abstract. */
function featureIds(doc: RankDoc, run: RunIds): PaperFeatures {
  const { vocab } = run;
  addText(run, doc.title, 2, true);
  addText(run, doc.abstract, 1, false);
  for (const k of doc.keywords) addKeyword(run, k);
  for (const a of doc.authors) run.push(vocab.named('a:', a.trim()));
  for (const c of doc.categories) run.push(vocab.named('c:', c));
  return run.take();
}

/**
 * The vocabulary of this process, kept from one ranking to the next (a triage re-ranks on
 * every key): the words, pairs, keywords, authors and categories of every paper ranked so far.
 */
let shared: Vocabulary | null = null;
/** Past this many features the vocabulary starts over, so a long session's memory stays bounded. */
const VOCABULARY_MAX = 1_000_000;
function vocabulary(): Vocabulary {
  if (shared === null || shared.size > VOCABULARY_MAX) shared = new Vocabulary();
  return shared;
}

/** The raw feature counts of a paper, by name (keywords, authors and categories count once). */
export function rawFeatures(doc: RankDoc): Map<FeatureName, number> {
  const run = new RunIds(vocabulary());
  const counts = new Map<FeatureName, number>();
  const { ids, counts: times } = featureIds(doc, run);
  ids.forEach((id, i) => {
    const name = run.name(id);
    counts.set(name, name.startsWith('w:') ? times[i]! : 1);
  });
  return counts;
}

/** A sparse vector: feature indices and their values, in the same order. */
export interface SparseVector {
  index: Int32Array;
  value: Float64Array;
}

/**
 * The version of the feature extraction above, stored with each cached paper's features
 * (store/rank-cache.ts): raise it whenever a paper's features change for the same text
 * (tokens, stemming, stop words, pairs, keyword handling), so no stale features are read.
 */
export const FEATURES_VERSION = 1;

/**
 * Papers' features kept between processes, so a ranking reads them instead of tokenizing the
 * same abstracts again. A key is a number the cache gives a feature name, times 4, plus the
 * name's group (its index in GROUPS).
 */
export interface FeatureCache {
  /** The stored features of those of `ids` that have them: (key, count) pairs in order of first occurrence. */
  read(ids: string[]): Map<string, Int32Array>;
  /** Store papers' features given by name; the (key, count) pairs by paper id, or null if nothing could be stored. */
  write(papers: Array<{ id: string; names: FeatureName[]; counts: Int32Array }>): Map<string, Int32Array> | null;
  /** The names of keys this cache gave, in the order asked. */
  names(keys: number[]): FeatureName[];
}

/**
 * Papers' features as keys: from the feature cache (keys the database gave, the same in every
 * process) or tokenized in this process (keys of this featurizer only).
 */
export interface Featurizer {
  /** The features of `docs`, in order; null when the cache could not store those it lacked (use a memory featurizer then). */
  features(docs: RankDoc[]): FlatFeatures | null;
  /** A key's group: its index in GROUPS. */
  group(key: number): number;
  /** The names of keys, in the order asked. */
  names(keys: number[]): FeatureName[];
  /** Keys are the database's: a model over them can be kept between processes. */
  lasting: boolean;
}

/** Features through `cache`: papers it has are not tokenized again, those it lacks are stored. */
export function cachedFeaturizer(cache: FeatureCache): Featurizer {
  return {
    features: (docs) => {
      const pairs = cachedFeatures(docs, cache);
      return pairs && flatten(pairs);
    },
    group: (key) => key & 3,
    names: (keys) => cache.names(keys),
    lasting: true,
  };
}

/** Features tokenized in memory; one featurizer numbers a feature the same in every call. */
export function memoryFeaturizer(): Featurizer {
  const run = new RunIds(vocabulary());
  return {
    features: (docs) =>
      flatten(
        docs.map((d) => {
          const { ids, counts } = featureIds(d, run);
          return interleave(ids, counts);
        }),
      ),
    group: (id) => run.vocab.group(run.global(id)),
    names: (ids) => ids.map((id) => run.name(id)),
    lasting: false,
  };
}

/**
 * Papers' features end to end: paper `d` has keys[offsets[d] .. offsets[d + 1]), each with its
 * count, in order of first occurrence. Flat arrays, as a ranking's papers hold ~200k features
 * and each loop over them runs once per process, mostly before the JIT has optimized it.
 */
export interface FlatFeatures {
  keys: Int32Array;
  counts: Int32Array;
  offsets: Int32Array;
}

/** (key, count) pairs from keys and counts. */
function interleave(keys: Int32Array, counts: Int32Array): Int32Array {
  const pairs = new Int32Array(2 * keys.length);
  for (let i = 0; i < keys.length; i++) {
    pairs[2 * i] = keys[i]!;
    pairs[2 * i + 1] = counts[i]!;
  }
  return pairs;
}

/** Every paper's (key, count) pairs through `cache`, tokenizing and storing only those it lacks; null if they could not be stored. */
function cachedFeatures(docs: RankDoc[], cache: FeatureCache): Int32Array[] | null {
  const stored = cache.read(docs.map((d) => d.id));
  const missing = new Map<string, RankDoc>();
  for (const d of docs) if (!stored.has(d.id)) missing.set(d.id, d);
  if (missing.size > 0) {
    const run = new RunIds(vocabulary());
    const named = [...missing.values()].map((d) => {
      const { ids, counts } = featureIds(d, run);
      return { id: d.id, names: Array.from(ids, (id) => run.name(id)), counts };
    });
    const written = cache.write(named);
    if (written === null) return null;
    for (const [id, pairs] of written) stored.set(id, pairs);
  }
  return docs.map((d) => stored.get(d.id)!);
}

/** Papers' (key, count) pairs as flat arrays. */
function flatten(papers: Int32Array[]): FlatFeatures {
  const offsets = new Int32Array(papers.length + 1);
  for (let d = 0; d < papers.length; d++) offsets[d + 1] = offsets[d]! + (papers[d]!.length >> 1);
  const total = offsets[papers.length]!;
  const keys = new Int32Array(total);
  const counts = new Int32Array(total);
  for (let d = 0; d < papers.length; d++) {
    const pairs = papers[d]!;
    for (let i = 0, at = offsets[d]!; i < pairs.length; i += 2, at++) {
      keys[at] = pairs[i]!;
      counts[at] = pairs[i + 1]!;
    }
  }
  return { keys, counts, offsets };
}

/** Papers [from, to) of `flat`, as flat features of their own (views, not copies). */
export function papersBetween(flat: FlatFeatures, from: number, to: number): FlatFeatures {
  const base = flat.offsets[from]!;
  const end = flat.offsets[to]!;
  return { keys: flat.keys.subarray(base, end), counts: flat.counts.subarray(base, end), offsets: flat.offsets.slice(from, to + 1).map((o) => o - base) };
}

/**
 * The tf-idf of a training set: its features (by key) numbered by first occurrence over the
 * papers in order, so the same papers number them the same however they were read, and each
 * one's idf. Learned weights are indexed the same way (model.ts).
 */
export interface Weighting {
  keys: Int32Array;
  idf: Float64Array;
}

/**
 * The feature number of each of `keys` (a paper's entries end to end), counting from
 * `numbered` (keys already numbered, in order); keys not yet numbered get the next numbers
 * if `add`, else -1. A dense table where keys are small (the usual), a Map past that.
 */
function numberKeys(keys: Int32Array, numbered: Int32Array, add: boolean): { js: Int32Array; order: Int32Array } {
  let maxKey = -1;
  for (let i = 0; i < keys.length; i++) if (keys[i]! > maxKey) maxKey = keys[i]!;
  for (let j = 0; j < numbered.length; j++) if (numbered[j]! > maxKey) maxKey = numbered[j]!;
  const order: number[] = add ? Array.from(numbered) : [];
  const js = new Int32Array(keys.length);
  if (maxKey < DENSE_KEYS) {
    const featureOf = new Int32Array(maxKey + 1).fill(-1);
    for (let j = 0; j < numbered.length; j++) featureOf[numbered[j]!] = j;
    for (let i = 0; i < keys.length; i++) {
      let j = featureOf[keys[i]!]!;
      if (j < 0 && add) {
        j = featureOf[keys[i]!] = order.length;
        order.push(keys[i]!);
      }
      js[i] = j;
    }
  } else {
    const featureOf = new Map<number, number>();
    numbered.forEach((key, j) => featureOf.set(key, j));
    for (let i = 0; i < keys.length; i++) {
      let j = featureOf.get(keys[i]!) ?? -1;
      if (j < 0 && add) {
        featureOf.set(keys[i]!, (j = order.length));
        order.push(keys[i]!);
      }
      js[i] = j;
    }
  }
  return { js, order: add ? Int32Array.from(order) : numbered };
}
/** Past this key, a table of keys would take more memory (16 MB) than a Map of the few thousand a ranking holds. */
const DENSE_KEYS = 1 << 22;

/**
 * How many training papers must have a feature for it to be learned (with enough positives):
 * fewer, and the model memorizes papers rather than topics (on the bench's tuning months
 * precision@10 peaks at 6 papers).
 */
export const MIN_PAPERS = 6;

/**
 * The weighting of a training set whose first `positives` papers are the positives and the
 * rest the negatives, and its papers' vectors. A feature is learned when at least
 * MIN_PAPERS of them have it — or, with fewer positives than that, as many papers as there
 * are positives (two at least), so that a first few stars still teach their topic. The idf
 * is counted over the negatives (dismissed and sampled papers), which stand for the field at
 * large: counted over the stars too, a reader's own topic would look common and weigh less.
 */
export function weighTraining(flat: FlatFeatures, group: (key: number) => number, positives = 0): { weighting: Weighting; vectors: SparseVector[] } {
  const papers = flat.offsets.length - 1;
  const least = Math.max(2, Math.min(MIN_PAPERS, positives));
  const numbered = numberKeys(flat.keys, new Int32Array(0), true);
  // A paper holds each of its features once, so a feature's papers are its entries.
  const inPapers = new Int32Array(numbered.order.length);
  for (let i = 0; i < numbered.js.length; i++) inPapers[numbered.js[i]!]++;
  const kept = new Int32Array(numbered.order.length).fill(-1);
  const keys: number[] = [];
  for (let j = 0; j < numbered.order.length; j++) {
    if (inPapers[j]! < least) continue;
    kept[j] = keys.length;
    keys.push(numbered.order[j]!);
  }
  const js = numbered.js.map((j) => kept[j]!);
  const df = new Int32Array(keys.length);
  for (let i = flat.offsets[positives]!; i < js.length; i++) if (js[i]! >= 0) df[js[i]!]++;
  const n = papers - positives;
  const idf = new Float64Array(keys.length);
  const groups = new Uint8Array(keys.length);
  for (let j = 0; j < keys.length; j++) {
    idf[j] = Math.log((1 + n) / (1 + df[j]!)) + 1;
    groups[j] = group(keys[j]!);
  }
  const vectors = new Array<SparseVector>(papers);
  const paper = paperVector(flat, js, (i) => groups[js[i]!]!);
  const idfOf = (j: number) => idf[j]!;
  for (let d = 0; d < papers; d++) vectors[d] = paper(d, idfOf);
  return { weighting: { keys: Int32Array.from(keys), idf }, vectors };
}

/** Papers to be scored by a model trained under a weighting. */
export interface Candidates {
  /** Paper d's vector · `weights`, worked out without building the vector. */
  dot(weights: Float64Array, d: number): number;
  /** Paper d's vector, for `why`. */
  vector(d: number): SparseVector;
}

/**
 * Papers to be scored by a model trained under `weighting`. A feature the training set lacks
 * has no weight and is left out of the paper's length, as a training paper's rare features are.
 */
export function weighCandidates(weighting: Weighting, flat: FlatFeatures, group: (key: number) => number): Candidates {
  const { keys, counts, offsets } = flat;
  const { js } = numberKeys(keys, weighting.keys, false);
  const { idf } = weighting;
  const norms = new Float64Array(GROUPS.length);
  const sums = new Float64Array(GROUPS.length);
  const paper = paperVector(flat, js, (i) => group(keys[i]!));
  const idfOf = (j: number) => idf[j]!;
  return {
    // Per group: the dot product of the unscaled values, then scaled as vector() scales them.
    dot(weights, d) {
      norms.fill(0);
      sums.fill(0);
      for (let i = offsets[d]!; i < offsets[d + 1]!; i++) {
        const j = js[i]!;
        if (j < 0) continue;
        const g = group(keys[i]!);
        const v = (g === 0 ? 1 + Math.log(counts[i]!) : 1) * idf[j]!;
        norms[g] += v * v;
        sums[g] += weights[j]! * v;
      }
      let z = 0;
      for (let g = 0; g < norms.length; g++) if (norms[g]! > 0) z += (sums[g]! * GROUP_WEIGHTS[g]!) / Math.sqrt(norms[g]!);
      return z;
    },
    vector: (d) => paper(d, idfOf),
  };
}

/**
 * Paper d's vector over the features js[i] of its entries (-1: none) with their idf: words
 * weigh 1 + log(count) (keywords, authors and categories are there or not), and each group
 * is scaled to its weight.
 */
function paperVector({ counts, offsets }: FlatFeatures, js: Int32Array, groupAt: (i: number) => number): (d: number, idf: (j: number) => number) => SparseVector {
  const norms = new Float64Array(GROUPS.length);
  return (d, idf) => {
    const from = offsets[d]!;
    const to = offsets[d + 1]!;
    const index = new Int32Array(to - from);
    const value = new Float64Array(to - from);
    const groupOf = new Uint8Array(to - from);
    let m = 0;
    norms.fill(0);
    for (let i = from; i < to; i++) {
      const j = js[i]!;
      if (j < 0) continue;
      const g = groupAt(i);
      const v = (g === 0 ? 1 + Math.log(counts[i]!) : 1) * idf(j);
      norms[g] += v * v;
      index[m] = j;
      groupOf[m] = g;
      value[m++] = v;
    }
    for (let g = 0; g < norms.length; g++) norms[g] = norms[g]! > 0 ? GROUP_WEIGHTS[g]! / Math.sqrt(norms[g]!) : 0;
    for (let k = 0; k < m; k++) value[k] = value[k]! * norms[groupOf[k]!]!;
    // Arrays of its own, not views of shared ones: V8 runs training over small arrays far
    // faster than over views into large ones (~2.4× the instructions, measured).
    return m === to - from ? { index, value } : { index: index.slice(0, m), value: value.slice(0, m) };
  };
}

/** Names of a weighting's features, read only when asked for: `why` names a few features of the papers shown. */
export function featureNames(weighting: Weighting, featurizer: Featurizer): { name(feature: number): FeatureName; prefetch(features: Iterable<number>): void } {
  const names = new Map<number, FeatureName>();
  const prefetch = (features: Iterable<number>) => {
    const wanted = [...features].filter((j) => !names.has(j));
    if (wanted.length === 0) return;
    featurizer.names(wanted.map((j) => weighting.keys[j]!)).forEach((name, i) => names.set(wanted[i]!, name));
  };
  const name = (j: number): FeatureName => {
    if (!names.has(j)) prefetch([j]);
    return names.get(j)!;
  };
  return { name, prefetch };
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
