/**
 * The pieces of fetching arXiv without spawning the CLI — the announcement
 * schedule that ties RSS days to API submission windows, the URLs, `--source` values,
 * PAPERS_ARXIV_DELAY_MS, one day's fetch (RSS or paged API) through a fake `get`, and the
 * cross-process request gate.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, FormatError, InterruptedError, NetworkError, UsageError } from '../../src/errors.js';
import { apiUrl, arxivEndpoints, EMPTY_PAGE_RETRIES, fetchArxivDay, rssUrl, type ArxivDayOptions, type Get } from '../../src/fetch/arxiv.js';
import { announcementDay, apiDateRange, isWeekend, submissionWindow } from '../../src/fetch/arxiv-schedule.js';
import { gatePath, openGate } from '../../src/fetch/gate.js';
import { arxivDelayMs, DEFAULT_ARXIV_DELAY_MS } from '../../src/fetch/settings.js';
import { fetchSourceFor, listingSources, parseFetchSources, sourceLabel, type FetchSource } from '../../src/fetch/sources.js';
import { atomEntry } from '../support/fault-server.js';
import { ROOT } from '../support/run.js';

const fixture = (name: string) => readFileSync(join(ROOT, 'fixtures/arxiv', name), 'utf8');

describe('the announcement schedule', () => {
  it.each([
    // Submitted (New York time)          → announced (RSS day)
    ['2026-03-09T13:59:59-04:00', '2026-03-10'], // Monday before the 14:00 deadline: Tuesday's feed
    ['2026-03-09T14:00:00-04:00', '2026-03-11'], // at the deadline: the next one
    ['2026-03-08T22:47:44-04:00', '2026-03-10'], // Sunday: Monday's deadline
    ['2026-03-06T13:59:00-05:00', '2026-03-09'], // Friday before 14:00: announced Sunday evening, Monday's feed
    ['2026-03-06T14:00:00-05:00', '2026-03-10'], // Friday after 14:00: with the weekend, Tuesday's feed
    ['2026-03-07T10:00:00-05:00', '2026-03-10'], // Saturday
    ['2026-03-12T13:00:00-04:00', '2026-03-13'], // Thursday: Friday's feed
    ['2026-03-12T15:00:00-04:00', '2026-03-16'], // Thursday after the deadline: Monday's
    ['2025-11-02T01:30:00-05:00', '2025-11-04'], // the night New York leaves summer time (a Sunday)
    ['2003-07-07T13:46:39-04:00', '2003-07-08'], // the API's own example entry
    ['2026-03-09T03:30:00Z', '2026-03-10'], // 23:30 on Sunday in New York, already Monday in UTC
  ])('%s is announced on %s', (submitted, day) => expect(announcementDay(new Date(submitted))).toBe(day));

  it.each([
    // RSS day      from (UTC)               to (UTC, exclusive)       API range
    ['2026-03-10', '2026-03-06T19:00:00.000Z', '2026-03-09T18:00:00.000Z', ['202603061900', '202603091759']], // across the DST change
    ['2026-03-09', '2026-03-05T19:00:00.000Z', '2026-03-06T19:00:00.000Z', ['202603051900', '202603061859']], // Monday: Thursday to Friday
    ['2026-03-13', '2026-03-11T18:00:00.000Z', '2026-03-12T18:00:00.000Z', ['202603111800', '202603121759']],
    ['2025-11-04', '2025-10-31T18:00:00.000Z', '2025-11-03T19:00:00.000Z', ['202510311800', '202511031859']], // back to winter time
  ])('%s announces the submissions from %s to %s', (day, from, to, range) => {
    const w = submissionWindow(day)!;
    expect([w.from.toISOString(), w.to.toISOString()]).toEqual([from, to]);
    expect(apiDateRange(w)).toEqual(range);
  });

  it('has nothing on weekends', () => {
    expect(submissionWindow('2026-03-14')).toBeNull();
    expect(submissionWindow('2026-03-15')).toBeNull();
    expect([isWeekend('2026-03-14'), isWeekend('2026-03-15'), isWeekend('2026-03-16')]).toEqual([true, true, false]);
  });

  it('windows and announcement days agree: every minute of a year belongs to the window of its day', () => {
    // Every 97 minutes through 2025 (both DST changes): the window of its announcement day holds it.
    for (let t = Date.parse('2025-01-01T00:00:00Z'); t < Date.parse('2026-01-01T00:00:00Z'); t += 97 * 60_000) {
      const day = announcementDay(new Date(t));
      const w = submissionWindow(day);
      expect(w, new Date(t).toISOString()).not.toBeNull();
      expect(t >= w!.from.getTime() && t < w!.to.getTime(), `${new Date(t).toISOString()} → ${day}`).toBe(true);
    }
  });

  it('windows of consecutive weekdays meet without a gap', () => {
    expect(submissionWindow('2026-03-10')!.from).toEqual(submissionWindow('2026-03-09')!.to);
    expect(submissionWindow('2026-03-09')!.from).toEqual(submissionWindow('2026-03-06')!.to);
  });
});

describe('URLs and settings', () => {
  const w = submissionWindow('2026-03-10')!;
  it('builds the API query like arXiv documents it', () => {
    expect(apiUrl('http://export.arxiv.org/api/query', ['cs.LG'], w, 0, 500)).toBe(
      'http://export.arxiv.org/api/query?search_query=cat:cs.LG+AND+submittedDate:[202603061900+TO+202603091759]&start=0&max_results=500&sortBy=submittedDate&sortOrder=ascending',
    );
    expect(apiUrl('http://x/q', ['cs.LG', 'stat.ML'], w, 500, 500)).toBe(
      'http://x/q?search_query=(cat:cs.LG+OR+cat:stat.ML)+AND+submittedDate:[202603061900+TO+202603091759]&start=500&max_results=500&sortBy=submittedDate&sortOrder=ascending',
    );
    expect(rssUrl('https://rss.arxiv.org/rss', ['cs.LG', 'cs.CL'])).toBe('https://rss.arxiv.org/rss/cs.LG+cs.CL');
  });

  it('reads the endpoints; under PAPERS_TEST they must be set', () => {
    expect(arxivEndpoints({})).toEqual({ rss: 'https://rss.arxiv.org/rss', api: 'http://export.arxiv.org/api/query' });
    expect(arxivEndpoints({ PAPERS_ARXIV_RSS: 'http://127.0.0.1:9/rss/', PAPERS_ARXIV_API: 'http://127.0.0.1:9/api/query' })).toEqual({
      rss: 'http://127.0.0.1:9/rss',
      api: 'http://127.0.0.1:9/api/query',
    });
    expect(() => arxivEndpoints({ PAPERS_TEST: '1', PAPERS_ARXIV_RSS: 'http://x' })).toThrow(UsageError);
    expect(() => arxivEndpoints({ PAPERS_ARXIV_API: 'http://x/q?a=1' })).toThrow(/PAPERS_ARXIV_API must be an http\(s\) URL/);
  });

  it.each([
    [undefined, DEFAULT_ARXIV_DELAY_MS],
    ['', 3000],
    ['0', 0],
    [' 250 ', 250],
  ])('PAPERS_ARXIV_DELAY_MS=%j → %i ms', (v, ms) => expect(arxivDelayMs({ PAPERS_ARXIV_DELAY_MS: v })).toBe(ms));

  it.each(['-1', '3s', '1e3', '600001'])('PAPERS_ARXIV_DELAY_MS=%j is a usage error', (v) => {
    expect(() => arxivDelayMs({ PAPERS_ARXIV_DELAY_MS: v })).toThrow(/^invalid PAPERS_ARXIV_DELAY_MS/);
  });

  it.each([
    [[], [{ kind: 'hf' }]],
    [['hf'], [{ kind: 'hf' }]],
    [['arxiv:cs.LG'], [{ kind: 'arxiv', categories: ['cs.LG'] }]],
    [['arxiv:cs.LG+cs.CL'], [{ kind: 'arxiv', categories: ['cs.LG', 'cs.CL'] }]],
    [['arxiv:cs.LG', 'arxiv:cs.CL', 'arxiv:cs.LG'], [{ kind: 'arxiv', categories: ['cs.LG', 'cs.CL'] }]],
    [['hf', 'arxiv:hep-th+cond-mat.mes-hall'], [{ kind: 'hf' }, { kind: 'arxiv', categories: ['hep-th', 'cond-mat.mes-hall'] }]],
    [['arxiv:cs'], [{ kind: 'arxiv', categories: ['cs'] }]],
  ])('--source %j', (values, sources) => expect(parseFetchSources(values)).toEqual(sources));

  it.each([['arxiv'], ['arxiv:'], ['arxiv:CS.LG'], ['arxiv:cs.LG+'], ['arxiv:cs.LG/x'], ['hf-search'], ['semantic-scholar']])('--source %j is a usage error', (value) => {
    expect(() => parseFetchSources([value])).toThrow(UsageError);
  });

  it('names sources and what reading commands fetch for a filter', () => {
    const both: FetchSource = { kind: 'arxiv', categories: ['cs.LG', 'cs.CL'] };
    expect([sourceLabel(both), listingSources(both)]).toEqual(['arxiv:cs.LG+cs.CL', ['arxiv:cs.LG', 'arxiv:cs.CL']]);
    expect([fetchSourceFor(null), fetchSourceFor('hf'), fetchSourceFor('arxiv'), fetchSourceFor('arxiv:cs.LG')]).toEqual([
      { kind: 'hf' },
      { kind: 'hf' },
      null,
      { kind: 'arxiv', categories: ['cs.LG'] },
    ]);
  });
});

// --- one day -------------------------------------------------------------------------------

/** An API page as arXiv writes it. */
function page(entries: string[], total: number, start: number, perPage: number): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title>ArXiv Query</title>
  <id>http://arxiv.org/api/x</id>
  <opensearch:totalResults>${total}</opensearch:totalResults>
  <opensearch:startIndex>${start}</opensearch:startIndex>
  <opensearch:itemsPerPage>${perPage}</opensearch:itemsPerPage>
  ${entries.join('\n')}
