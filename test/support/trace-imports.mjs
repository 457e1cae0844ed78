// Preload for e2e tests (`NODE_OPTIONS=--import=<this file>`): appends the URL of every module
// the process imports to the file named by PAPERS_TRACE_IMPORTS, so a test can assert that a
// path never loads a heavy dependency (undici, cheerio).
import { register } from 'node:module';

if (process.env.PAPERS_TRACE_IMPORTS) {
  register('./trace-imports-hooks.mjs', import.meta.url, { data: { file: process.env.PAPERS_TRACE_IMPORTS } });
}
