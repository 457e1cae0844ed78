/**
 * A loopback HTTP server for tests: serves Hugging Face fixtures by date like the real API
 * and, per path, injects the faults the network code must survive (timeouts, stalls, drips, resets,
 * truncation, 429/503, redirects, bad bodies, oversized bodies).
 *
 *   const server = await startFaultServer({ fixturesDir: 'fixtures/hf-api' });
 *   server.setFault('/api/daily_papers', faults.unavailable(), 1); // 503 once, then normal
 *   ... httpGet(`${server.url}/api/daily_papers?date=2025-01-21`, ...)
 *   await server.close();
 *
 * Built-in routes:
 *   GET /api/daily_papers?date=YYYY-MM-DD | week=YYYY-Www | month=YYYY-MM [&p=N&limit=N]
 *       → the fixture items of that day/week/month (`[]` when there are none), paged.
 *       A fixture is any `*YYYY-MM-DD.json` file in fixturesDir (e.g. `hfdp-ml_2025-01-21.json`).
 *   GET /papers/(date|week|month)/X → `<htmlDir>/X.html`, or 404.
 *   With `arxivDir` (fixtures/arxiv), arXiv's two endpoints:
 *   GET /rss/<cat>[+<cat>…] → the feed fixture `rss-<cats>-<day>[-note].xml` of `server.arxiv.rssDay`
 *       (default: the latest day of a fixture without a note); categories without a fixture get an empty feed
 *       of that day, as arXiv serves on weekends.
 *   GET /api/query?search_query=cat:X [OR cat:Y] AND submittedDate:[FROM TO TO]&start&max_results
 *       → an Atom page built from the `<entry>`s of every `atom-*.xml` fixture plus
 *       `server.arxiv.entries`, filtered like arXiv (category, submission minute in GMT),
 *       oldest first, with opensearch totals; `server.arxiv.pageCap` serves fewer entries
 *       than asked for, as the real API sometimes does.
 * Requests also work in proxy form (`GET http://other.host/path`), so a test can use the
 * server as an HTTP proxy and see which URL the client asked it for.
 */
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/** An answer: status (default 200), headers (lower-case names) and body. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body: string | Buffer | Readable;
}

/** What can go wrong with one request. */
export type Fault =
  /** Wait before sending anything (to trip the client's headers timeout). */
  | { kind: 'delayHeaders'; ms: number }
  /** Send the headers and the first `afterBytes` bytes of the body, then nothing, ever. */
  | { kind: 'stallBody'; afterBytes: number }
  /** Answer with this status (e.g. 429 with Retry-After, 503). */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Destroy the socket as soon as the request arrives. */
  | { kind: 'reset' }
  /** Send the headers, then the body one byte every `intervalMs`, never idle long enough to trip an idle timeout. */
  | { kind: 'drip'; intervalMs: number }
  /** Announce the full Content-Length, send `sendBytes` of the body, then close the connection. */
  | { kind: 'truncate'; sendBytes: number }
  /** A fixed answer instead of the normal one (invalid JSON, a changed HTML page, `[]`…). */
  | { kind: 'reply'; reply: Reply }
  /** The normal answer under another Content-Type. */
  | { kind: 'contentType'; value: string }
  /** The normal answer compressed with this coding, whatever the client accepts. */
  | { kind: 'encode'; encoding: 'gzip' | 'br' | 'deflate' }
  /** A small gzip body that decodes to `decodedBytes` bytes of spaces. */
  | { kind: 'gzipBomb'; decodedBytes: number }
  /** Redirect to `location` (absolute, or relative to the request). */
  | { kind: 'redirect'; location: string | ((req: IncomingMessage) => string); status?: number };

