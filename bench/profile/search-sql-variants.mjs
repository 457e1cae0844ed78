#!/usr/bin/env node
/**
 * The SQL of `papers search`, as built by dist/store/query.js, against two rewrites, in one
 * process (CPU ms per query, median of 7 after a warm-up), with a check that all return the
 * same rows:
 *   current       the built searchPapers SQL
 *   no-join-cte   the top-N CTE without `JOIN papers p` (only needed for filters and
 *                 non-rank sorts): ranking then reads the FTS index only
 *   + cross-join  also `top CROSS JOIN papers_fts`: the outer query visits the 20 chosen rows
 *                 (MATCH with rowid =) instead of scanning every match again
 *
 *   BENCH_PAPERS_ROOT=. node bench/profile/search-sql-variants.mjs DB
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.BENCH_PAPERS_ROOT ?? process.cwd();
const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const { default: Database } = await import(pathToFileURL(join(root, 'node_modules', 'better-sqlite3', 'lib', 'index.js')).href);
const { searchPapers } = await dist('store/query.js');
const { parseQuery, toMatchExpression } = await dist('store/fts-query.js');
const { terms } = JSON.parse(readFileSync(new URL('../out/terms.json', import.meta.url), 'utf8'));
const db = new Database(process.argv[2], { readonly: true });

/** The SQL and parameters searchPapers runs, captured with a stand-in db. */
function captured(match, filters) {
  let out;
  searchPapers({ prepare: (sql) => ({ all: (...p) => ((out = { sql, params: p.flat() }), []) }) }, match, filters);
  return out;
}
const cpu = (fn, n = 7) => {
  fn();
  const xs = [];
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage();
    fn();
    const d = process.cpuUsage(c);
    xs.push((d.user + d.system) / 1000);
  }
  return xs.sort((a, b) => a - b)[n >> 1];
};
console.log(`${process.argv[2]}: CPU ms per query`);
console.log('query                              current  no-join-cte  +cross-join  same rows');
for (const [shape, text, sort] of [...Object.entries(terms).map(([k, v]) => [k, v, null]), ['common, --sort date', terms.common, 'date']]) {
  const match = toMatchExpression(parseQuery(text));
  const { sql, params } = captured(match, { limit: 20, sort });
  const noJoin = sort ? sql : sql.replace('FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid', 'FROM papers_fts');
  const cross = noJoin.replace('FROM top JOIN papers p ON p.pk = top.pk JOIN papers_fts ON papers_fts.rowid = top.pk',
    'FROM top CROSS JOIN papers_fts ON papers_fts.rowid = top.pk CROSS JOIN papers p ON p.pk = top.pk');
  const [a, b, c] = [sql, noJoin, cross].map((s) => db.prepare(s));
  const same = JSON.stringify(a.all(...params)) === JSON.stringify(c.all(...params)) && JSON.stringify(a.all(...params)) === JSON.stringify(b.all(...params));
  console.log(`${(shape + ' ' + text).padEnd(34).slice(0, 34)} ${cpu(() => a.all(...params)).toFixed(1).padStart(7)} ${cpu(() => b.all(...params)).toFixed(1).padStart(12)} ${cpu(() => c.all(...params)).toFixed(1).padStart(12)}  ${same}`);
}
