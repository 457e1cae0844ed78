/**
 * End to end: arXiv as a second source. `papers fetch|today|list --source arxiv:…`
 * against the loopback fault server (PAPERS_ARXIV_RSS → /rss, PAPERS_ARXIV_API →
 * /api/query, both serving fixtures/arxiv), merged with Hugging Face (HF_ENDPOINT → the
 * same server, serving fixtures/arxiv/hf-2026-03-10.json), with a temp database; the
 * faults, exit codes and the cross-process request gate.
 *
 * The days: the RSS fixtures are the feed of Tuesday 2026-03-10 (and an empty Saturday
 * 2026-03-14); the Atom fixture's four entries were submitted Sun 8 – Mon 9 March before
 * 14:00 New York time, so they are announced — listed — on 2026-03-10 too.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { arxivErrorFeed, atomEntry, cutXml, faults, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { hostFailures, lines, snapshot } from '../support/online.js';
import { FIXTURES, runPapers, tempDb, type RunOptions } from '../support/run.js';

const ARXIV = join(FIXTURES, 'arxiv');
const DAY = '2026-03-10';
/** Thursday after DAY: DAY is a past day, fetched from the API. */
const THU = '2026-03-12T10:00:00Z';
/** DAY itself, after the announcement: fetched from the RSS feed. */
const TUE = '2026-03-10T12:00:00Z';
/** A Saturday: an empty feed. */
const SAT = '2026-03-14T12:00:00Z';
/** The API query of DAY's submission window in cs.LG (Fri 6 Mar 14:00 EST … Mon 9 Mar 13:59 EDT, in GMT). */
const QUERY = '/api/query?search_query=cat:cs.LG+AND+submittedDate:[202603061900+TO+202603091759]&start=0&max_results=500&sortBy=submittedDate&sortOrder=ascending';
const ATOM_IDS = ['2603.07901', '2603.07980', '2603.08660', '2603.08706'];

type Env = Record<string, string | undefined>;

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer({ fixturesDir: ARXIV, arxivDir: ARXIV });
});
afterAll(async () => server?.close());
beforeEach(() => server.reset());

/** `papers` online against the fault server with a temp database; arXiv's delay 0. */
function online(db = tempDb()) {
  const env = (extra: Env = {}): Env => ({
    PAPERS_DB: db,
    HF_ENDPOINT: server.url,
    PAPERS_ARXIV_RSS: `${server.url}/rss`,
    PAPERS_ARXIV_API: `${server.url}/api/query`,
    PAPERS_ARXIV_DELAY_MS: '0',
    PAPERS_OFFLINE: undefined,
    PAPERS_NOW: THU,
    PAPERS_RETRIES: '0',
    PAPERS_TIMEOUT: '5',
    ...extra,
  });
  const run = (args: string[], extra: Env = {}, opts: RunOptions = {}) => runPapers(args, { ...opts, env: env(extra) });
  return { db, run, env };
}

/** Every column of papers (but the row number and timestamps) and every listing. */
function dump(db: string) {
  const conn = new Database(db, { readonly: true });
  try {
    const papers = (conn.prepare('SELECT * FROM papers ORDER BY id').all() as Array<Record<string, unknown>>).map(
      ({ pk: _pk, ...rest }) => rest,
    );
    return {
      papers,
      listings: conn.prepare('SELECT source, day, paper_id, rank, upvotes FROM listings ORDER BY source, day, paper_id').all() as Array<Record<string, unknown>>,
      fetches: conn.prepare('SELECT source, period, item_count, status, detail FROM fetches ORDER BY id').all() as Array<Record<string, unknown>>,
    };
  } finally {
    conn.close();
  }
}

const requested = () => server.requests.map((r) => r.url);
const apiStarts = () => server.requests.filter((r) => r.url.startsWith('/api/query')).map((r) => Number(new URL(r.url, 'http://x').searchParams.get('start')));
const outLines = (stdout: string) => stdout.split('\n').filter(Boolean);