/** Builders for the usual faults. */
export const faults = {
  delayHeaders: (ms: number): Fault => ({ kind: 'delayHeaders', ms }),
  stallBody: (afterBytes = 100): Fault => ({ kind: 'stallBody', afterBytes }),
  drip: (intervalMs = 200): Fault => ({ kind: 'drip', intervalMs }),
  status: (status: number, headers?: Record<string, string>): Fault => ({ kind: 'status', status, ...(headers ? { headers } : {}) }),
  tooManyRequests: (retryAfter?: string | number): Fault =>
    faults.status(429, retryAfter === undefined ? undefined : { 'retry-after': String(retryAfter) }),
  unavailable: (): Fault => faults.status(503),
  reset: (): Fault => ({ kind: 'reset' }),
  truncate: (sendBytes = 100): Fault => ({ kind: 'truncate', sendBytes }),
  reply: (reply: Reply): Fault => ({ kind: 'reply', reply }),
  invalidJson: (): Fault => faults.reply({ headers: { 'content-type': JSON_TYPE }, body: '[{"paper": {"id": "2501.0' }),
  emptyDay: (): Fault => faults.reply({ headers: { 'content-type': JSON_TYPE }, body: '[]' }),
  changedHtml: (): Fault => faults.reply({ headers: { 'content-type': HTML_TYPE }, body: CHANGED_HTML }),
  wrongContentType: (value = HTML_TYPE): Fault => ({ kind: 'contentType', value }),
  encode: (encoding: 'gzip' | 'br' | 'deflate'): Fault => ({ kind: 'encode', encoding }),
  gzipBomb: (decodedBytes = 64 * 1024 * 1024): Fault => ({ kind: 'gzipBomb', decodedBytes }),
  redirect: (location: string | ((req: IncomingMessage) => string), status = 302): Fault => ({ kind: 'redirect', location, status }),
};

/** Which requests a fault applies to: a path (`/api/daily_papers`), a full request target, a RegExp on it, or a predicate. */
export type Matcher = string | RegExp | ((req: IncomingMessage, url: URL) => boolean);

/** A request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** The request target: `/path?query`, or an absolute URL when sent through a proxy. */
  url: string;
  headers: IncomingHttpHeaders;
  /** When it arrived (performance.now(), ms): the gaps between requests show the waits between tries. */
  at: number;
}

/** A fault installed by setFault; `hits` counts the requests it applied to. */
export interface FaultHandle {
  readonly hits: number;
  readonly remaining: number;
}

export interface FaultServerOptions {
  /** Folder of `*YYYY-MM-DD.json` API fixtures. */
  fixturesDir?: string;
  /** Folder of `X.html` listing pages for `/papers/(date|week|month)/X`. */
  htmlDir?: string;
  /** Tried before the built-in routes; return undefined to fall through. */
  routes?: (req: IncomingMessage, url: URL) => Reply | undefined;
  /** Compress normal answers (br, else gzip) when the client accepts it. Default false. */
  compress?: boolean;
  /** Folder of arXiv fixtures (`rss-*.xml`, `atom-*.xml`) for `/rss/…` and `/api/query`. */
  arxivDir?: string;
}

/** What the arXiv routes serve; tests change it between runs. */
export interface ArxivState {
  /** The day of the RSS feed served (`YYYY-MM-DD`). */
  rssDay: string;
  /** Extra Atom `<entry>` elements, e.g. from atomEntry(). */
  entries: string[];
  /** Serve at most this many entries per API page, whatever max_results says. */
  pageCap: number | null;
}

export interface FaultServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Apply `fault` to matching requests, `times` times (default: always). Earlier faults win. */
  setFault(match: Matcher, fault: Fault, times?: number): FaultHandle;
  /** The arXiv routes' settings (with `arxivDir`); reset() restores them. */
  arxiv: ArxivState;
  /** Remove every fault and forget the recorded requests. */
  reset(): void;
  /** Stop listening and destroy open connections (stalled ones included). */
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const CHANGED_HTML =
  '<!doctype html><html><head><title>Daily Papers</title></head>' +
  '<body><main class="papers-v2"><h1>Daily Papers</h1><p>Something new is coming.</p></main></body></html>';

