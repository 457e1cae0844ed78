#!/usr/bin/env node
/**
 * A loopback stand-in for the Hugging Face API, for the fetch figure.
 *
 *   node bench/hf-server.mjs [DIR] [--watch-stdin] [--hang]   → prints "listening http://127.0.0.1:PORT"
 *
 * With --hang it accepts every connection and never answers (the "hanging API" of the
 * `papers today` figure).
 * Serves GET /api/daily_papers?date=YYYY-MM-DD with DIR/YYYY-MM-DD.json (real saved API
 * responses: /work/shared/corpora/hf-daily by default), an empty array for a day it does
 * not have (as HF does for a weekend), and 404 for anything else. It runs in its own
 * process because the runner times commands with spawnSync, which blocks its event loop.
 * Binds 127.0.0.1 only; stops after 30 minutes, or with --watch-stdin when its parent closes
 * its stdin (the runner uses that, so the server never outlives it).
 */
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--')) ?? '/work/shared/corpora/hf-daily';
const cache = new Map(); // day → Buffer: read each file once, so the server costs ~nothing per request

const hang = args.includes('--hang');
const server = createServer((req, res) => {
  if (hang) return; // the request is read and never answered
  const url = new URL(req.url ?? '/', 'http://localhost');
  const day = url.searchParams.get('date') ?? '';
  if (req.method !== 'GET' || url.pathname !== '/api/daily_papers' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    process.stderr.write(`hf-server: 404 ${req.method} ${req.url}\n`);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    return;
  }
  let body = cache.get(day);
  if (!body) {
    const file = join(dir, `${day}.json`);
    body = existsSync(file) ? readFileSync(file) : Buffer.from('[]');
    cache.set(day, body);
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }).end(body);
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`);
});
// Never outlive the benchmark: stop when the parent goes away, or after 30 minutes at most.
if (args.includes('--watch-stdin')) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
setTimeout(() => process.exit(0), 30 * 60 * 1000).unref();
