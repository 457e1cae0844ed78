#!/usr/bin/env node
'use strict';
// The CLI runs from one CommonJS bundle, dist/papers.cjs (`npm run build`: tsc, then esbuild).
// Start-up is most of a command's time, and in Node 20 one CommonJS file loads faster than
// ~30 ES modules resolved, linked and evaluated one by one; undici, cheerio and better-sqlite3
// stay outside it and load only on the paths that need them (bench/PROFILE.md, round 3).
const [flag, ...rest] = process.argv.slice(2);
if ((flag === '--version' || flag === '-V') && rest.length === 0) {
  // What scripts and health checks call most: answered before loading commander and the rest.
  process.stdout.write(require('../package.json').version + '\n');
} else {
  require('../dist/papers.cjs').main(process.argv);
}
