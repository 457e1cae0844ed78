/**
 * A small, deterministic generator of papers in our JSONL (`papers list --jsonl`, README
 * "JSON output"), for the reliability suite: imports large enough to kill part-way, and
 * overlapping slices for concurrent importers.
 *
 * - Paper `i` depends only on (seed, i): a slice [start, start + count) of one corpus is
 *   byte-identical whatever else is generated, so overlapping slices carry identical records
 *   and a smaller corpus is a prefix of a larger one.
 * - Lengths are realistic (NOTES.md: abstracts ~1,270 chars): titles 50–150 chars, abstracts
 *   650–1,800, 2–14 authors (some with diacritics), keywords, AI summaries on most papers,
 *   GitHub repos on some. Words follow a Zipf law over a fixed vocabulary plus generated
 *   rare words, so the FTS index has common and rare terms like the real one.
 * - Text is already in the form the store keeps (single spaces, no line breaks inside a
 *   paragraph), so what is read back from the database can be compared exactly.
 * - `variant` changes the data of the same papers (upvotes, comments, stars and the
 *   abstract's last sentence): re-importing a variant is an update of every paper.
 *
 * Self-contained: no fixture files or shared corpora, so it runs the same on CI.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { registerFunctions } from '../../src/store/db.js';
import { backlog, buildBacklog } from '../../src/store/fts-backlog.js';
import { seeded } from '../../src/rank/random.js';

/** The JSONL object of one paper, fields in README "JSON output" order. */
export interface CorpusPaper {
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  publishedAt: string;
  listedOn: string;
  source: string;
  rank: number;
  upvotes: number;
  comments: number;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  aiSummary: string | null;
  keywords: string[];
  organization: string | null;
  categories: string[];
  primaryCategory: string;
  doi: string | null;
  journalRef: string | null;
  arxivComments: string | null;
  version: number;
  updatedAt: string;
  urls: { hf: string; arxiv: string; pdf: string };
}

export interface CorpusOptions {
  /** Seed of the corpus (default 1). */
  seed?: number;
  /** 0 = the original data; another number = the same papers with changed values. */
  variant?: number;
}

/** Papers listed per day; `listedOn` and `rank` follow from the index. */
export const PAPERS_PER_DAY = 40;
const FIRST_DAY = Date.UTC(2023, 4, 1); // 2023-05-01
const DAY_MS = 86_400_000;

/** A 32-bit mix of several integers (for per-paper seeds). */
function mix(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------
// Vocabulary: common words of ML abstracts, then generated rare words; Zipf weights.

const COMMON = `the of and a to in we for is that on with this our by as are an model models from
language learning which data performance can be results task tasks method approach large training
show propose it based these using new methods such than more both while also their trained across
benchmark benchmarks generation reasoning existing framework its has have significantly each via
however multiple agents agent into between diffusion image images video visual multimodal text
prior work quality address efficient efficiency inference attention transformer tokens token
reinforcement policy reward alignment human preference evaluation evaluate demonstrate achieve
state-of-the-art outperforms baseline baselines dataset datasets scale scaling parameters compute
fine-tuning pretraining pre-trained representation representations features feature network
networks neural architecture layers layer memory context long-context retrieval augmented
knowledge graph graphs structure structured semantic semantics understanding spatial temporal
3d scene scenes rendering gaussian splatting robot robotic manipulation control planning
code program programs mathematical math problem problems solving solution solutions step steps
chain-of-thought thinking verification verifier feedback supervision self-supervised contrastive
latent space spaces embedding embeddings vector sparse dense mixture experts expert routing
quantization pruning distillation compression low-rank adaptation adapter adapters lora speculative
decoding sampling search tree beam optimization optimizer gradient gradients loss objective
theoretical analysis empirical study studies experiments experimental extensive comprehensive
robust robustness generalization out-of-distribution domain domains transfer zero-shot few-shot
in-context prompt prompts prompting instruction instructions tuning safety harmful jailbreak
attacks adversarial privacy fairness bias biases hallucination hallucinations factual factuality
medical clinical biology protein molecular chemistry materials physics climate weather speech
audio music generation synthesis editing segmentation detection tracking recognition classification
regression forecasting time series tabular user users interaction interactive web browser tool
tools api environment environments simulation simulator real-world deployment latency throughput
hardware gpu gpus memory-efficient parallel distributed training-free plug-and-play open-source
release released available publicly github project page code weights checkpoints leaderboard
accuracy precision recall score scores metric metrics human-annotated annotation labels labeled
unlabeled noisy clean synthetic curated filtering quality-aware diverse diversity coverage`
  .split(/\s+/)
  .filter(Boolean);

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'qu', 'bra', 'cle', 'dri', 'flo', 'gri', 'pha', 'sto', 'tri', 'xen', 'yl', 'on', 'ar', 'is', 'um'];