interface FaultRule {
  match: Matcher;
  fault: Fault;
  remaining: number;
  hits: number;
}

/** Start the server on 127.0.0.1 and a free port. */
export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const fixtures = indexFixtures(options.fixturesDir);
  const arxivFixtures = indexArxiv(options.arxivDir);
  const arxivDefaults = (): ArxivState => ({ rssDay: arxivFixtures.latestRssDay, entries: [], pageCap: null });
  const arxiv = arxivDefaults();
  const rules: FaultRule[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the test server: make it visible in the client's result, not a hang.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fault server error: ${String(err)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => undefined); // the client may be gone; that is often the point
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers }, at: performance.now() });
    const url = new URL(req.url ?? '/', 'http://fault.invalid');
    const fault = takeFault(req, url);

    switch (fault?.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'delayHeaders':
        await wait(fault.ms);
        if (req.socket.destroyed) return;
        break;
      case 'redirect': {
        const location = typeof fault.location === 'function' ? fault.location(req) : fault.location;
        return send(res, { status: fault.status ?? 302, headers: { location }, body: '' });
      }
      case 'status': {
        const body = fault.body ?? JSON.stringify({ error: http.STATUS_CODES[fault.status] ?? 'error' });
        return send(res, { status: fault.status, headers: { 'content-type': JSON_TYPE, ...fault.headers }, body });
      }
      case 'reply':
        return send(res, fault.reply);
      case 'gzipBomb':
        return send(res, {
          headers: { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' },
          body: gzipBomb(fault.decodedBytes),
        });
    }

    let reply = route(req, url);
    if (fault?.kind === 'contentType') reply = { ...reply, headers: { ...reply.headers, 'content-type': fault.value } };
    if (fault?.kind === 'encode') reply = encode(reply, fault.encoding);
    else if (options.compress) reply = negotiate(reply, req.headers['accept-encoding']);

    if (fault?.kind === 'drip') {
      const body = bufferOf(reply);
      res.writeHead(reply.status ?? 200, { ...reply.headers, 'content-length': String(body.length) });
      for (let i = 0; i < body.length && !req.socket.destroyed; i++) {
        await wait(fault.intervalMs);
        res.write(body.subarray(i, i + 1));
      }
      res.end();
      return;
    }
    if (fault?.kind === 'stallBody' || fault?.kind === 'truncate') {
      const body = bufferOf(reply);
      const sent = body.subarray(0, fault.kind === 'stallBody' ? fault.afterBytes : fault.sendBytes);
      res.writeHead(reply.status ?? 200, { ...reply.headers, 'content-length': String(body.length) });
      // Truncate: the connection closes with bytes still owed. Stall: it just stays open.
      res.write(sent, () => (fault.kind === 'truncate' ? req.socket.end() : undefined));
      return;
    }
    return send(res, reply);
  }

  function takeFault(req: IncomingMessage, url: URL): Fault | undefined {
    const rule = rules.find((r) => r.remaining > 0 && matches(r.match, req, url));
    if (!rule) return undefined;
    rule.remaining -= 1;
    rule.hits += 1;
    return rule.fault;
  }

  function route(req: IncomingMessage, url: URL): Reply {
    const custom = options.routes?.(req, url);
    if (custom) return custom;
    if (url.pathname === '/api/daily_papers') return dailyPapers(fixtures, url.searchParams);
    if (options.arxivDir && url.pathname.startsWith('/rss/')) return arxivRss(arxivFixtures, arxiv, decodeURIComponent(url.pathname.slice(5)));
    if (options.arxivDir && url.pathname === '/api/query') return arxivAtom(arxivFixtures, arxiv, url.searchParams);
    const page = /^\/papers\/(date|week|month)\/([\w-]+)$/.exec(url.pathname);
    if (page && options.htmlDir) {
      const html = readIfExists(path.join(options.htmlDir, `${page[2]}.html`));
      if (html !== undefined) return { headers: { 'content-type': HTML_TYPE }, body: html };
    }
    return { status: 404, headers: { 'content-type': JSON_TYPE }, body: '{"error":"Not Found"}' };
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setFault(match, fault, times = Infinity) {
      const rule: FaultRule = { match, fault, remaining: times, hits: 0 };
      rules.push(rule);
      return {
        get hits() {
          return rule.hits;
        },
        get remaining() {
          return rule.remaining;
        },
      };
    },
    arxiv,
    reset() {
      rules.length = 0;
      requests.length = 0;
      Object.assign(arxiv, arxivDefaults());
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}

function matches(match: Matcher, req: IncomingMessage, url: URL): boolean {
  if (typeof match === 'function') return match(req, url);
  const target = req.url ?? '/';
  if (match instanceof RegExp) return match.test(target);
  return match === url.pathname || match === target || match === `${url.pathname}${url.search}`;
}

function send(res: ServerResponse, reply: Reply): void {
  const status = reply.status ?? 200;
  if (reply.body instanceof Readable) {
    res.writeHead(status, reply.headers ?? {});
    // pipeline destroys the source when the client goes away, which tests can observe.
    pipeline(reply.body, res).catch(() => undefined);
    return;
  }
  const body = bufferOf(reply);
  res.writeHead(status, { ...reply.headers, 'content-length': String(body.length) });
  res.end(body);
}

function bufferOf(reply: Reply): Buffer {
  if (reply.body instanceof Readable) throw new Error('fault server: this fault needs a string or Buffer body');
  return typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
}

function encode(reply: Reply, encoding: 'gzip' | 'br' | 'deflate'): Reply {
  const raw = bufferOf(reply);
  const body = encoding === 'gzip' ? zlib.gzipSync(raw) : encoding === 'br' ? zlib.brotliCompressSync(raw) : zlib.deflateSync(raw);
  return { ...reply, headers: { ...reply.headers, 'content-encoding': encoding }, body };
}

function negotiate(reply: Reply, acceptEncoding: string | undefined): Reply {
  if (reply.body instanceof Readable) return reply;
  const accepted = (acceptEncoding ?? '').split(',').map((s) => s.trim().split(';')[0]);
  if (accepted.includes('br')) return encode(reply, 'br');
  if (accepted.includes('gzip')) return encode(reply, 'gzip');
  return reply;
}

const bombs = new Map<number, Buffer>();

/** Gzip of `n` spaces: about n/1000 bytes on the wire. Memoized, as building one costs ~200 ms per 64 MB. */
export function gzipBomb(n: number): Buffer {
  let bomb = bombs.get(n);
  if (!bomb) {
    bomb = zlib.gzipSync(Buffer.alloc(n, 0x20), { level: 9 });
    bombs.set(n, bomb);
  }
  return bomb;
}

// --- fixtures ----------------------------------------------------------------------------

/** Map each date to the fixture file whose name ends with it. */
function indexFixtures(dir: string | undefined): Map<string, string> {
  const index = new Map<string, string>();
  if (!dir) return index;
  for (const name of readdirSync(dir).sort()) {
    const m = /(\d{4}-\d{2}-\d{2})\.json$/.exec(name);
    // An exact `YYYY-MM-DD.json` wins over `prefix_YYYY-MM-DD.json`.
    if (m && (!index.has(m[1]!) || name === `${m[1]}.json`)) index.set(m[1]!, path.join(dir, name));
  }
  return index;
}

function dailyPapers(fixtures: Map<string, string>, q: URLSearchParams): Reply {
  const date = q.get('date');
  const week = q.get('week');
  const month = q.get('month');
  const days = [...fixtures.keys()]
    .sort()
    .filter((d) => (date ? d === date : week ? isoWeek(d) === week : month ? d.startsWith(`${month}-`) : false));
  const limit = q.has('limit') ? Number(q.get('limit')) : undefined;
  const page = Number(q.get('p') ?? 0);
  if (days.length === 1 && limit === undefined && page === 0) {
    // One whole day: the fixture's exact bytes, so tests can compare bodies byte for byte.
    return { headers: { 'content-type': JSON_TYPE }, body: readFileSync(fixtures.get(days[0]!)!) };
  }
  let items: unknown[] = days.flatMap((d) => JSON.parse(readFileSync(fixtures.get(d)!, 'utf8')) as unknown[]);
  if (limit !== undefined) items = items.slice(page * limit, (page + 1) * limit);
  else if (page > 0) items = [];
  return { headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(items) };
}

/** ISO 8601 week of a YYYY-MM-DD date, as `YYYY-Www`. */
export function isoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

// --- arXiv --------------------------------------------------------------------------------

const XML_TYPE = 'application/xml; charset=utf-8';
const RSS_TYPE = 'application/rss+xml; charset=utf-8';
const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

/** An Atom entry with what the server filters and sorts on. */
interface AtomEntry {
  id: string;
  xml: string;
  published: number;
  categories: string[];
}

interface ArxivFixtures {
  /** `cs.LG+cs.CL` → day → file. */
  rss: Map<string, Map<string, string>>;
  latestRssDay: string;
  entries: AtomEntry[];
}

/** The RSS fixtures by categories and day, and every entry of the Atom fixtures (the error example excluded). */
function indexArxiv(dir: string | undefined): ArxivFixtures {
  const out: ArxivFixtures = { rss: new Map(), latestRssDay: '2026-03-10', entries: [] };
  if (!dir) return out;
  const seen = new Set<string>();
  for (const name of readdirSync(dir).sort()) {
    const rss = /^rss-(.+)-(\d{4}-\d{2}-\d{2})(?:-[\w-]+)?\.xml$/.exec(name);
    if (rss) {
      const byDay = out.rss.get(rss[1]!) ?? new Map<string, string>();
      byDay.set(rss[2]!, path.join(dir, name));
      out.rss.set(rss[1]!, byDay);
      // The default day is the latest of a plain fixture (`-weekend` and such are served when asked for).
      if (rss[2]! > out.latestRssDay && !/\d-[\w-]+\.xml$/.test(name)) out.latestRssDay = rss[2]!;
    } else if (/^atom-.*\.xml$/.test(name) && !name.includes('error')) {
      for (const xml of readFileSync(path.join(dir, name), 'utf8').match(/<entry[\s>][\s\S]*?<\/entry>/g) ?? []) {
        const entry = parseEntry(xml);
        if (!seen.has(entry.id)) out.entries.push(entry);
        seen.add(entry.id);
      }
    }
  }
  return out;
}

function parseEntry(xml: string): AtomEntry {
  const id = /<id[^>]*>[^<]*\/abs\/([^<]+?)(?:v\d+)?<\/id>/.exec(xml)?.[1] ?? '';
  const published = Date.parse(/<published[^>]*>([^<]+)<\/published>/.exec(xml)?.[1] ?? '');
  const categories = [...xml.matchAll(/<category[^>]*term="([^"]+)"/g)].map((m) => m[1]!);
  return { id, xml, published, categories };
}

/** An Atom entry in arXiv's shape, for tests that need more entries than the fixtures have. */
export function atomEntry(e: { id: string; version?: number; published: string; title: string; categories: string[]; summary?: string; updated?: string }): string {
  const v = e.version ?? 1;
  const cats = e.categories.map((c) => `    <category term="${c}" scheme="http://arxiv.org/schemas/atom"/>`).join('\n');
  return `<entry>
    <id>http://arxiv.org/abs/${e.id}v${v}</id>
    <published>${e.published}</published>
    <updated>${e.updated ?? e.published}</updated>
    <title>${e.title}</title>
    <summary>${e.summary ?? `The abstract of ${e.title}.`}</summary>
    <author><name>Ada Lovelace</name></author>
    <link href="http://arxiv.org/abs/${e.id}v${v}" rel="alternate" type="text/html"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="${e.categories[0]}" scheme="http://arxiv.org/schemas/atom"/>
${cats}
  </entry>`;
}

/** The feed of `cats` on `state.rssDay`: its fixture, else an empty feed of that day. */
function arxivRss(fx: ArxivFixtures, state: ArxivState, cats: string): Reply {
  const file = fx.rss.get(cats)?.get(state.rssDay);
  if (file) return { headers: { 'content-type': RSS_TYPE }, body: readFileSync(file) };
  const pubDate = new Date(`${state.rssDay}T04:00:00Z`).toUTCString().replace('GMT', '+0000');
  const title = cats.split('+').join(', ');
  return {
    headers: { 'content-type': RSS_TYPE },
    body: `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
  <channel>
    <title>${title} updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/${cats}</link>
    <description>${title} updates on the arXiv.org e-print archive.</description>
    <pubDate>${pubDate}</pubDate>
    <skipDays><day>Saturday</day><day>Sunday</day></skipDays>
  </channel>
</rss>
`,
  };
}

/** `YYYYMMDDHHMM` (GMT) → ms. */
const minuteOf = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8)), Number(s.slice(8, 10)), Number(s.slice(10, 12)));

