#!/usr/bin/env node
/**
 * Deterministic corpus generator for the benchmark.
 *
 *   node bench/gen.mjs 100000              # → bench/out/corpus-100000/
 *   node bench/gen.mjs 1000000 --chunk 50000 --seed 42
 *
 * Writes, for N papers:
 *   papers-000.jsonl …  our JSONL (the output of `papers list --jsonl`), split into files of
 *                       --chunk papers because `papers import` reads a file whole (256 MB cap)
 *   arxiv.jsonl         the same papers in arXiv-metadata JSONL (the Kaggle snapshot's format)
 *   meta.json           counts and byte sizes (raw text, JSONL) the runner reports against
 * and bench/out/terms.json: the query terms for the search figures, chosen by document
 * frequency (rare, common, two terms, phrase, prefix).
 *
 * Why this shape: text comes from a word-bigram model trained on the real HF Daily Papers
 * abstracts in /work/shared/corpora/hf-daily, so word frequencies are the real, Zipf-like ones
 * (common and rare terms, real collocations), which is what FTS5 index size and query cost
 * depend on. Everything is driven by one seeded PRNG: the same seed gives byte-identical
 * files; the papers of a smaller corpus are the first papers of a larger one (same texts and
 * authors, in order), only their dates are spread over the same years.
 */
