#!/usr/bin/env node
/**
 * Where import time goes, and what each proposed change buys: the same N papers stored
 * several ways in one process (input already parsed, so only the storing differs).
 *
 *   node bench/profile/import-variants.mjs [N=100000] [variant,...]
 *
 * Variants (each into a fresh database file under bench/out/variants/):
 *   current      the real storeListing() from dist/store/write.js (SELECTs + INSERT + triggers)
 *   insert-only  plain INSERT per row, FTS triggers on (no title_key/id lookups)
 *   no-fts       plain INSERT per row, FTS triggers dropped, no index built (a lower bound)
 *   rebuild      triggers dropped, rows inserted, FTS built once with 'rebuild'
 *   rebuild-col  as rebuild, FTS5 detail=column
 *   rebuild-nosize as rebuild, columnsize=0
 *   *-cache64    the same with a 64 MB page cache instead of SQLite's default 2 MB
 *   explicit-fts triggers dropped; per row an INSERT into papers, then one into papers_fts
 *   batched-N    N rows per INSERT … SELECT FROM json_each(?) statement, triggers on
 * Prints papers/s, seconds and database size for each, and the parse cost of the real
 * JSONL parser.
 */
import { readFileSync, rmSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.BENCH_PAPERS_ROOT ?? process.cwd();
const n = Number(process.argv[2] ?? 100_000);
const only = process.argv[3]?.split(',');
const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const { default: Database } = await import(pathToFileURL(join(root, 'node_modules', 'better-sqlite3', 'lib', 'index.js')).href);
const { MIGRATIONS, SCHEMA_VERSION } = await dist('store/schema.js');
const { storeListing } = await dist('store/write.js');
const { papersJsonl } = await dist('sources/jsonl.js');
const { titleKey } = await dist('model.js');

const benchOut = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'out');
const corpus = join(benchOut, `corpus-${n}`);
const meta = JSON.parse(readFileSync(join(corpus, 'meta.json'), 'utf8'));
const out = join(benchOut, 'variants');
mkdirSync(out, { recursive: true });