</feed>`;
}

const entries = (n: number, cats = ['cs.LG']) =>
  Array.from({ length: n }, (_, i) => atomEntry({ id: `2603.${String(20000 + i)}`, published: `2026-03-09T1${i % 4}:00:00Z`, title: `Paper ${i}`, categories: cats }));

/** A fake API over `all`, serving at most `cap` per page; records the URLs asked. */
function fakeApi(all: string[], opts: { cap?: number; empties?: number[] } = {}) {
  const asked: string[] = [];
  let calls = 0;
  const get: Get = async (url) => {
    asked.push(url);
    calls++;
    const q = new URL(url).searchParams;
    const start = Number(q.get('start'));
    const max = Number(q.get('max_results'));
    const served = opts.empties?.includes(calls) ? [] : all.slice(start, start + Math.min(max, opts.cap ?? max));
    return { url, body: page(served, all.length, start, max) };
  };
  return { get, asked, starts: () => asked.map((u) => Number(new URL(u).searchParams.get('start'))) };
}

const options = (get: Get, extra: Partial<ArxivDayOptions> = {}): ArxivDayOptions => ({
  endpoints: { rss: 'http://127.0.0.1:9/rss', api: 'http://127.0.0.1:9/api/query' },
  today: '2026-03-12',
  get,
  now: new Date('2026-03-12T10:00:00Z'),
  pageSize: 2,
  ...extra,
});

describe('fetchArxivDay from the API', () => {
  it('pages until totalResults, listing everything on the day asked for, ranked in order', async () => {
    const api = fakeApi(entries(5));
    const got = await fetchArxivDay('2026-03-10', ['cs.LG'], options(api.get));
    expect(api.starts()).toEqual([0, 2, 4]);
    expect(got).toMatchObject({ day: '2026-03-10', listedOn: '2026-03-10', via: 'api' });
    expect(got.listing.items.map((i) => [i.paper.id, i.listing])).toEqual(
      Array.from({ length: 5 }, (_, i) => [`2603.${20000 + i}`, { source: 'arxiv:cs.LG', day: '2026-03-10', rank: i + 1, upvotes: null }]),
    );
    expect(got.counts).toEqual(new Map([['arxiv:cs.LG', 5]]));
  });

  it('advances by the entries received when the API sends fewer than asked for', async () => {
    const api = fakeApi(entries(5), { cap: 1 });
    const got = await fetchArxivDay('2026-03-10', ['cs.LG'], options(api.get));
    expect(api.starts()).toEqual([0, 1, 2, 3, 4]);
    expect(got.listing.items).toHaveLength(5);
  });

  it('asks again for a page that comes back empty before the end, then gives up (exit 3)', async () => {
    const once = fakeApi(entries(3), { empties: [2] });
    expect((await fetchArxivDay('2026-03-10', ['cs.LG'], options(once.get))).listing.items).toHaveLength(3);
    expect(once.starts()).toEqual([0, 2, 2]);
    const always = fakeApi(entries(3), { empties: [2, 3, 4, 5] });
    const err = await fetchArxivDay('2026-03-10', ['cs.LG'], options(always.get)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/: the arXiv API sent no entries at 2 of 3, 3 times; try again later$/);
    expect(always.starts()).toEqual([0, ...Array(EMPTY_PAGE_RETRIES + 1).fill(2)]);
  });

  it('an empty result is one request and an empty day', async () => {
    const api = fakeApi([]);
    const got = await fetchArxivDay('2026-03-10', ['cs.LG'], options(api.get));
    expect([api.asked.length, got.listing.items.length, got.via]).toEqual([1, 0, 'api']);
  });

  it('a weekend is an empty day without a request', async () => {
    const api = fakeApi(entries(3));
    const got = await fetchArxivDay('2026-03-14', ['cs.LG'], options(api.get));
    expect([api.asked.length, got.listing.items.length, got.via]).toEqual([0, 0, 'none']);
  });

  it('a paper on two pages (the result shifted) is listed once', async () => {
    const all = entries(3);
    const api = fakeApi([all[0]!, all[1]!, all[1]!, all[2]!]);
    const got = await fetchArxivDay('2026-03-10', ['cs.LG'], options(api.get));
    expect(got.listing.items.map((i) => i.paper.id)).toEqual(['2603.20000', '2603.20001', '2603.20002']);
  });

  it('several categories: each paper under each requested category it is in, ranked per category', async () => {
    const mixed = [...entries(1, ['cs.LG']), ...entries(1, ['cs.CL', 'cs.LG']).map((e) => e.replace(/20000/g, '20001')), ...entries(1, ['cs.CL']).map((e) => e.replace(/20000/g, '20002'))];
    const api = fakeApi(mixed);
    const got = await fetchArxivDay('2026-03-10', ['cs.LG', 'cs.CL'], options(api.get, { pageSize: 10 }));
    expect(got.listing.items.map((i) => `${i.paper.id} ${i.listing!.source} #${i.listing!.rank}`)).toEqual([
      '2603.20000 arxiv:cs.LG #1',
      '2603.20001 arxiv:cs.LG #2',
      '2603.20001 arxiv:cs.CL #1',
      '2603.20002 arxiv:cs.CL #2',
    ]);
    expect(got.counts).toEqual(new Map([['arxiv:cs.LG', 2], ['arxiv:cs.CL', 2]]));
  });

  it("the API's error feed is a remote error (exit 3) with its text; a broken page a format change (exit 4)", async () => {
    const error: Get = async (url) => ({ url, body: fixture('atom-error-example.xml') });
    await expect(fetchArxivDay('2026-03-10', ['cs.LG'], options(error))).rejects.toThrow(new NetworkError('arXiv API error: incorrect id format for 1234.12345'));
    const cut: Get = async (url) => ({ url, body: fixture('atom-cs.LG-2026-03-09.xml').slice(0, 3000) });
    const err = await fetchArxivDay('2026-03-10', ['cs.LG'], options(cut)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).exitCode).toBe(ExitCode.Format);
  });
});