import { readdirSync, readFileSync, mkdirSync, openSync, writeSync, closeSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
// BENCH_OUT puts corpora and databases elsewhere (another disk, /tmp).
export const OUT = process.env.BENCH_OUT ?? join(HERE, 'out');
const HF_DIR = process.env.BENCH_HF_DIR ?? '/work/shared/corpora/hf-daily';

// ---------------------------------------------------------------------------------------
// PRNG: mulberry32, a 32-bit generator that is small, fast and good enough for test data.

export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index into a cumulative-weights array (binary search): weighted sampling. */
function pick(cum, r) {
  const x = r * cum[cum.length - 1];
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------
// The language model: unigram and bigram counts over the real abstracts and titles.

// Words (letters/digits, inner hyphens and apostrophes kept: "state-of-the-art") and the
// punctuation that shapes sentences. Everything else is dropped.
const TOKEN = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*|[.,;:()]/gu;
const NO_SPACE_BEFORE = new Set(['.', ',', ';', ':', ')']);

function readRealPapers() {
  const files = readdirSync(HF_DIR).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no HF daily files in ${HF_DIR}`);
  const papers = [];
  for (const f of files) {
    for (const item of JSON.parse(readFileSync(join(HF_DIR, f), 'utf8'))) {
      const p = item.paper ?? {};
      papers.push({
        title: String(p.title ?? '').replace(/\s+/g, ' ').trim(),
        abstract: String(p.summary ?? '').replace(/\s+/g, ' ').trim(),
        authors: (p.authors ?? []).map((a) => String(a.name ?? '').trim()).filter(Boolean),
        keywords: Array.isArray(p.ai_keywords) ? p.ai_keywords.filter((k) => typeof k === 'string') : [],
      });
    }
  }
  return papers;
}

/** A bigram model: ids for tokens, unigram weights, and for each token its successors. */
function buildModel(real) {
  const ids = new Map();
  const words = [];
  const uni = [];
  const big = new Map(); // id → Map(nextId → count)
  const idOf = (w) => {
    let id = ids.get(w);
    if (id === undefined) {
      id = words.length;
      ids.set(w, id);
      words.push(w);
      uni.push(0);
    }
    return id;
  };
  const feed = (text) => {
    let prev = -1;
    for (const m of text.matchAll(TOKEN)) {
      const id = idOf(m[0]);
      uni[id]++;
      if (prev >= 0) {
        let next = big.get(prev);
        if (!next) big.set(prev, (next = new Map()));
        next.set(id, (next.get(id) ?? 0) + 1);
      }
      prev = id;
    }
  };
  for (const p of real) feed(p.abstract);
  // Titles feed a separate unigram list (title words are sampled as starts) but share bigrams.
  const titleStarts = new Map();
  for (const p of real) {
    feed(p.title);
    const first = p.title.match(TOKEN)?.[0];
    if (first) titleStarts.set(idOf(first), (titleStarts.get(idOf(first)) ?? 0) + 1);
  }
  // Sentence starts: tokens that follow a full stop.
  const dot = ids.get('.');
  const starts = big.get(dot) ?? new Map();

  const cumOf = (entries) => {
    const list = [...entries].sort((a, b) => a[0] - b[0]); // sorted by id: deterministic order
    const cum = new Float64Array(list.length);
    let s = 0;
    list.forEach(([, c], i) => (cum[i] = s += c));
    return { ids: Int32Array.from(list.map(([id]) => id)), cum };
  };
  const succ = new Array(words.length);
  for (const [id, next] of big) succ[id] = cumOf(next);
  const isWord = (w) => /^[\p{L}\p{N}]/u.test(w);
  return {
    words,
    succ,
    all: cumOf(uni.map((c, i) => [i, c])),
    wordsOnly: cumOf(uni.map((c, i) => [i, isWord(words[i]) ? c : 0])),
    sentenceStarts: cumOf(starts),
    titleStarts: cumOf(titleStarts),
    // Model and method names (two or more capitals: "ConvLLaVA", "LLMs") for "Name: …" titles.
    names: cumOf(uni.map((c, i) => [i, /^[A-Z][A-Za-z0-9-]*[A-Z]/.test(words[i]) && words[i].length >= 4 ? c : 0])),
  };
}

// ---------------------------------------------------------------------------------------
// Text from the model.

/** Tokens until the rendered length reaches `target` characters, ending on a full stop. */
function sentences(model, rnd, target) {
  const { words, succ } = model;
  const out = [];
  let len = 0;
  let id = model.sentenceStarts.ids[pick(model.sentenceStarts.cum, rnd())];
  for (;;) {
    const w = words[id];
    out.push(w);
    len += w.length + 1;
    if (w === '.') {
      if (len >= target) break;
      id = model.sentenceStarts.ids[pick(model.sentenceStarts.cum, rnd())];
      continue;
    }
    const next = succ[id];
    // Mostly follow real collocations; sometimes jump to any word by its real frequency,
    // which keeps the unigram distribution (and the rare words) in play.
    if (next && rnd() < 0.85) id = next.ids[pick(next.cum, rnd())];
    else id = model.all.ids[pick(model.all.cum, rnd())];
    // Far past the target without a full stop (a long chain): close the sentence.
    if (len > target + 200) {
      out.push('.');
      break;
    }
  }
  return render(out);
}

/** Join tokens with spaces, as written: no space before , . ) and none after (. */
function render(tokens) {
  let s = '';
  let capNext = true;
  for (const t of tokens) {
    if (s !== '' && !NO_SPACE_BEFORE.has(t) && !s.endsWith('(')) s += ' ';
    s += capNext && /^[a-z]/.test(t) ? t[0].toUpperCase() + t.slice(1) : t;
    capNext = t === '.';
  }
  return s;
}

const SMALL = new Set(['a', 'an', 'the', 'of', 'for', 'and', 'in', 'on', 'to', 'with', 'via', 'by', 'from', 'at', 'as', 'or']);

/** A title of 80–150 characters, Title Cased, sometimes "Name: …". */
function title(model, rnd) {
  const { words, succ } = model;
  const target = 80 + Math.floor(rnd() * 70);
  const parts = [];
  let len = 0;
  if (rnd() < 0.4) {
    const name = words[model.names.ids[pick(model.names.cum, rnd())]];
    parts.push(name + ':');
    len += name.length + 2;
  }
  let id = model.titleStarts.ids[pick(model.titleStarts.cum, rnd())];
  while (len < target) {
    const w = words[id];
    if (/^[\p{L}\p{N}]/u.test(w)) {
      const titled = parts.length > 0 && SMALL.has(w.toLowerCase()) ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1);
      parts.push(titled);
      len += w.length + 1;
    }
    const next = succ[id];
    id = next && rnd() < 0.85 ? next.ids[pick(next.cum, rnd())] : model.wordsOnly.ids[pick(model.wordsOnly.cum, rnd())];
  }
  let t = parts.join(' ');
  if (t.length > 150) t = t.slice(0, 150).replace(/\s+\S*$/, '');
  return t;
}

// ---------------------------------------------------------------------------------------
// Papers.

const CATEGORIES = [
  ['cs.LG', 30], ['cs.CV', 25], ['cs.CL', 25], ['cs.AI', 15], ['stat.ML', 6], ['cs.RO', 5], ['cs.IR', 3],
  ['cs.SD', 2], ['eess.IV', 2], ['cs.HC', 2], ['cs.CR', 2], ['math.OC', 1], ['q-bio.QM', 1],
];
const CAT_CUM = Float64Array.from(CATEGORIES.reduce((acc, [, w]) => [...acc, (acc.at(-1) ?? 0) + w], []));

const DAY_MS = 86_400_000;
const START = Date.UTC(2019, 0, 1);
const END = Date.UTC(2025, 11, 31);

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
/** The announcement day: the next weekday after the publication time. */
function listingDay(ms) {
  let d = Math.floor(ms / DAY_MS) * DAY_MS + DAY_MS;
  while ([0, 6].includes(new Date(d).getUTCDay())) d += DAY_MS;
  return isoDay(d);
}

/**
 * Number of authors: 2–40, most papers 3–9 (as on HF, median 7), a tail of large teams.
 */
function authorCount(rnd) {
  if (rnd() < 0.03) return 20 + Math.floor(rnd() * 21);
  return Math.min(40, 2 + Math.floor(-Math.log(1 - rnd()) * 5));
}

/** Generate papers one by one; `onPaper(p, i)` receives each. Deterministic for a seed. */
export function generate({ n, seed, model, firstNames, lastNames, onPaper }) {
  const rnd = mulberry32(seed);
  const span = END - START;
  const perMonth = new Map();
  let day = '';
  let rank = 0;
  for (let i = 0; i < n; i++) {
    // Publication times increase with i, spread evenly over the years, with jitter.
    const published = START + Math.floor(((i + rnd()) / n) * span);
    const ym = new Date(published).toISOString().slice(2, 7).replace('-', '');
    const seq = (perMonth.get(ym) ?? 0) + 1;
    perMonth.set(ym, seq);
    const id = `${ym}.${String(seq).padStart(5, '0')}`;
    const listedOn = listingDay(published);
    rank = listedOn === day ? rank + 1 : 1;
    day = listedOn;
    const authors = [];
    for (let k = authorCount(rnd); k > 0; k--) {
      authors.push(`${firstNames[Math.floor(rnd() * firstNames.length)]} ${lastNames[Math.floor(rnd() * lastNames.length)]}`);
    }
    // Abstract length: triangular over 1,000–1,900 characters (real HF mean ~1,380).
    const target = 1000 + Math.floor(((rnd() + rnd()) / 2) * 850);
    const abstract = sentences(model, rnd, target);
    const t = title(model, rnd);
    const keywords = [];
    // Half the papers carry AI keywords (as HF's 2025 items do): content words, not "of".
    if (rnd() < 0.5) {
      for (let k = 3 + Math.floor(rnd() * 6); k > 0; k--) {
        const w = model.words[model.wordsOnly.ids[pick(model.wordsOnly.cum, rnd())]].toLowerCase();
        if (w.length >= 5 && !keywords.includes(w)) keywords.push(w);
      }
    }
    const upvotes = Math.floor(Math.exp(rnd() * 5)) - 1;
    const cats = [CATEGORIES[pick(CAT_CUM, rnd())][0]];
    if (rnd() < 0.5) {
      const c = CATEGORIES[pick(CAT_CUM, rnd())][0];
      if (c !== cats[0]) cats.push(c);
    }
    const version = 1 + (rnd() < 0.3 ? 1 : 0) + (rnd() < 0.1 ? 1 : 0);
    const github = rnd() < 0.3 ? `https://github.com/${lastNames[Math.floor(rnd() * lastNames.length)].toLowerCase().replace(/[^a-z]/g, '') || 'lab'}/${id.replace('.', '-')}` : null;
    onPaper(
      {
        id, title: t, authors, abstract, keywords, categories: cats, version, github, upvotes,
        publishedAt: new Date(published).toISOString().replace(/\.\d{3}Z$/, '.000Z'),
        listedOn, rank,
        comments: rnd() < 0.2 ? `${5 + Math.floor(rnd() * 30)} pages, ${1 + Math.floor(rnd() * 12)} figures` : null,
      },
      i,
    );
  }
}

/** A paper as one line of our JSONL: the fields and order of src/render/json.ts paperJson. */
function ourJsonl(p) {
  return JSON.stringify({
    id: p.id,
    title: p.title,
    authors: p.authors,
    abstract: p.abstract,
    publishedAt: p.publishedAt,
    listedOn: p.listedOn,
    source: 'hf',
    rank: p.rank,
    upvotes: p.upvotes,
    comments: null,
    githubRepo: p.github,
    githubStars: p.github ? p.upvotes * 3 : null,
    projectPage: null,
    aiSummary: null,
    keywords: p.keywords,
    organization: null,
    categories: p.categories,
    primaryCategory: p.categories[0],
    doi: null,
    journalRef: null,
    arxivComments: p.comments,
    version: p.version,
    updatedAt: null,
    urls: { hf: `https://huggingface.co/papers/${p.id}`, arxiv: `https://arxiv.org/abs/${p.id}`, pdf: `https://arxiv.org/pdf/${p.id}` },
  });
}

/** Hard-wrap at ~80 columns as the arXiv metadata does ("\n" inside titles and abstracts). */
function hardWrap(text, width = 80) {
  const lines = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

/** A paper as one line of the arXiv metadata snapshot (fields as in metadata-first5.jsonl). */
function arxivJsonl(p) {
  const created = new Date(p.publishedAt);
  const versions = [];
  for (let v = 1; v <= p.version; v++) {
    versions.push({ version: `v${v}`, created: new Date(created.getTime() + (v - 1) * 20 * DAY_MS).toUTCString() });
  }
  return JSON.stringify({
    id: p.id,
    submitter: p.authors[0],
    authors: p.authors.length > 1 ? `${p.authors.slice(0, -1).join(', ')} and ${p.authors.at(-1)}` : p.authors[0],
    title: hardWrap(p.title, 78).join('\n  '),
    comments: p.comments,
    'journal-ref': null,
    doi: null,
    'report-no': null,
    categories: p.categories.join(' '),
    license: 'http://creativecommons.org/licenses/by/4.0/',
    abstract: '  ' + hardWrap(p.abstract).join('\n') + '\n',
    versions,
    update_date: isoDay(created.getTime() + (p.version - 1) * 20 * DAY_MS),
    authors_parsed: p.authors.map((a) => {
      const sp = a.lastIndexOf(' ');
      return sp < 0 ? [a, '', ''] : [a.slice(sp + 1), a.slice(0, sp), ''];
    }),
  });
}

/** Buffered writes to a file descriptor (writeSync in ~1 MB pieces: simple and fast). */
class Out {
  constructor(path) {
    this.path = path;
    this.fd = openSync(path, 'w');
    this.buf = [];
    this.size = 0;
    this.bytes = 0;
  }
  line(s) {
    this.buf.push(s, '\n');
    this.size += s.length + 1;
    if (this.size > 1 << 20) this.flush();
  }
  flush() {
    const b = Buffer.from(this.buf.join(''), 'utf8');
    writeSync(this.fd, b);
    this.bytes += b.length;
    this.buf = [];
    this.size = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
    return this.bytes;
  }
}

// ---------------------------------------------------------------------------------------
// Query terms, chosen by document frequency in a fixed sample of generated papers.

/** Lowercased words of a text (a rough match for what FTS5's tokenizer sees). */
const wordsOf = (text) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function chooseTerms(model, firstNames, lastNames) {
  const n = 20_000;
  const df = new Map();
  const bigramDf = new Map();
  generate({
    n, seed: 7, model, firstNames, lastNames,
    onPaper(p) {
      const ws = wordsOf(`${p.title} ${p.abstract}`);
      for (const w of new Set(ws)) df.set(w, (df.get(w) ?? 0) + 1);
      const pairs = new Set();
      for (let k = 1; k < ws.length; k++) pairs.add(`${ws[k - 1]} ${ws[k]}`);
      for (const b of pairs) bigramDf.set(b, (bigramDf.get(b) ?? 0) + 1);
    },
  });
  const frac = (w) => (df.get(w) ?? 0) / n;
  const plain = [...df.keys()].filter((w) => /^[a-z]{5,}$/.test(w)).sort();
  // Rare: in 0.01–0.1% of papers. Prefer words that porter leaves alone-ish (no -s/-ed/-ing
  // endings) and with no other vocabulary word sharing their first 6 letters, so the FTS
  // match count stays close to this df. The runner reports the real match count anyway.
  const prefixCount = new Map();
  for (const w of plain) prefixCount.set(w.slice(0, 6), (prefixCount.get(w.slice(0, 6)) ?? 0) + 1);
  const rare = plain.filter((w) => {
    const f = frac(w);
    return f >= 0.0003 && f <= 0.0007 && w.length >= 7 && !/(s|ed|ing|ly)$/.test(w) && prefixCount.get(w.slice(0, 6)) === 1;
  });
  // Common: in more than 30% of papers, not a stop word (FTS5 has no stop list: "the" would
  // be in every paper, which is its own figure: `common`).
  const STOP = new Set(['which', 'their', 'these', 'while', 'where', 'about', 'there', 'other', 'through', 'using', 'based']);
  const common = plain.filter((w) => frac(w) > 0.3 && !STOP.has(w)).sort((a, b) => frac(a) - frac(b));
  // Two terms: two mid-frequency words (each in 2–8% of papers), ANDed.
  const mid = plain.filter((w) => frac(w) >= 0.02 && frac(w) <= 0.08 && !/(s|ed|ing)$/.test(w));
  // Phrase: a frequent two-word collocation (each in 1–5% of papers as a phrase).
  const phrases = [...bigramDf.entries()]
    .filter(([b, c]) => c / n >= 0.01 && c / n <= 0.05 && /^[a-z]{4,} [a-z]{4,}$/.test(b))
    .map(([b]) => b)
    .sort();
  // Prefix: a 6-letter stem that is not itself a word and is shared by at least four words
  // ("transf*" → transformer, transfer, transform, …), together in 5–20% of papers.
  const stems = new Map();
  for (const w of plain) {
    const s = w.slice(0, 6);
    const e = stems.get(s) ?? { df: 0, words: 0 };
    e.df += df.get(w) ?? 0;
    e.words++;
    stems.set(s, e);
  }
  const prefixes = [...stems.entries()]
    .filter(([s, e]) => e.words >= 4 && !df.has(s) && e.df / n >= 0.05 && e.df / n <= 0.2)
    .map(([s]) => s)
    .sort();
  const choose = (list, what) => {
    if (list.length === 0) throw new Error(`no ${what} term found in the vocabulary`);
    return list[Math.floor(list.length / 2)]; // the middle one: stable and unremarkable
  };
  const two = [choose(mid, 'mid'), mid[Math.floor(mid.length / 3)]];
  const terms = {
    rare: choose(rare, 'rare'),
    common: common[0] ?? choose(common, 'common'),
    two: `${two[0]} ${two[1]}`,
    phrase: `"${choose(phrases, 'phrase')}"`,
    prefix: `${choose(prefixes, 'prefix')}*`,
  };
  const sampleDf = {
    rare: frac(terms.rare),
    common: frac(terms.common),
    two: [frac(two[0]), frac(two[1])],
    phrase: (bigramDf.get(terms.phrase.slice(1, -1)) ?? 0) / n,
  };
  return { terms, sampleDf, sample: n };
}

// ---------------------------------------------------------------------------------------

/** Names split from the real author list: random first + last makes plausible people. */
function namePools(real) {
  const first = new Set();
  const last = new Set();
  for (const p of real) {
    for (const a of p.authors) {
      const parts = a.split(/\s+/);
      if (parts.length < 2) continue;
      first.add(parts[0]);
      last.add(parts.at(-1));
    }
  }
  return { firstNames: [...first].sort(), lastNames: [...last].sort() };
}

export function loadModel() {
  const real = readRealPapers();
  const model = buildModel(real);
  return { real, model, ...namePools(real) };
}

/** Generate the corpus of `n` papers into bench/out/corpus-<n>/ (skipped if already complete). */
export function generateCorpus(n, { seed = 42, chunk = 50_000, force = false, log = console.error } = {}) {
  const dir = join(OUT, `corpus-${n}`);
  const metaPath = join(dir, 'meta.json');
  if (!force && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    if (meta.n === n && meta.seed === seed && meta.chunk === chunk) return meta;
  }
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const { model, firstNames, lastNames } = loadModel();
  const files = [];
  let ours = null;
  const arxiv = new Out(join(dir, 'arxiv.jsonl'));
  let jsonlBytes = 0;
  let textBytes = 0;
  generate({
    n, seed, model, firstNames, lastNames,
    onPaper(p, i) {
      if (i % chunk === 0) {
        if (ours) jsonlBytes += ours.close();
        const name = `papers-${String(files.length).padStart(3, '0')}.jsonl`;
        files.push(name);
        ours = new Out(join(dir, name));
      }
      ours.line(ourJsonl(p));
      arxiv.line(arxivJsonl(p));
      // Raw text: what a person would call the paper's text (title, abstract, authors, keywords).
      textBytes += Buffer.byteLength(p.title) + Buffer.byteLength(p.abstract) + Buffer.byteLength(p.authors.join('\n')) + Buffer.byteLength(p.keywords.join('\n'));
      if ((i + 1) % 100_000 === 0) log(`gen: ${i + 1} of ${n} papers (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    },
  });
  if (ours) jsonlBytes += ours.close();
  const arxivBytes = arxiv.close();
  const meta = { n, seed, chunk, files, jsonlBytes, arxivBytes, textBytes, seconds: (Date.now() - t0) / 1000 };
  writeFileSync(metaPath, JSON.stringify(meta, null, 2) + '\n');
  return meta;
}

/** Choose (once) and return the query terms: bench/out/terms.json. */
export function queryTerms({ force = false } = {}) {
  const path = join(OUT, 'terms.json');
  if (!force && existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'));
  mkdirSync(OUT, { recursive: true });
  const { model, firstNames, lastNames } = loadModel();
  const t = chooseTerms(model, firstNames, lastNames);
  writeFileSync(path, JSON.stringify(t, null, 2) + '\n');
  return t;
}

// Command line: node bench/gen.mjs N [--seed S] [--chunk C] [--force]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : def;
  };
  const sizes = args.filter((a, i) => /^\d+$/.test(a) && !['--seed', '--chunk'].includes(args[i - 1])).map(Number);
  if (sizes.length === 0) {
    sizes.push(10_000, 100_000);
    if (process.env.BENCH_1M === '1') sizes.push(1_000_000);
  }
  const force = args.includes('--force');
  console.log(JSON.stringify(queryTerms({ force }), null, 2));
  for (const n of sizes) {
    const meta = generateCorpus(n, { seed: opt('--seed', 42), chunk: opt('--chunk', 50_000), force });
    console.log(`corpus-${n}: ${meta.files.length} JSONL files, ${(meta.jsonlBytes / 2 ** 20).toFixed(1)} MB JSONL, ${(meta.arxivBytes / 2 ** 20).toFixed(1)} MB arXiv JSONL, ${(meta.textBytes / 2 ** 20).toFixed(1)} MB raw text, ${meta.seconds.toFixed(1)} s`);
  }
}