// Parse with the real parser, timing read + decode + parse separately.
let tRead = 0, tParse = 0;
const p0 = process.cpuUsage();
const items = [];
for (const f of meta.files) {
  let t = performance.now();
  const text = readFileSync(join(corpus, f), 'utf8');
  tRead += performance.now() - t;
  t = performance.now();
  const parsed = papersJsonl.parse(text, { day: null, origin: f, now: new Date() });
  tParse += performance.now() - t;
  for (const it of parsed.items) items.push(it);
}
const pc = process.cpuUsage(p0);
console.log(`${n} papers: read ${tRead.toFixed(0)} ms, parse (real JSONL parser) ${tParse.toFixed(0)} ms wall; read+parse CPU ${((pc.user + pc.system) / 1000).toFixed(0)} ms = ${(n / ((pc.user + pc.system) / 1e6)).toFixed(0)} papers/CPU-s; rss after parse ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);

function open(path, ftsOptions = '', cacheKb = 0) {
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  const db = new Database(path);
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // SQLite's default page cache is 2 MB (cache_size = -2000): 125 pages of 16 KB.
  if (cacheKb) db.pragma(`cache_size = -${cacheKb}`);
  let sql = MIGRATIONS.join(';\n');
  if (ftsOptions) sql = sql.replace("tokenize='porter unicode61 remove_diacritics 2'", `tokenize='porter unicode61 remove_diacritics 2', ${ftsOptions}`);
  db.exec(sql);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return db;
}
const size = (p) => ['', '-wal'].reduce((s, x) => s + (existsSync(p + x) ? statSync(p + x).size : 0), 0);
const now = new Date().toISOString();
const row = ({ paper: p }) => ({
  id: p.id, title_key: titleKey(p.title), title: p.title, abstract: p.abstract, authors: p.authors.join('\n'),
  keywords: p.keywords.join('\n'), published_at: p.publishedAt, upvotes: p.upvotes, comments: p.comments,
  github_repo: p.githubRepo, github_stars: p.githubStars, project_page: p.projectPage, ai_summary: p.aiSummary,
  organization: p.organization, categories: p.categories.join(' '), primary_category: p.primaryCategory, doi: p.doi,
  journal_ref: p.journalRef, arxiv_comments: p.arxivComments, version: p.version, updated_on: p.updatedAt, now,
});
const COLS = ['id', 'title_key', 'title', 'abstract', 'authors', 'keywords', 'published_at', 'upvotes', 'comments', 'github_repo', 'github_stars', 'project_page', 'ai_summary', 'organization', 'categories', 'primary_category', 'doi', 'journal_ref', 'arxiv_comments', 'version', 'updated_on'];
const INSERT = `INSERT INTO papers (${COLS.join(', ')}, first_seen_at, updated_at) VALUES (${COLS.map((c) => '@' + c).join(', ')}, @now, @now)`;
const LISTING = 'INSERT INTO listings (source, day, paper_id, rank, upvotes) VALUES (@source, @day, @paper_id, @rank, @upvotes) ON CONFLICT DO NOTHING';

function plainInsert(db, { triggers = true, rebuild = false } = {}) {
  if (!triggers) db.exec('DROP TRIGGER papers_ai');
  const ins = db.prepare(INSERT);
  const lst = db.prepare(LISTING);
  let tFts = 0;
  db.transaction(() => {
    for (const it of items) {
      ins.run(row(it));
      if (it.listing) lst.run({ ...it.listing, paper_id: it.paper.id });
    }
    if (rebuild) {
      const t = performance.now();
      db.exec("INSERT INTO papers_fts(papers_fts) VALUES('rebuild')");
      tFts = performance.now() - t;
    }
  }).immediate();
  return tFts;
}

/** Rows through one statement per batch (json_each over a JSON array of rows), triggers on. */
function batchedInsert(db, batch) {
  const ins = db.prepare(`INSERT INTO papers (${COLS.join(', ')}, first_seen_at, updated_at)
    SELECT ${COLS.map((c) => `value->>'$.${c}'`).join(', ')}, value->>'$.now', value->>'$.now' FROM json_each(?)`);
  const lst = db.prepare(LISTING);
  db.transaction(() => {
    for (let i = 0; i < items.length; i += batch) {
      ins.run(JSON.stringify(items.slice(i, i + batch).map(row)));
    }
    for (const it of items) if (it.listing) lst.run({ ...it.listing, paper_id: it.paper.id });
  }).immediate();
}

/** Triggers dropped; each row written to papers, then to papers_fts by an explicit INSERT. */
function explicitFts(db) {
  db.exec('DROP TRIGGER papers_ai');
  const ins = db.prepare(INSERT);
  const fts = db.prepare('INSERT INTO papers_fts(rowid, title, abstract, authors, keywords) VALUES (?, ?, ?, ?, ?)');
  const lst = db.prepare(LISTING);
  db.transaction(() => {
    for (const it of items) {
      const r = row(it);
      const { lastInsertRowid } = ins.run(r);
      fts.run(lastInsertRowid, r.title, r.abstract, r.authors, r.keywords);
      if (it.listing) lst.run({ ...it.listing, paper_id: it.paper.id });
    }
  }).immediate();
}

const variants = {
  'explicit-fts': (db) => explicitFts(db),
  'batched-100': (db) => batchedInsert(db, 100),
  'batched-1000': (db) => batchedInsert(db, 1000),
  current: (db) => { storeListing(db, { format: 'jsonl', items, warnings: [] }, { now: new Date() }); },
  'insert-only': (db) => plainInsert(db),
  'no-fts': (db) => plainInsert(db, { triggers: false }),
  rebuild: (db) => plainInsert(db, { triggers: false, rebuild: true }),
  'rebuild-col': [(db) => plainInsert(db, { triggers: false, rebuild: true }), 'detail=column'],
  'rebuild-nosize': [(db) => plainInsert(db, { triggers: false, rebuild: true }), 'columnsize=0'],
  'current-cache64': [(db) => { storeListing(db, { format: 'jsonl', items, warnings: [] }, { now: new Date() }); }, '', 65536],
  'insert-only-cache64': [(db) => plainInsert(db), '', 65536],
  'rebuild-cache64': [(db) => plainInsert(db, { triggers: false, rebuild: true }), '', 65536],
  'rebuild-col-cache64': [(db) => plainInsert(db, { triggers: false, rebuild: true }), 'detail=column', 65536],
};
for (const [name, v] of Object.entries(variants)) {
  if (only && !only.includes(name)) continue;
  const [fn, opts, cacheKb] = Array.isArray(v) ? v : [v, '', 0];
  const path = join(out, `${name}.db`);
  const db = open(path, opts, cacheKb);
  // CPU time (user + system) is the rate's clock: the machine is shared, and wall time
  // under contention says more about the neighbours than about the code.
  const c0 = process.cpuUsage();
  const t = performance.now();
  const tFts = fn(db);
  const ms = performance.now() - t;
  db.close();
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000;
  console.log(`${name.padEnd(20)} ${(n / (cpuMs / 1000)).toFixed(0).padStart(7)} papers/CPU-s  cpu ${(cpuMs / 1000).toFixed(1).padStart(5)} s  wall ${(ms / 1000).toFixed(1).padStart(5)} s${tFts ? ` (FTS rebuild ${(tFts / 1000).toFixed(1)} s wall)` : ''}  db ${(size(path) / 2 ** 20).toFixed(0)} MB (${(size(path) / meta.textBytes).toFixed(2)}× raw text)`);
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
}
