#!/usr/bin/env node
'use strict';
// The CLI runs from one CommonJS bundle, dist/papers.cjs (`npm run build`: tsc, then esbuild).
// Start-up is most of a command's time, and in Node 20 one CommonJS file loads faster than
// ~30 ES modules resolved, linked and evaluated one by one; undici and cheerio stay outside it
// and load only on the paths that need them, and so does better-sqlite3's compiled addon
// (src/store/sqlite.ts) — bench/PROFILE.md, round 3.
const fs = require('node:fs');
const path = require('node:path');

const BUNDLE = path.join(__dirname, '..', 'dist', 'papers.cjs');
const CODE_CACHE = `${BUNDLE}.cache`;

const [flag, ...rest] = process.argv.slice(2);
if ((flag === '--version' || flag === '-V') && rest.length === 0) {
  // What scripts and health checks call most: answered before loading commander and the rest.
  // Checked like any output (src/output.ts): a failed write is exit 74, a closed pipe exit 0.
  try {
    fs.writeSync(1, require('../package.json').version + '\n');
  } catch (err) {
    if (err.code !== 'EPIPE') {
      process.stderr.write(`papers: cannot write output: ${err.code === 'ENOSPC' ? 'no space left on device' : err.message}\n`);
      process.exitCode = 74;
    }
  }
} else {
  loadBundle().main(process.argv);
}

/**
 * Load the bundle as `require` would, but compiled with V8's code cache when there is one:
 * compiling the ~470 kB bundle was a third of what start-up added to `node -e 0` (Node 20 has no
 * module.enableCompileCache). `npm run bundle` writes the cache right after the bundle, by
 * running `PAPERS_WRITE_CODE_CACHE=1 papers --help`. V8 checks a cache against its own version
 * and flags but only the *length* of the source, so a cache made for other code of the same
 * length would run that code: the file holds the exact bundle it was made from (its length,
 * then its bytes), then V8's data, and is used only if those bytes are the bundle's. Comparing
 * ~470 kB costs far less than loading zlib or crypto for a checksum. A stale, foreign or missing
 * cache only means a normal compile.
 */
function loadBundle() {
  const vm = require('node:vm');
  const Module = require('node:module');
  let bytes;
  try {
    bytes = fs.readFileSync(BUNDLE);
  } catch {
    process.stderr.write(`papers: ${BUNDLE} is missing: run \`npm run build\` in ${path.dirname(__dirname)}\n`);
    process.exit(70);
  }
  const writing = process.env.PAPERS_WRITE_CODE_CACHE === '1';
  let cachedData;
  if (!writing) {
    try {
      const cache = fs.readFileSync(CODE_CACHE);
      const end = 4 + bytes.length;
      if (cache.length > end && cache.readUInt32BE(0) === bytes.length && bytes.equals(cache.subarray(4, end))) {
        cachedData = cache.subarray(end);
      }
    } catch {
      // No cache (a build without it): compile as usual.
    }
  }
  const script = new vm.Script(Module.wrap(bytes.toString('utf8')), { filename: BUNDLE, cachedData });
  if (writing) {
    // After the run, so the cache also holds the functions this command compiled on the way.
    process.on('exit', () => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      try {
        fs.writeFileSync(CODE_CACHE, Buffer.concat([length, bytes, script.createCachedData()]));
      } catch (err) {
        // A build step: say what failed in one line and fail the build (`npm run bundle`).
        process.stderr.write(`papers: cannot write the code cache ${CODE_CACHE}: ${err.message}\n`);
        process.exitCode = 1;
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
  return module.exports;
}
