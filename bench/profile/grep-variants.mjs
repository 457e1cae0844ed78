#!/usr/bin/env node
/**
 * The grep scan's parts measured inside one process (CPU time, so a loaded machine barely
 * moves them): SQL prefilters alone, and the raw-column scan with the regex in JavaScript.
 *
 *   node bench/profile/grep-variants.mjs DB [RUNS]
 */
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const [dbPath, runsArg] = process.argv.slice(2);
const db = new Database(dbPath, { readonly: true });
const runs = Number(runsArg ?? 3);

function cpu(fn) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    result = fn();
    const d = process.cpuUsage(t0);
    times.push((d.user + d.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round(times[Math.floor(times.length / 2)]), result };
}

const sqlCount = (where, ...params) => () => db.prepare(`SELECT count(*) AS n FROM papers p WHERE ${where}`).get(...params).n;
const like = (t) => '%' + t + '%';
const rows = [];
for (const [label, term] of [['rare', 'mediaug'], ['common', 'address'], ['regex literal', 'multimodal ']]) {
  rows.push([`${label}: instr(lower(col)) (before)`, cpu(sqlCount('instr(lower(p.title), ?) > 0 OR instr(lower(p.abstract), ?) > 0', term, term))]);
  rows.push([`${label}: LIKE`, cpu(sqlCount("p.title LIKE ? ESCAPE '\\' OR p.abstract LIKE ? ESCAPE '\\'", like(term), like(term)))]);
  rows.push([`${label}: LIKE + NUL guard`, cpu(sqlCount("p.title LIKE ? ESCAPE '\\' OR instr(p.title, char(0)) > 0 OR p.abstract LIKE ? ESCAPE '\\' OR instr(p.abstract, char(0)) > 0", like(term), like(term)))]);
  rows.push([`${label}: instr(col) (case-sensitive)`, cpu(sqlCount('instr(p.title, ?) > 0 OR instr(p.abstract, ?) > 0', term, term))]);
}
rows.push(['no prefilter: count(*) reading abstracts (length)', cpu(sqlCount('length(p.abstract) >= 0'))]);
const scanJs = (regex) => () => {
  let n = 0;
  for (const r of db.prepare('SELECT p.pk, p.id, p.title, p.abstract FROM papers p ORDER BY p.pk DESC').raw(true).iterate()) {
    if (regex.test(r[2]) || regex.test(r[3])) n++;
  }
  return n;
};
const readOnly = () => {
  let n = 0;
  for (const r of db.prepare('SELECT p.pk, p.id, p.title, p.abstract FROM papers p ORDER BY p.pk DESC').raw(true).iterate()) n += r[3].length > 0 ? 1 : 0;
  return n;
};
rows.push(['raw columns into JS, no regex', cpu(readOnly)]);
rows.push(['raw columns + /address/ in JS', cpu(scanJs(/address/))]);
rows.push(['raw columns + /address/i in JS', cpu(scanJs(/address/i))]);
rows.push(['raw columns + /multimodal (understanding|reasoning)/iu in JS', cpu(scanJs(/multimodal (understanding|reasoning)/iu))]);
rows.push(['full rows (SELECT p.*) into JS', cpu(() => {
  let n = 0;
  for (const r of db.prepare('SELECT p.* FROM papers p ORDER BY p.pk DESC').iterate()) n += r.abstract.length > 0 ? 1 : 0;
  return n;
})]);
for (const [label, { ms, result }] of rows) console.log(`${String(ms).padStart(6)} ms CPU  ${label}  → ${result}`);
