#!/usr/bin/env node
/**
 * Search inside one process: how long the SQL of `papers search` takes once Node is up,
 * so the whole-process figures can be split into "start-up" and "query".
 *
 *   BENCH_PAPERS_ROOT=. node bench/profile/search-inprocess.mjs bench/out/db/papers-100000.db
 *
 * For each query shape: the real searchPapers() (top 20 by bm25 in a CTE, then snippets for
 * those 20), the CTE alone (no snippets), and a count of matches. Median of 9 after a warm-up;
 * CPU time, as the machine is shared.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.BENCH_PAPERS_ROOT ?? process.cwd();
const dbPath = process.argv[2];
const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const { default: Database } = await import(pathToFileURL(join(root, 'node_modules', 'better-sqlite3', 'lib', 'index.js')).href);
const { searchPapers } = await dist('store/query.js');
const { parseQuery, toMatchExpression } = await dist('store/fts-query.js');
const { terms } = JSON.parse(readFileSync(new URL('../out/terms.json', import.meta.url), 'utf8'));

const { registerFunctions } = await dist('store/db.js');
const db = new Database(dbPath, { readonly: true });
// The view papers_fts_text, which snippets read, calls a function papers registers.
registerFunctions(db);
const cpuMs = (fn) => {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
const med = (fn, n = 9) => {
  fn();
  const xs = Array.from({ length: n }, () => cpuMs(fn)).sort((a, b) => a - b);
  return xs[n >> 1];
};
const topOnly = db.prepare(`SELECT papers_fts.rowid AS pk, bm25(papers_fts, 10.0, 1.0, 4.0, 4.0) AS rank
  FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid WHERE papers_fts MATCH ? ORDER BY rank LIMIT 20`);
const topByDate = db.prepare(`SELECT papers_fts.rowid AS pk, bm25(papers_fts, 10.0, 1.0, 4.0, 4.0) AS rank
  FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid WHERE papers_fts MATCH ? ORDER BY p.published_at DESC, rank LIMIT 20`);
const count = db.prepare('SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH ?');
console.log(`${dbPath}: CPU ms per query (median of 9)`);
console.log('shape                  matches   searchPapers   top-20 CTE only   newest-first CTE');
for (const [shape, text] of Object.entries(terms)) {
  const match = toMatchExpression(parseQuery(text));
  const n = count.get(match).n;
  const full = med(() => searchPapers(db, match, { limit: 20 }));
  const top = med(() => topOnly.all(match));
  const date = med(() => topByDate.all(match));
  console.log(`${(shape + ' ' + text).padEnd(22).slice(0, 22)} ${String(n).padStart(8)} ${full.toFixed(1).padStart(12)} ms ${top.toFixed(1).padStart(14)} ms ${date.toFixed(1).padStart(14)} ms`);
}