describe('papers fetch --source arxiv:CAT', () => {
  it('a past day: one API query of the submissions announced that day, listed on that day', async () => {
    const { run, db } = online();
    const r = await run(['fetch', '--source', 'arxiv:cs.LG', '--date', DAY]);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: `fetched arxiv:cs.LG ${DAY}: 4 read, 4 new, 0 updated, 0 unchanged\n` });
    expect(requested()).toEqual([QUERY]);
    expect(server.requests[0]!.headers['accept']).toMatch(/^application\/atom\+xml/);
    expect(server.requests[0]!.headers['user-agent']).toMatch(/^papers\//);
    const d = dump(db);
    expect(d.listings.map((l) => [l.source, l.day, l.paper_id, l.rank])).toEqual([
      ['arxiv:cs.LG', DAY, '2603.07901', 1],
      ['arxiv:cs.LG', DAY, '2603.07980', 2],
      ['arxiv:cs.LG', DAY, '2603.08660', 3],
      ['arxiv:cs.LG', DAY, '2603.08706', 4],
    ]);
    expect(d.fetches).toEqual([{ source: 'arxiv:cs.LG', period: DAY, item_count: 4, status: 'ok', detail: 'api' }]);
    expect(d.papers.find((p) => p.id === '2603.08660')).toMatchObject({ version: 2, primary_category: 'cs.LG', categories: 'cs.LG cs.CL' });
    // Fresh now: nothing is asked again.
    const again = await run(['fetch', '--source', 'arxiv:cs.LG', '--date', DAY]);
    expect(again.stderr).toBe(`papers: nothing to fetch from arxiv:cs.LG: ${DAY} is up to date (--refresh fetches it again)\n`);
    expect(requested()).toHaveLength(1);
  });

  it('pages through opensearch:totalResults, advancing by the entries received', async () => {
    const { run, db } = online();
    // 600 more submissions in the window: 604 in all, pages of 500.
    server.arxiv.entries = Array.from({ length: 600 }, (_, i) =>
      atomEntry({ id: `2603.${String(10000 + i)}`, published: new Date(Date.parse('2026-03-07T12:00:00Z') + i * 60_000).toISOString(), title: `Paper ${i}`, categories: ['cs.LG'] }),
    );
    const r = await run(['fetch', '--source', 'arxiv:cs.LG', '--date', DAY]);
    expect(r).toMatchObject({ code: 0, stderr: `fetched arxiv:cs.LG ${DAY}: 604 read, 604 new, 0 updated, 0 unchanged\n` });
    expect(apiStarts()).toEqual([0, 500]);
    // A server that sends fewer entries than asked for (as arXiv sometimes does): nothing is skipped.
    server.reset();
    server.arxiv.pageCap = 3;
    const { run: run2, db: db2 } = online();
    expect((await run2(['fetch', '--source', 'arxiv:cs.LG', '--date', DAY])).code).toBe(0);
    expect(apiStarts()).toEqual([0, 3]);
    expect(dump(db2).listings.map((l) => l.paper_id)).toEqual(ATOM_IDS);
    expect(dump(db).listings).toHaveLength(604);
  });

  it("today: the RSS feed (new, cross-lists and replacements), listed on the feed's day", async () => {
    const { run, db } = online();
    const r = await run(['fetch', '--source', 'arxiv:cs.LG', '--date', 'today'], { PAPERS_NOW: TUE });
    expect(r).toMatchObject({ code: 0, stderr: `fetched arxiv:cs.LG ${DAY}: 10 read, 10 new, 0 updated, 0 unchanged\n` });
    expect(requested()).toEqual(['/rss/cs.LG']);
    expect(server.requests[0]!.headers['accept']).toMatch(/^application\/rss\+xml/);
    const d = dump(db);
    expect(d.listings).toHaveLength(10);
    expect(d.fetches).toEqual([{ source: 'arxiv:cs.LG', period: DAY, item_count: 10, status: 'ok', detail: 'rss' }]);
    // A replacement carries its newer version; an old-style id would work the same (see the API test below).
    expect(d.papers.find((p) => p.id === '2508.15881')).toMatchObject({ version: 3, doi: '10.48550/arXiv.2508.15881', journal_ref: 'Proceedings of MLSys 2026' });
    // The same day from the API later: the feed's order stays (the API ranks by submission time).
    const api = await run(['fetch', '--source', 'arxiv:cs.LG', '--date', DAY, '--refresh']);
    expect(api).toMatchObject({ code: 0, stderr: `fetched arxiv:cs.LG ${DAY}: 4 read, 0 new, 4 updated, 0 unchanged\n` });
    expect(dump(db).listings).toEqual(d.listings);
  });

  it('by default today and the 2 days before: the feed for today, the API for a weekday, nothing asked for a Sunday', async () => {
    const { run } = online();
    const r = await run(['fetch', '--source', 'arxiv:cs.LG'], { PAPERS_NOW: TUE });
    expect(r).toMatchObject({ code: 0, stderr: 'fetched arxiv:cs.LG 3 days, 2026-03-08 … 2026-03-10: 10 read, 10 new, 0 updated, 0 unchanged\n' });
    expect(requested()).toEqual([
      '/api/query?search_query=cat:cs.LG+AND+submittedDate:[202603051900+TO+202603061859]&start=0&max_results=500&sortBy=submittedDate&sortOrder=ascending',
      '/rss/cs.LG',
    ]);
  });

  it('a bare `arxiv` source means the config\'s categories: for fetch, and for today and list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-arxiv-config-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ categories: ['cs.LG'], sources: ['hf', 'arxiv'] }));
    const { run } = online();
    // `papers fetch` with no --source takes every configured source: HF, and arXiv's cs.LG.
    const r = await run(['fetch', '--date', 'today'], { PAPERS_NOW: TUE, PAPERS_CONFIG: config });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[1]).toMatch(/^fetched arxiv:cs\.LG 2026-03-10: /);
    expect(requested()).toContain('/rss/cs.LG');
    server.reset();
    const today = await run(['today', '--source', 'arxiv'], { PAPERS_NOW: TUE, PAPERS_CONFIG: config });
    expect(today.code).toBe(0);
    // Fresh: nothing asked again, and the papers of cs.LG's day are shown.
    expect(requested()).toEqual([]);
    expect(outLines(today.stdout).length).toBeGreaterThan(0);
  });

  it('a weekend feed is an empty day: recorded, exit 0, and `today` shows the latest announcement', async () => {
    const { run, db } = online();
    server.arxiv.rssDay = '2026-03-14';
    const r = await run(['fetch', '--source', 'arxiv:cs.LG', '--date', 'today'], { PAPERS_NOW: SAT });
    expect(r).toMatchObject({ code: 0, stderr: 'fetched arxiv:cs.LG 2026-03-14: 0 read, 0 new, 0 updated, 0 unchanged; no papers listed that day\n' });
    expect(dump(db).fetches).toEqual([{ source: 'arxiv:cs.LG', period: '2026-03-14', item_count: 0, status: 'ok', detail: 'rss' }]);
    server.reset();
    server.arxiv.rssDay = '2026-03-14';
    const today = await run(['today', '--source', 'arxiv:cs.LG'], { PAPERS_NOW: SAT });
    expect(today.code).toBe(0);
    expect(today.stderr).toBe('papers: no papers listed on 2026-03-14 (a Saturday: arXiv announces nothing on weekends); showing 2026-03-10, the latest day with papers\n');
    expect(outLines(today.stdout).map((l) => l.split('\t')[0])).toEqual(ATOM_IDS);
    expect(outLines(today.stdout).every((l) => l.split('\t')[2] === DAY)).toBe(true);
    // Saturday is fresh; Wed, Thu, Fri, then Mon and Tue from the API (each asks for the submissions
    // since the deadline of the weekday before the one before it); Sunday is never asked.
    expect(requested().map((u) => /submittedDate:\[(\d{8})/.exec(u)?.[1])).toEqual(['20260309', '20260310', '20260311', '20260305', '20260306']);
  });

  it('several categories: one feed request (`+`, or the flag repeated), each paper once, listed under each category', async () => {
    const { run, db } = online();
    const r = await run(['fetch', '--source', 'arxiv:cs.LG', '--source', 'arxiv:cs.CL', '--date', 'today'], { PAPERS_NOW: TUE });
    expect(r).toMatchObject({ code: 0, stderr: `fetched arxiv:cs.LG+cs.CL ${DAY}: 10 read, 10 new, 0 updated, 0 unchanged\n` });
    expect(requested()).toEqual(['/rss/cs.LG+cs.CL']);
    const d = dump(db);
    expect(d.listings).toHaveLength(14);
    expect(d.fetches.map((f) => [f.source, f.item_count])).toEqual([
      ['arxiv:cs.LG', d.listings.filter((l) => l.source === 'arxiv:cs.LG').length],
      ['arxiv:cs.CL', d.listings.filter((l) => l.source === 'arxiv:cs.CL').length],
    ]);
    // The API: one query for both, each entry under the categories it is in.
    server.reset();
    const { run: run2, db: db2 } = online();
    const api = await run2(['fetch', '--source', 'arxiv:cs.LG+cs.CL', '--date', DAY]);
    expect(api.stderr).toBe(`fetched arxiv:cs.LG+cs.CL ${DAY}: 4 read, 4 new, 0 updated, 0 unchanged\n`);
    expect(requested()[0]).toMatch(/^\/api\/query\?search_query=\(cat:cs\.LG\+OR\+cat:cs\.CL\)\+AND\+submittedDate:/);
    const cl = dump(db2).listings.filter((l) => l.source === 'arxiv:cs.CL').map((l) => l.paper_id);
    expect(cl).toEqual(['2603.07980', '2603.08660', '2603.08706']);
  });

  it('hf and arXiv in one run: a summary line each', async () => {
    const { run } = online();
    const r = await run(['fetch', '--source', 'hf', '--source', 'arxiv:cs.LG', '--date', DAY]);
    expect(r.code).toBe(0);
    expect(lines(r)).toEqual([`fetched ${DAY}: 8 read, 8 new, 0 updated, 0 unchanged`, `fetched arxiv:cs.LG ${DAY}: 4 read, 0 new, 4 updated, 0 unchanged`]);
    // One source failing does not keep the other from being fetched; the exit code is the failure's.
    server.reset();
    server.setFault('/api/daily_papers', faults.unavailable());
    const { run: run2, db: db2 } = online();
    const half = await run2(['fetch', '--source', 'arxiv:cs.LG', '--source', 'hf', '--date', DAY]);
    expect(half.code).toBe(3);
    expect(lines(half)).toEqual([
      `fetched arxiv:cs.LG ${DAY}: 4 read, 4 new, 0 updated, 0 unchanged`,
      expect.stringMatching(new RegExp(`^papers: could not fetch ${DAY} from 127\\.0\\.0\\.1:\\d+ \\(HTTP 503 Service Unavailable; the listing page did not work either: HTTP 404 Not Found\\)$`)),
    ]);
    expect(dump(db2).listings).toHaveLength(4);
  });

  it('old-style ids: hep-ex/0307015 from the API', async () => {
    const { run, db } = online();
    const r = await run(['fetch', '--source', 'arxiv:hep-ex', '--date', '2003-07-08']);
    expect(r).toMatchObject({ code: 0, stderr: 'fetched arxiv:hep-ex 2003-07-08: 1 read, 1 new, 0 updated, 0 unchanged\n' });
    expect(dump(db).listings).toEqual([{ source: 'arxiv:hep-ex', day: '2003-07-08', paper_id: 'hep-ex/0307015', rank: 1, upvotes: null }]);
    const show = await run(['show', 'hep-ex/0307015', '--json'], { PAPERS_OFFLINE: '1' });
    expect(JSON.parse(show.stdout)).toMatchObject({ id: 'hep-ex/0307015', version: 1, listings: [{ source: 'arxiv:hep-ex', day: '2003-07-08' }] });
  });

  it.each([
    [['fetch', '--source', 'arxiv'], {}, /^papers: name the arXiv categories to fetch: --source arxiv:cs\.LG/],
    [['fetch', '--source', 'arxiv:cs.LG;rm'], {}, /^papers: invalid --source "arxiv:cs\.LG;rm": "cs\.LG;rm" is not an arXiv category/],
    [['fetch', '--source', 'hf-search'], {}, /^papers: invalid --source "hf-search"/],
    [['fetch', '--source', 'arxiv:cs.LG'], { PAPERS_ARXIV_DELAY_MS: 'soon' }, /^papers: invalid PAPERS_ARXIV_DELAY_MS "soon"/],
    [['fetch', '--source', 'arxiv:cs.LG'], { PAPERS_ARXIV_API: undefined }, /^papers: PAPERS_TEST is set: point PAPERS_ARXIV_RSS and PAPERS_ARXIV_API at a test server/],
    [['fetch', '--source', 'arxiv:cs.LG'], { PAPERS_ARXIV_RSS: 'ftp://rss.arxiv.org' }, /^papers: PAPERS_ARXIV_RSS must be an http\(s\) URL/],
  ])('usage error %j %j → exit 2, one line, no request', async (args, env, message) => {
    const { run } = online();
    const r = await run(args, env);
    expect(r.code).toBe(2);
    expect(lines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });
});