describe('fetchArxivDay from the feed (today)', () => {
  it("lists the items on the feed's day", async () => {
    const get: Get = async (url) => ({ url, body: fixture('rss-cs.LG-2026-03-10.xml') });
    const got = await fetchArxivDay('2026-03-10', ['cs.LG'], options(get, { today: '2026-03-10' }));
    expect(got).toMatchObject({ listedOn: '2026-03-10', via: 'rss', notes: [] });
    expect(got.counts).toEqual(new Map([['arxiv:cs.LG', 10]]));
  });

  it('a feed still dated yesterday: listed on its own day, with a note', async () => {
    const get: Get = async (url) => ({ url, body: fixture('rss-cs.LG-2026-03-10.xml') });
    const got = await fetchArxivDay('2026-03-11', ['cs.LG'], options(get, { today: '2026-03-11' }));
    expect(got).toMatchObject({ day: '2026-03-11', listedOn: '2026-03-10', notes: ["arXiv has not announced 2026-03-11 yet; the feed is still 2026-03-10's"] });
    expect(got.listing.items.every((i) => i.listing!.day === '2026-03-10')).toBe(true);
  });

  it('an empty weekend feed is an empty day', async () => {
    const get: Get = async (url) => ({ url, body: fixture('rss-cs.LG-2026-03-14-weekend.xml') });
    const got = await fetchArxivDay('2026-03-14', ['cs.LG'], options(get, { today: '2026-03-14' }));
    expect(got).toMatchObject({ listedOn: '2026-03-14', via: 'rss' });
    expect(got.listing.items).toEqual([]);
  });
});