/** One page of the export API's answer to a `cat:… AND submittedDate:[…]` query. */
function arxivAtom(fx: ArxivFixtures, state: ArxivState, q: URLSearchParams): Reply {
  const query = q.get('search_query') ?? '';
  const cats = [...query.matchAll(/cat:([\w.-]+)/g)].map((m) => m[1]!);
  const range = /submittedDate:\[(\d{12}) TO (\d{12})\]/.exec(query);
  const from = range ? minuteOf(range[1]!) : -Infinity;
  const to = range ? minuteOf(range[2]!) + 59_999 : Infinity;
  const pool = [...fx.entries, ...state.entries.map(parseEntry)];
  const hits = pool
    .filter((e) => e.published >= from && e.published <= to && e.categories.some((c) => cats.includes(c)))
    .sort((a, b) => a.published - b.published || (a.id < b.id ? -1 : 1));
  const start = Number(q.get('start') ?? 0);
  const max = Number(q.get('max_results') ?? 10);
  const page = hits.slice(start, start + Math.min(max, state.pageCap ?? max));
  const title = `ArXiv Query: search_query=${query}&amp;id_list=&amp;start=${start}&amp;max_results=${max}`;
  const body = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <link href="http://arxiv.org/api/query?search_query=${encodeURIComponent(query)}&amp;start=${start}&amp;max_results=${max}" rel="self" type="application/atom+xml"/>
  <title>${title.replace(/</g, '&lt;')}</title>
  <id>http://arxiv.org/api/fault-server</id>
  <updated>2026-03-12T00:00:00-04:00</updated>
  <opensearch:totalResults>${hits.length}</opensearch:totalResults>
  <opensearch:startIndex>${start}</opensearch:startIndex>
  <opensearch:itemsPerPage>${max}</opensearch:itemsPerPage>
${page.map((e) => '  ' + e.xml).join('\n')}
</feed>
`;
  return { headers: { 'content-type': ATOM_TYPE }, body };
}

/** The arXiv error feed (fixtures/arxiv/atom-error-example.xml) as a fault. */
export function arxivErrorFeed(dir: string): Fault {
  return { kind: 'reply', reply: { headers: { 'content-type': ATOM_TYPE }, body: readFileSync(path.join(dir, 'atom-error-example.xml')) } };
}

/** An XML answer cut off after `bytes` bytes, with a correct Content-Length: well-formed HTTP, broken XML. */
export function cutXml(body: string, bytes: number): Fault {
  return { kind: 'reply', reply: { headers: { 'content-type': XML_TYPE }, body: body.slice(0, bytes) } };
}
