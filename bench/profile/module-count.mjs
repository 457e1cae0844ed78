#!/usr/bin/env node
/**
 * Which modules a command loads, counted by package: what start-up pays for.
 *
 *   node bench/profile/module-count.mjs -- bin/papers.cjs --db X list
 *
 * Registers an ESM load hook that appends every loaded URL to a file, runs the command in
 * this process, and prints counts and source bytes by package when it exits. CommonJS files
 * loaded through require (better-sqlite3's lib) are counted from require.cache.
 */
import { register, createRequire } from 'node:module';
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const log = `/tmp/papers-modules-${process.pid}.txt`;
writeFileSync(log, '');
const hooks = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(log)}, url + '\\n');
  return next(url, context);
}`;
register('data:text/javascript,' + encodeURIComponent(hooks));

const args = process.argv.slice(process.argv.indexOf('--') + 1);
const script = resolve(args[0]);
process.argv = [process.argv[0], script, ...args.slice(1)];
const require = createRequire(import.meta.url);
process.on('exit', () => {
  const urls = new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean));
  for (const f of Object.keys(require.cache)) urls.add(pathToFileURL(f).href);
  const by = new Map();
  for (const u of urls) {
    if (!u.startsWith('file:')) { by.set('node:builtins', (by.get('node:builtins') ?? [0, 0])); by.get('node:builtins')[0]++; continue; }
    const m = u.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const key = m ? m[1] : u.includes('/dist/') ? 'dist (papers)' : 'other';
    const e = by.get(key) ?? [0, 0];
    e[0]++;
    try { e[1] += statSync(fileURLToPath(u)).size; } catch {}
    by.set(key, e);
  }
  process.stderr.write('\nmodules loaded, by package (files, source KB):\n');
  for (const [k, [n, b]] of [...by].sort((a, b) => b[1][0] - a[1][0])) process.stderr.write(`  ${String(n).padStart(4)}  ${(b / 1024).toFixed(0).padStart(6)} KB  ${k}\n`);
});
await import(pathToFileURL(script).href);