// --- the gate ------------------------------------------------------------------------------

const lockFile = () => gatePath(join(mkdtempSync(join(tmpdir(), 'papers-gate-')), 'papers.db'));
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the request gate', () => {
  it('lives next to the database', () => {
    expect(gatePath('/data/papers.db')).toBe('/data/papers.db-arxiv.lock');
    expect(gatePath(':memory:')).toBe(':memory:');
  });

  it('spaces requests by the delay, from the end of one to the start of the next', async () => {
    const gate = openGate(lockFile(), { delayMs: 120 });
    const spans: Array<[number, number]> = [];
    const request = async () => {
      const start = Date.now();
      await tick(30);
      spans.push([start, Date.now()]);
    };
    try {
      for (let i = 0; i < 3; i++) await gate.run(request);
    } finally {
      gate.close();
    }
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0] - spans[i - 1]![1]).toBeGreaterThanOrEqual(115);
  });

  it('two openers of one lock file (as two processes) never overlap and keep the spacing', async () => {
    const file = lockFile();
    const gates = [openGate(file, { delayMs: 80 }), openGate(file, { delayMs: 80 })];
    const spans: Array<[number, number]> = [];
    let inFlight = 0;
    let peak = 0;
    const request = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      const start = Date.now();
      await tick(25);
      spans.push([start, Date.now()]);
      inFlight--;
    };
    try {
      await Promise.all(gates.map(async (g) => {
        for (let i = 0; i < 3; i++) await g.run(request);
      }));
    } finally {
      for (const g of gates) g.close();
    }
    expect(peak).toBe(1);
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0] - spans[i - 1]![1]).toBeGreaterThanOrEqual(75);
  });

  it('the time is kept in the file for the next opener', async () => {
    const file = lockFile();
    const first = openGate(file, { delayMs: 150 });
    await first.run(async () => undefined);
    first.close();
    const ended = Date.now();
    const second = openGate(file, { delayMs: 150 });
    let started = 0;
    await second.run(async () => void (started = Date.now()));
    second.close();
    expect(started - ended).toBeGreaterThanOrEqual(120);
  });

  it('a request that fails still releases the turn and counts for the spacing', async () => {
    const gate = openGate(lockFile(), { delayMs: 60 });
    await expect(gate.run(async () => Promise.reject(new NetworkError('down')))).rejects.toThrow('down');
    const before = Date.now();
    await gate.run(async () => undefined);
    expect(Date.now() - before).toBeGreaterThanOrEqual(50);
    gate.close();
  });

  it('Ctrl-C while waiting for the turn: InterruptedError', async () => {
    const file = lockFile();
    const holder = openGate(file, { delayMs: 0 });
    const abort = new AbortController();
    const waiter = openGate(file, { delayMs: 0, signal: abort.signal });
    let release!: () => void;
    const held = holder.run(() => new Promise<void>((r) => (release = r)));
    await tick(20);
    const waiting = waiter.run(async () => 'ran');
    await tick(100);
    abort.abort();
    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
    release();
    await held;
    holder.close();
    waiter.close();
  });

  it('a clock that went back waits the delay once, not for ever', async () => {
    const file = lockFile();
    let clock = 1_000_000;
    const gate = openGate(file, { delayMs: 50, now: () => clock });
    await gate.run(async () => undefined);
    clock -= 3_600_000; // an hour back
    const started = performance.now();
    await gate.run(async () => undefined);
    // A wait for "the delay after the last request" by the clock would be an hour: a generous bound shows it was not.
    expect(performance.now() - started).toBeLessThan(20_000);
    gate.close();
  });

  it('a process killed while holding the turn releases it at once (no stale lock)', async () => {
    const file = lockFile();
    const script = `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(file)}); db.pragma('journal_mode = WAL'); db.exec('BEGIN IMMEDIATE'); db.exec('CREATE TABLE IF NOT EXISTS held (x)'); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
    const gate = openGate(file, { delayMs: 0 });
    let ran = false;
    const run = gate.run(async () => void (ran = true));
    await tick(150);
    expect(ran).toBe(false);
    child.kill('SIGKILL');
    await run;
    expect(ran).toBe(true);
    gate.close();
  });
});