/** The vocabulary in frequency order: real common words, then ~6,000 generated rare ones. */
const VOCAB: string[] = (() => {
  const rnd = seeded(0x5eed);
  const seen = new Set(COMMON);
  const out = [...COMMON];
  while (out.length < COMMON.length + 6000) {
    const n = 2 + Math.floor(rnd() * 3);
    let w = '';
    for (let k = 0; k < n; k++) w += SYLLABLES[Math.floor(rnd() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      out.push(w);
    }
  }
  return out;
})();

/** Cumulative Zipf weights (1/(rank+1)) over VOCAB. */
const ZIPF: Float64Array = (() => {
  const cum = new Float64Array(VOCAB.length);
  let s = 0;
  for (let i = 0; i < VOCAB.length; i++) cum[i] = s += 1 / (i + 1);
  return cum;
})();

function word(rnd: () => number): string {
  const x = rnd() * ZIPF[ZIPF.length - 1]!;
  let lo = 0;
  let hi = ZIPF.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ZIPF[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return VOCAB[lo]!;
}

const between = (rnd: () => number, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** Sentences of Zipf words until at least `target` characters. */
function prose(rnd: () => number, target: number): string {
  const out: string[] = [];
  let len = 0;
  while (len < target) {
    const n = between(rnd, 8, 28);
    const ws: string[] = [];
    for (let k = 0; k < n; k++) ws.push(word(rnd));
    if (rnd() < 0.3) ws.splice(between(rnd, 1, n - 1), 0, `(${word(rnd).toUpperCase()})`);
    let s = cap(ws.join(' '));
    if (rnd() < 0.25) s = s.replace(/ (\S+) /, ' $1, ');
    s += '.';
    out.push(s);
    len += s.length + 1;
  }
  return out.join(' ');
}

const FIRST = ['Wei', 'Yang', 'Anna', 'José', 'Jürgen', 'Priya', 'Olusegun', 'Chloé', 'Hiroshi', 'Sofía', 'Łukasz', 'Mohammed', 'Elena', 'Kai', 'Zoë', 'Ángel', 'Ngozi', 'Søren', 'Minh', 'Fatima'];
const LAST = ['Zhang', 'Li', 'Müller', 'García', 'Kowalski', 'Nakamura', 'Okafor', 'Dubois', 'Rossi', 'Nguyễn', 'Singh', 'Johansson', 'Haddad', 'Novák', "O'Brien", 'Smith-Jones', 'Øster', 'Kim', 'Lefèvre', 'Schmidt'];
const ORGS = ['DeepLab', 'OpenLab', 'Université Paris-Saclay', 'Tsinghua University', 'ETH Zürich', 'Acme AI', null, null];
const CATS = ['cs.CL', 'cs.CV', 'cs.LG', 'cs.AI', 'cs.RO', 'stat.ML', 'eess.AS', 'q-bio.QM'];

const iso = (ms: number) => new Date(ms).toISOString();

/** The arXiv id of paper `i`: yymm.nnnnn, 90,000 papers a month from 2305. */
export function corpusId(i: number): string {
  const month = Math.floor(i / 90_000);
  const yy = 23 + Math.floor((4 + month) / 12);
  const mm = ((4 + month) % 12) + 1;
  return `${yy}${String(mm).padStart(2, '0')}.${String(10_000 + (i % 90_000)).padStart(5, '0')}`;
}

/** The listing day of paper `i`. */
export function corpusDay(i: number): string {
  return iso(FIRST_DAY + Math.floor(i / PAPERS_PER_DAY) * DAY_MS).slice(0, 10);
}

/** Paper `i` of the corpus. */
export function corpusPaper(i: number, opts: CorpusOptions = {}): CorpusPaper {
  const seed = opts.seed ?? 1;
  const variant = opts.variant ?? 0;
  const rnd = seeded(mix(seed, i, 0));
  const vrnd = seeded(mix(seed, i, 1 + variant));
  const id = corpusId(i);
  const listedOn = corpusDay(i);
  const dayMs = Date.parse(listedOn + 'T00:00:00Z');

  let title = '';
  if (rnd() < 0.4) title = `${cap(word(rnd))}${cap(word(rnd))}: `;
  const target = between(rnd, 50, 140);
  while (title.length < target) title += cap(word(rnd)) + ' ';
  title = title.trim();

  const nAuthors = between(rnd, 2, 14);
  const authors: string[] = [];
  for (let k = 0; k < nAuthors; k++) authors.push(`${FIRST[between(rnd, 0, FIRST.length - 1)]} ${LAST[between(rnd, 0, LAST.length - 1)]}`);

  let abstract = prose(rnd, between(rnd, 650, 1700));
  // A variant rewrites the abstract's ending, so a re-import updates the FTS index too.
  if (variant !== 0) abstract += ` Revision ${variant}: ${prose(vrnd, 60)}`;
  const keywords: string[] = [];
  for (let k = between(rnd, 0, 6); k > 0; k--) keywords.push(`${word(rnd)} ${word(rnd)}`);
  const hasCode = rnd() < 0.35;
  const repoName = `${word(rnd)}-${word(rnd)}`;
  const cats = [...new Set([CATS[between(rnd, 0, CATS.length - 1)]!, CATS[between(rnd, 0, CATS.length - 1)]!])];
  const published = dayMs - between(rnd, 1, 5) * DAY_MS + between(rnd, 0, 86_399) * 1000;
  const version = between(rnd, 1, 3);
  const summary = rnd() < 0.6 ? prose(rnd, between(rnd, 100, 250)) : null;
  const organization = ORGS[between(rnd, 0, ORGS.length - 1)]!;
  const hasDoi = rnd() < 0.1;
  const comments = rnd() < 0.5 ? `${between(rnd, 8, 40)} pages, ${between(rnd, 2, 12)} figures` : null;
  return {
    id,
    title,
    authors,
    abstract,
    publishedAt: iso(published),
    listedOn,
    source: 'hf',
    rank: (i % PAPERS_PER_DAY) + 1,
    upvotes: between(vrnd, 0, 300),
    comments: between(vrnd, 0, 20),
    githubRepo: hasCode ? `https://github.com/${authors[0]!.split(' ')[1]!.replace(/[^A-Za-z]/g, '') || 'lab'}/${repoName}` : null,
    githubStars: hasCode ? between(vrnd, 0, 5000) : null,
    projectPage: hasCode && rnd() < 0.5 ? `https://${repoName}.github.io/` : null,
    aiSummary: summary,
    keywords,
    organization,
    categories: cats,
    primaryCategory: cats[0]!,
    doi: hasDoi ? `10.48550/arXiv.${id}` : null,
    journalRef: null,
    arxivComments: comments,
    version,
    updatedAt: iso(published + version * DAY_MS),
    urls: { hf: `https://huggingface.co/papers/${id}`, arxiv: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` },
  };
}

/** Indexes `start … start + count - 1`. */
export function* range(start: number, count: number): Generator<number> {
  for (let i = start; i < start + count; i++) yield i;
}

/** What `writeCorpus` wrote: the ids and content hashes (see `paperHash`) in file order. */
export interface WrittenCorpus {
  file: string;
  bytes: number;
  ids: string[];
  hashes: string[];
}

/**
 * Write papers to `file` as JSONL (one object per line), in the order given, and return
 * what the database must hold for each of them.
 */
export function writeCorpus(file: string, indexes: Iterable<number>, opts: CorpusOptions = {}): WrittenCorpus {
  const fd = openSync(file, 'w');
  const out: WrittenCorpus = { file, bytes: 0, ids: [], hashes: [] };
  let buf: string[] = [];
  let bufLen = 0;
  const flush = () => {
    const b = Buffer.from(buf.join(''), 'utf8');
    writeSync(fd, b);
    out.bytes += b.length;
    buf = [];
    bufLen = 0;
  };
  try {
    for (const i of indexes) {
      const p = corpusPaper(i, opts);
      const line = JSON.stringify(p) + '\n';
      buf.push(line);
      bufLen += line.length;
      out.ids.push(p.id);
      out.hashes.push(hashOf(p));
      if (bufLen > 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return out;
}

/** Expected content hash of each paper, by id (for slices that were not written by this process). */
export function expectedHashes(indexes: Iterable<number>, opts: CorpusOptions = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of indexes) {
    const p = corpusPaper(i, opts);
    out.set(p.id, hashOf(p));
  }
  return out;
}

function hashOf(p: CorpusPaper): string {
  return paperHash(p.id, p.title, p.abstract, p.authors.join('\n'), p.keywords.join('\n'), p.upvotes, [[p.source, p.listedOn, p.rank]]);
}

/**
 * The content hash of one paper as stored: id, title, abstract, authors, keywords, upvotes
 * and its listings (source, day, rank). Computed the same way from the corpus and from the
 * database, so equal hashes mean the paper and its listings were stored exactly.
 */
export function paperHash(
  id: string,
  title: string,
  abstract: string,
  authors: string,
  keywords: string,
  upvotes: number | null,
  listings: Array<[string, string, number]>,
): string {
  const sorted = [...listings].sort((a, b) => (a.join('\t') < b.join('\t') ? -1 : 1));
  return createHash('sha256').update(JSON.stringify([id, title, abstract, authors, keywords, upvotes, sorted])).digest('hex');
}

// ---------------------------------------------------------------------------------------
// The database side: what a `papers` database holds, read directly with better-sqlite3.

/** What `checkDatabase` found. */
export interface DbState {
  /** `PRAGMA integrity_check` ('ok' when sound). */
  integrity: string;
  /** null when the FTS5 'integrity-check' command passed, else its error. */
  ftsError: string | null;
  papers: number;
  distinctIds: number;
  ftsRows: number;
  listings: number;
  userVersion: number;
  /** Papers a stopped bulk import had left out of the search index, which this check indexed first (as the next run would). */
  backlog: number;
}

/**
 * Open the database the way the next `papers` process would (read-write, so a leftover WAL
 * is recovered, and the search index of a stopped bulk import is finished) and check it:
 * SQLite's integrity check, FTS5's own check that the index is exactly the papers' text
 * (`'integrity-check', 1` compares it with the content table), and the counts.
 */
export function checkDatabase(path: string): DbState {
  const db = new Database(path, { timeout: 30_000 });
  registerFunctions(db);
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    const count = (sql: string) => (db.prepare(sql).pluck().get() as number) ?? 0;
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    const hasPapers = count("SELECT count(*) FROM sqlite_master WHERE name = 'papers'") > 0;
    let ftsError: string | null = null;
    let backlogged = 0;
    if (hasPapers) {
      const pending = count("SELECT count(*) FROM sqlite_master WHERE name = 'fts_pending'") > 0 ? backlog(db) : null;
      if (pending) backlogged = buildBacklog(db);
      try {
        db.exec("INSERT INTO papers_fts(papers_fts, rank) VALUES('integrity-check', 1)");
      } catch (err) {
        ftsError = (err as Error).message;
      }
    }
    return {
      integrity,
      ftsError,
      papers: hasPapers ? count('SELECT count(*) FROM papers') : 0,
      distinctIds: hasPapers ? count('SELECT count(DISTINCT id) FROM papers') : 0,
      ftsRows: hasPapers ? count('SELECT count(*) FROM papers_fts') : 0,
      listings: hasPapers ? count('SELECT count(*) FROM listings') : 0,
      userVersion,
      backlog: backlogged,
    };
  } finally {
    db.close();
  }
}

/** The content hash (see `paperHash`) of every paper in the database, by id. */
export function storedHashes(path: string): Map<string, string> {
  const db = new Database(path, { readonly: true, timeout: 30_000 });
  try {
    const listings = new Map<string, Array<[string, string, number]>>();
    const lrows = db.prepare('SELECT source, day, paper_id, rank FROM listings').iterate() as IterableIterator<{ source: string; day: string; paper_id: string; rank: number }>;
    for (const l of lrows) {
      let list = listings.get(l.paper_id);
      if (!list) listings.set(l.paper_id, (list = []));
      list.push([l.source, l.day, l.rank]);
    }
    const out = new Map<string, string>();
    const rows = db.prepare('SELECT id, title, abstract, authors, keywords, upvotes FROM papers').iterate() as IterableIterator<{
      id: string;
      title: string;
      abstract: string;
      authors: string;
      keywords: string;
      upvotes: number | null;
    }>;
    for (const r of rows) out.set(r.id, paperHash(r.id, r.title, r.abstract, r.authors, r.keywords, r.upvotes, listings.get(r.id) ?? []));
    return out;
  } finally {
    db.close();
  }
}