/** `xml` with elements nested `depth` deep just inside its first `tag`. */
const nest = (xml: string, tag: string, depth: number) => xml.replace(new RegExp(`<${tag}[\\s>][^>]*>`), (open) => open + '<x>'.repeat(depth) + '</x>'.repeat(depth));
const DEEP = /elements nested more than 256 deep \(line \d+\), which no arXiv feed does; this is not a feed papers can read\)$/;

describe('faults: exit code, one line, database unchanged', () => {
  /** A database with DAY's cs.LG feed in it. */
  async function seeded() {
    const o = online();
    expect((await o.run(['fetch', '--source', 'arxiv:cs.LG', '--date', 'today'], { PAPERS_NOW: TUE })).code).toBe(0);
    server.reset();
    return o;
  }
  const body = readFileSync(join(ARXIV, 'atom-cs.LG-2026-03-09.xml'), 'utf8');
  const rssBody = readFileSync(join(ARXIV, 'rss-cs.LG-2026-03-10.xml'), 'utf8');
  const feedError = rssBody.replace('<title>cs.LG updates on arXiv.org</title>', '<title>Feed error for query: cs.XX</title>').replace(/<description>[^<]*<\/description>/, '<description>Invalid category: cs.XX</description>');

  it.each([
    ['the API answers 503', 3, '/api/query', faults.unavailable(), 'now', /\(HTTP 503 Service Unavailable\)$/],
    ['the API answers its error feed', 3, '/api/query', arxivErrorFeed(ARXIV), 'now', /\(arXiv API error: incorrect id format for 1234\.12345\)$/],
    ['the API sends truncated XML', 4, '/api/query', cutXml(body, 4000), 'now', /\(not well-formed XML \(line \d+: .+\); the response may be cut short, fetch it again\)$/],
    ['the API connection drops mid-body', 3, '/api/query', faults.truncate(200), 'now', /\((connection to 127\.0\.0\.1:\d+ was closed unexpectedly|response from 127\.0\.0\.1:\d+ ended early.*)\)$/],
    ['the API sends HTML', 4, '/api/query', faults.changedHtml(), 'now', /not an Atom feed/],
    ['the feed answers 503', 3, '/rss/cs.CL', faults.unavailable(), 'today', /\(HTTP 503 Service Unavailable\)$/],
    ['the feed is an error feed', 3, '/rss/cs.CL', faults.reply({ headers: { 'content-type': 'application/rss+xml' }, body: feedError }), 'today', /\(arXiv RSS error: Invalid category: cs\.XX\)$/],
    ['the feed nests elements 100,000 deep', 4, '/rss/cs.CL', faults.reply({ headers: { 'content-type': 'application/rss+xml' }, body: nest(rssBody, 'item', 100_000) }), 'today', DEEP],
    ['the API nests elements 100,000 deep', 4, '/api/query', faults.reply({ headers: { 'content-type': 'application/atom+xml' }, body: nest(body, 'entry', 100_000) }), 'now', DEEP],
  ] as const)('%s → exit %i', async (_name, code, path, fault, when, message) => {
    const { run, db } = await seeded();
    const before = snapshot(db);
    server.setFault(path, fault);
    const r = await run(['fetch', '--source', 'arxiv:cs.CL', '--date', when === 'today' ? 'today' : DAY], when === 'today' ? { PAPERS_NOW: TUE } : {});
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(lines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^papers: could not fetch arxiv:cs\\.CL ${DAY} from 127\\.0\\.0\\.1:\\d+ \\(`));
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(snapshot(db).equals(before)).toBe(true);
  });

  it('503 once, then 200: stored after a retry that waited the delay', async () => {
    const { run, db } = online();
    server.setFault('/api/query', faults.unavailable(), 1);
    const r = await run(['fetch', '--source', 'arxiv:cs.LG', '--date', DAY], { PAPERS_RETRIES: '1', PAPERS_ARXIV_DELAY_MS: '300' });
    expect(r).toMatchObject({ code: 0, stderr: `fetched arxiv:cs.LG ${DAY}: 4 read, 4 new, 0 updated, 0 unchanged\n` });
    // The retry came after the delay, as the server saw it (a few ms of timer slack).
    const [first, retry] = server.requests.filter((q) => q.url.startsWith('/api/query'));
    expect(retry!.at - first!.at).toBeGreaterThanOrEqual(290);
    expect(dump(db).listings).toHaveLength(4);
  });

  it('today with the feed failing and the day cached: the cache with a warning, exit 0', async () => {
    const { run, db } = await seeded();
    const before = snapshot(db);
    server.setFault('/rss/cs.LG', faults.unavailable());
    const r = await run(['today', '--source', 'arxiv:cs.LG'], { PAPERS_NOW: '2026-03-10T14:00:00Z' });
    expect(r.code).toBe(0);
    expect(outLines(r.stdout)).toHaveLength(10);
    expect(lines(r)).toEqual([
      expect.stringMatching(/^papers: could not fetch arxiv:cs\.LG 2026-03-10 from 127\.0\.0\.1:\d+ \(HTTP 503 Service Unavailable\); showing what the database has$/),
    ]);
    expect(snapshot(db).equals(before)).toBe(true);
  });

  it('today with the feed failing and nothing cached: exit 3', async () => {
    const { run } = online();
    server.setFault('/rss/cs.LG', faults.unavailable());
    const r = await run(['today', '--source', 'arxiv:cs.LG'], { PAPERS_NOW: TUE });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^papers: could not fetch arxiv:cs\.LG 2026-03-10 from 127\.0\.0\.1:\d+ \(HTTP 503 Service Unavailable\), and the database has nothing for it; /);
  });
});

describe('today, list and show with arXiv', () => {
  it('today --source arxiv:cs.LG: the feed, printed like a listing', async () => {
    const { run } = online();
    const r = await run(['today', '--source', 'arxiv:cs.LG'], { PAPERS_NOW: TUE });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(outLines(r.stdout)).toHaveLength(10);
    const tty = await run(['today', '--source', 'arxiv:cs.LG', '--color', 'never'], { PAPERS_NOW: '2026-03-10T12:10:00Z', PAPERS_FORCE_TTY: '1', COLUMNS: '100' });
    expect(tty.stdout).toMatch(/^arXiv cs\.LG · 2026-03-10 · 10 papers\n/);
    expect(requested()).toEqual(['/rss/cs.LG']);
    // A bare `arxiv` names no category: the database as it is, never the network.
    const any = await run(['today', '--source', 'arxiv'], { PAPERS_NOW: '2026-03-11T12:00:00Z' });
    expect(any.code).toBe(0);
    expect(any.stderr).toBe('papers: no papers listed on 2026-03-11 (not in the database; name a category to fetch it: --source arxiv:cs.LG); showing 2026-03-10, the latest day with papers\n');
    expect(outLines(any.stdout)).toHaveLength(10);
    expect(requested()).toHaveLength(1);
    const none = await online().run(['today', '--source', 'arxiv']);
    expect(none).toMatchObject({ code: 1, stderr: 'papers: no papers from arxiv in the database yet: fetch a category with `papers today --source arxiv:cs.LG` or `papers fetch --source arxiv:cs.LG`\n' });
  });

  it('today without --source is still Daily Papers only', async () => {
    const { run } = online();
    await run(['fetch', '--source', 'arxiv:cs.LG', '--date', 'today'], { PAPERS_NOW: TUE });
    const r = await run(['today'], { PAPERS_NOW: TUE });
    expect(r.code).toBe(0);
    expect(outLines(r.stdout)).toHaveLength(8);
    expect(requested()).toEqual(['/rss/cs.LG', `/api/daily_papers?date=${DAY}&limit=100&p=0`]);
  });

  it('list --source and --category', async () => {
    const { run } = online();
    await run(['fetch', '--source', 'arxiv:cs.LG+cs.CL', '--date', 'today'], { PAPERS_NOW: TUE });
    await run(['fetch', '--date', DAY], { PAPERS_NOW: TUE });
    server.reset();
    const ids = async (args: string[], env: Env = {}) => {
      const r = await run(['list', '--date', DAY, ...args], { PAPERS_NOW: TUE, ...env });
      return { code: r.code, ids: outLines(r.stdout).map((l) => l.split('\t')[0]!).sort() };
    };
    const all = await ids(['--source', 'arxiv']);
    expect(all.ids).toHaveLength(10);
    const cl = await ids(['--source', 'arxiv:cs.CL']);
    expect(cl.ids.length).toBeGreaterThan(0);
    expect(cl.ids.length).toBeLessThan(10);
    // --category: any paper with the category, whoever listed it (HF papers gained theirs from arXiv).
    const cat = await ids(['--category', 'cs.CV', '--offline']);
    expect(cat.ids).toEqual(['2603.07888', '2603.08709']);
    const hf = await ids(['--source', 'hf']);
    expect(hf.ids).toHaveLength(8);
    // All of it was fresh: nothing asked.
    expect(server.requests).toHaveLength(0);
    // A category never fetched is fetched for a range; an empty answer is exit 1.
    const cv = await run(['list', '--date', '2026-03-09', '--source', 'arxiv:cs.CV'], { PAPERS_NOW: TUE });
    expect(cv).toMatchObject({ code: 1, stderr: 'papers: no papers listed on 2026-03-09\n' });
    expect(requested()).toHaveLength(1);
    expect(requested()[0]).toMatch(/^\/api\/query\?search_query=cat:cs\.CV\+AND\+/);
  });

  it('HF then arXiv and arXiv then HF give the same database; show lists both', async () => {
    const steps = {
      hf: ['fetch', '--date', DAY],
      rss: ['fetch', '--source', 'arxiv:cs.LG', '--date', 'today'],
      api: ['fetch', '--source', 'arxiv:cs.LG', '--date', DAY, '--refresh'],
    };
    const build = async (order: Array<keyof typeof steps>) => {
      const o = online();
      for (const step of order) expect((await o.run(steps[step], { PAPERS_NOW: step === 'rss' ? TUE : THU })).code).toBe(0);
      return o;
    };
    const a = await build(['hf', 'rss', 'api']);
    const b = await build(['rss', 'api', 'hf']);
    const c = await build(['rss', 'hf', 'api']);
    expect(dump(b.db).papers).toEqual(dump(a.db).papers);
    expect(dump(b.db).listings).toEqual(dump(a.db).listings);
    expect(dump(c.db).papers).toEqual(dump(a.db).papers);
    expect(dump(c.db).listings).toEqual(dump(a.db).listings);

    const json = JSON.parse((await a.run(['show', '2603.08706', '--json'], { PAPERS_OFFLINE: '1' })).stdout);
    expect(json).toMatchObject({
      upvotes: 5,
      categories: ['cs.LG', 'cs.AI', 'cs.CL'],
      primaryCategory: 'cs.LG',
      doi: '10.48550/arXiv.2603.08706',
      journalRef: 'Proceedings of the 43rd International Conference on Machine Learning (2026)',
      version: 1,
    });
    expect(json.listings.map((l: { source: string }) => l.source).sort()).toEqual(['arxiv:cs.LG', 'hf']);
    // A cross-list seen first in the feed (primary unknown) keeps the API's primary first.
    expect(dump(a.db).papers.find((p) => p.id === '2603.07901')).toMatchObject({ primary_category: 'cs.RO', categories: 'cs.RO cs.AI cs.LG' });

    const text = (await a.run(['show', '2603.08706'], { PAPERS_OFFLINE: '1' })).stdout;
    expect(text).toMatch(/^Listed {5}arxiv:cs\.LG 2026-03-10 \(#\d+\), hf 2026-03-10 \(#\d+\)$/m);
    expect(text).toMatch(/^Categories cs\.LG \(primary\), cs\.AI, cs\.CL$/m);
    expect(text).toMatch(/^Version {4}v1, updated 2026-03-09$/m);
    expect(text).toMatch(/^DOI {8}https:\/\/doi\.org\/10\.48550\/arXiv\.2603\.08706$/m);
    expect(text).toMatch(/^Journal {4}Proceedings of the 43rd International Conference on Machine Learning \(2026\)$/m);
    expect(text).toContain('▲ 5');
  });
});

describe('the request gate across processes', () => {
  it('two processes on one database never ask arXiv at once, and start at least the delay apart', async () => {
    const arrivals: number[] = [];
    const slow = await startFaultServer({
      arxivDir: ARXIV,
      routes: () => {
        arrivals.push(Date.now());
        return undefined;
      },
    });
    try {
      // Every answer takes 150 ms; the delay is 400 ms.
      slow.setFault('/api/query', faults.delayHeaders(150));
      const o = online();
      const env = { PAPERS_ARXIV_RSS: `${slow.url}/rss`, PAPERS_ARXIV_API: `${slow.url}/api/query`, PAPERS_ARXIV_DELAY_MS: '400' };
      const week = ['--since', '2026-03-09', '--until', '2026-03-11'];
      const [a, b] = await Promise.all([
        o.run(['fetch', '--source', 'arxiv:cs.LG', ...week], env),
        o.run(['fetch', '--source', 'arxiv:cs.CL', ...week], env),
      ]);
      expect([a.code, b.code]).toEqual([0, 0]);
      expect(arrivals).toHaveLength(6);
      const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
      // 400 ms apart (a few ms of timer slack), so never two in flight (each takes 150 ms).
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(380);
      // Both processes' requests are interleaved or sequential, but each was asked once.
      expect(new Set(slow.requests.map((r) => r.url)).size).toBe(6);
    } finally {
      await slow.close();
    }
  });

  it('a process holding the turn does not keep another waiting past its budget: exit 3, nothing stored, the host not blamed', async () => {
    const o = online();
    // A first fetch creates the lock file; then a neighbour takes the turn and never lets go (stuck, or stopped).
    expect((await o.run(['fetch', '--source', 'arxiv:cs.LG', '--date', 'today'], { PAPERS_NOW: TUE })).code).toBe(0);
    const holder = new Database(`${o.db}-arxiv.lock`);
    holder.exec('BEGIN IMMEDIATE');
    try {
      server.reset();
      const before = snapshot(o.db);
      // --timeout 1: a budget of 5 s; without one the wait would outlast the test.
      const r = await o.run(['fetch', '--source', 'arxiv:cs.LG', '--date', DAY], { PAPERS_TIMEOUT: '1' });
      expect(r.code).toBe(3);
      expect(lines(r).at(-1)).toMatch(/^papers: could not fetch arxiv:cs\.LG 2026-03-10 from 127\.0\.0\.1:\d+ \(another papers process has held arXiv's turn for [\d.]+ s \(lock: .*-arxiv\.lock\), past the time allowed; try again once it is done\)$/);
      expect(server.requests).toHaveLength(0);
      expect(snapshot(o.db).equals(before)).toBe(true);
      expect(hostFailures(o.db)).toEqual([]);

      // A listing with the day to show waits its 5 s at most, then shows it.
      const today = await o.run(['today', '--source', 'arxiv:cs.LG'], { PAPERS_NOW: '2026-03-10T14:00:00Z', PAPERS_TIMEOUT: undefined, PAPERS_MAX_AGE: '0' });
      expect(today.code).toBe(0);
      expect(outLines(today.stdout)).toHaveLength(10);
      expect(lines(today).at(-1)).toMatch(/another papers process has held arXiv's turn .*; showing what the database has$/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  }, 40_000);
});

describe('deeply nested XML', () => {
  const rss = readFileSync(join(ARXIV, 'rss-cs.LG-2026-03-10.xml'), 'utf8');
  const atom = readFileSync(join(ARXIV, 'atom-cs.LG-2026-03-09.xml'), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'papers-deep-'));

  it.each([
    ['RSS', 10_000, rss, 'item'],
    ['RSS', 400_000, rss, 'item'],
    ['Atom', 100_000, atom, 'entry'],
  ] as const)('r14_deep_xml: importing %s nested %i deep is exit 4 with one line, and nothing stored', async (kind, depth, xml, tag) => {
    const file = join(dir, `${kind}-${depth}.xml`);
    writeFileSync(file, nest(xml, tag, depth));
    const db = tempDb();
    const r = await runPapers(['import', file], { env: { PAPERS_DB: db } });
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expect(r.stderr).toBe(`papers: ${file}: elements nested more than 256 deep (line ${r.stderr.match(/\(line (\d+)\)/)?.[1]}), which no arXiv feed does; this is not a feed papers can read\n`);
    expect(r.stderr).toMatch(/\(line \d+\)/);
    const count = await runPapers(['list', '--source', 'arxiv:cs.LG', '--date', DAY, '--jsonl'], { env: { PAPERS_DB: db } });
    expect(count.stdout).toBe('');
  }, 60_000);

  it('a feed nested as deep as the cap allows still imports', async () => {
    const file = join(dir, 'rss-250.xml');
    writeFileSync(file, nest(rss, 'item', 250));
    const r = await runPapers(['import', file], { env: { PAPERS_DB: tempDb() } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^imported .*: 10 read, 10 new/);
  });
});
