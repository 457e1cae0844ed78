#!/usr/bin/env node
/**
 * Cost of loading each module on its own, in a fresh process (median of N): what a command
 * pays for each `import` on its path. Run from the repository root:
 *
 *   node bench/profile/imports.mjs [runs]
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 7);
const root = process.env.BENCH_PAPERS_ROOT ?? process.cwd();
const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;
const modules = [
  ['(nothing)', null],
  ['commander', 'commander'],
  ['better-sqlite3', 'better-sqlite3'],
  ['better-sqlite3 + open db', 'better-sqlite3#open'],
  ['chalk', 'chalk'],
  ['date-fns/format', 'date-fns/format'],
  ['undici', 'undici'],
  ['cheerio', 'cheerio'],
  ['dist/cli.js', dist('cli.js')],
  ['dist/dates.js', dist('dates.js')],
  ['dist/store/db.js', dist('store/db.js')],
  ['dist/commands/_shared.js', dist('commands/_shared.js')],
  ['dist/commands/list.js', dist('commands/list.js')],
  ['dist/commands/search.js', dist('commands/search.js')],
  ['dist/commands/import.js', dist('commands/import.js')],
];
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rows = [];
for (const [label, spec] of modules) {
  // Time inside the process (import only), and the whole process from outside.
  // CPU time (user + system) of the import inside the process: the machine is shared, and
  // wall time under contention measures the neighbours. The whole process is timed from outside.
  const body = spec === null ? ''
    : spec === 'better-sqlite3#open'
      ? `const {default:D}=await import('better-sqlite3'); const db=new D(':memory:'); db.prepare('select 1').get();`
      : `await import(${JSON.stringify(spec)});`;
  const code = `const c=process.cpuUsage(); ${body} const d=process.cpuUsage(c); console.log((d.user+d.system)/1000)`;
  const inside = [];
  const whole = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) { inside.push(NaN); whole.push(NaN); break; }
    if (i === 0) continue; // warm-up
    inside.push(Number(r.stdout.trim()));
    whole.push(ms);
  }
  rows.push([label, median(inside), median(whole)]);
}
console.log('module                          import CPU (in process)   whole process wall');
for (const [l, a, b] of rows) console.log(`${l.padEnd(32)}${a.toFixed(1).padStart(10)} ms ${b.toFixed(1).padStart(14)} ms`);
