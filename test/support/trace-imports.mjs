// Preload for e2e tests (`NODE_OPTIONS=--import=<this file>`): appends the URL of every module
// the process imports to the file named by PAPERS_TRACE_IMPORTS, so a test can assert that a
// path never loads a heavy dependency (undici, cheerio). ES modules are seen by loader hooks;
// CommonJS `require` (src/net/undici.ts loads undici's parts that way) by a wrapper of
// Module._load, which logs the resolved file.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const file = process.env.PAPERS_TRACE_IMPORTS;
if (file) {
  register('./trace-imports-hooks.mjs', import.meta.url, { data: { file } });
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    try {
      appendFileSync(file, `${pathToFileURL(Module._resolveFilename(request, parent, isMain)).href}\n`);
    } catch {
      // Built-ins and unresolvable names: the real load reports them.
    }
    return load.apply(this, arguments);
  };
}
