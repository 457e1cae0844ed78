/**
 * The pieces of fetching, without spawning the CLI — day ranges, settings, the pool,
 * the progress line, Link headers, and one day's fetch (paging, fallback, errors) against
 * the loopback fault server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExitCode, FormatError, NetworkError, UsageError } from '../../src/errors.js';
import { apiUrl, fetchDay, hfEndpoint, nextLink, PAGE_SIZE } from '../../src/fetch/hf.js';
import type { RequestOptions } from '../../src/fetch/loop.js';
import { daysIn } from '../../src/dates-day.js';
import { planDays } from '../../src/fetch/plan.js';
import { reasonOf } from '../../src/fetch/report.js';
import { runPool } from '../../src/fetch/pool.js';
import { Budget, COMMAND_BUDGET_MS, envFlag, netSettings, parseDuration } from '../../src/fetch/settings.js';
import { closeHttp } from '../../src/net/http.js';
import { progressLine, startProgress } from '../../src/render/progress.js';
import { displayWidth } from '../../src/render/width.js';
import type { Context } from '../../src/context.js';
import type { Output } from '../../src/output.js';
import { faults, startFaultServer, type FaultServer } from '../support/fault-server.js';

/** A standard output that takes everything: these tests look at stderr only. */
const silent: Output = { write: async () => {}, flush: async () => {} };

describe('daysIn', () => {
  it.each([
    [{ from: '2025-06-09', to: '2025-06-09' }, ['2025-06-09']],
    [{ from: '2025-02-27', to: '2025-03-02' }, ['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']],
    [{ from: '2024-12-31', to: '2025-01-01' }, ['2024-12-31', '2025-01-01']],
    [{ from: '2024-02-28', to: '2024-03-01' }, ['2024-02-28', '2024-02-29', '2024-03-01']],
    [{ from: '2025-03-29', to: '2025-03-31' }, ['2025-03-29', '2025-03-30', '2025-03-31']], // a DST change in Europe
    [{ from: '2025-06-10', to: '2025-06-09' }, []],
  ])('%j', (range, days) => expect(daysIn(range)).toEqual(days));
});

describe('planDays', () => {
  it('decides per day from the last ok fetches', () => {
    const net = netSettings({}, {});
    const last = new Map([
      ['2025-06-08', '2025-06-11T00:00:00Z'],
      ['2025-06-12', '2025-06-12T09:30:00Z'],
    ]);
    const plan = planDays(daysIn({ from: '2025-06-08', to: '2025-06-13' }), last, new Date('2025-06-12T10:00:00Z'), net);
    expect(plan.map((p) => `${p.day} ${p.reason}`)).toEqual([
      '2025-06-08 final',
      '2025-06-09 missing',
      '2025-06-10 missing',
      '2025-06-11 missing',
      '2025-06-12 fresh',
      '2025-06-13 future',
    ]);
  });

  it('never asks for a day before the source began (Daily Papers: May 2023), even with --refresh', () => {
    const plan = planDays(['2023-04-30', '2023-05-01'], new Map(), new Date('2025-06-12T10:00:00Z'), { ...netSettings({}, {}), refresh: true }, '2023-05-01');
    expect(plan.map((p) => `${p.day} ${p.reason}`)).toEqual(['2023-04-30 before-source', '2023-05-01 refresh']);
  });
});

describe('settings', () => {
  it.each([
    ['0', 0],
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    [' 2H ', 7_200_000],
    ['36500d', 36_500 * 86_400_000],
  ])('duration %j = %i ms', (text, ms) => expect(parseDuration(text, '--max-age')).toBe(ms));

  it.each(['', '5', '1w', '-1h', 'h', 'soon', '36501d', '9'.repeat(400) + 'd'])('duration %j is a usage error naming the flag', (text) => {
    expect(() => parseDuration(text, '--max-age')).toThrow(/^invalid --max-age/);
  });

  it('flags win over variables; variables over defaults', () => {
    const env = { PAPERS_MAX_AGE: '2h', PAPERS_TIMEOUT: '0.5', PAPERS_RETRIES: '1' };
    expect(netSettings({}, {})).toEqual({ offline: false, refresh: false, maxAgeMs: 3_600_000, timeoutMs: null, retries: null, budget: new Budget(COMMAND_BUDGET_MS, true), honorRecentFailure: false, maxDays: null });
    // Every command has one budget: renewing at each answer, tied to --timeout (4 × T, at least 5 s).
    expect(netSettings({ timeout: '3' }, {}).budget).toEqual(new Budget(12_000, true));
    expect(netSettings({ timeout: '0.3' }, {}).budget).toEqual(new Budget(5_000, true));
    // The config file's maxAge (seconds) is a default under the flag and the variable.
    expect(netSettings({}, {}, 600).maxAgeMs).toBe(600_000);
    expect(netSettings({}, { PAPERS_MAX_AGE: '2h' }, 600).maxAgeMs).toBe(7_200_000);
    expect(netSettings({ maxAge: '5m' }, { PAPERS_MAX_AGE: '2h' }, 600).maxAgeMs).toBe(300_000);
    expect(netSettings({}, env)).toMatchObject({ maxAgeMs: 7_200_000, timeoutMs: 500, retries: 1 });
    expect(netSettings({ maxAge: '5m', timeout: '3', retries: '0' }, env)).toMatchObject({ maxAgeMs: 300_000, timeoutMs: 3000, retries: 0 });
  });

  it.each([
    [{ timeout: '0' }, {}, /invalid --timeout "0"/],
    [{ timeout: 'fast' }, {}, /invalid --timeout/],
    [{}, { PAPERS_TIMEOUT: '-1' }, /invalid PAPERS_TIMEOUT/],
    [{ retries: '11' }, {}, /invalid --retries/],
    [{ retries: '1.5' }, {}, /invalid --retries/],
    [{ refresh: true, offline: true }, {}, /either --offline or --refresh/],
    [{ refresh: true }, { PAPERS_OFFLINE: '1' }, /PAPERS_OFFLINE is set/],
    [{}, { PAPERS_OFFLINE: 'maybe' }, /invalid PAPERS_OFFLINE/],
  ])('%j with %j is a usage error', (flags, env, message) => {
    expect(() => netSettings(flags, env)).toThrow(UsageError);
    expect(() => netSettings(flags, env)).toThrow(message);
  });

  it('PAPERS_OFFLINE: 1/true/yes are on; unset, empty, 0/false/no are off', () => {
    for (const v of ['1', 'true', 'YES', 'on']) expect(envFlag(v, 'X')).toBe(true);
    for (const v of [undefined, '', '0', 'false', 'No', 'off']) expect(envFlag(v, 'X')).toBe(false);
  });

  it('HF_ENDPOINT: default, trailing slashes, a path prefix; refused when not http(s); required under PAPERS_TEST', () => {
    expect(hfEndpoint({})).toBe('https://huggingface.co');
    expect(hfEndpoint({ HF_ENDPOINT: 'http://127.0.0.1:8080/' })).toBe('http://127.0.0.1:8080');
    expect(hfEndpoint({ HF_ENDPOINT: 'https://mirror.example/hf//' })).toBe('https://mirror.example/hf');
    expect(apiUrl('https://mirror.example/hf', '2025-06-09', 2)).toBe(`https://mirror.example/hf/api/daily_papers?date=2025-06-09&limit=${PAGE_SIZE}&p=2`);
    for (const bad of ['ftp://x', 'huggingface.co', 'http://x/?a=1']) expect(() => hfEndpoint({ HF_ENDPOINT: bad })).toThrow(/HF_ENDPOINT must be an http/);
    expect(() => hfEndpoint({ PAPERS_TEST: '1' })).toThrow(/PAPERS_TEST is set/);
  });
});

describe('runPool', () => {
  const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('keeps at most `limit` in flight and runs every item once', async () => {
    let active = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool([...Array(10).keys()], 3, async (n) => {
      active++;
      peak = Math.max(peak, active);
      await tick(n % 3);
      seen.push(n);
      active--;
    });
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
  });

  it('starts nothing new once `stop` says so, and finishes what is in flight', async () => {
    const started: number[] = [];
    let done = 0;
    await runPool([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await tick(1);
      done++;
    }, () => started.length >= 3);
    expect(started).toEqual([1, 2, 3]);
    expect(done).toBe(3);
  });

  it('rethrows the first error after the others in flight end', async () => {
    const finished: number[] = [];
    const err = await runPool([1, 2, 3, 4], 2, async (n) => {
      if (n === 1) throw new Error('one');
      await tick(5);
      finished.push(n);
    }).catch((e: Error) => e);
    expect((err as Error).message).toBe('one');
    expect(finished).toEqual([2]);
  });

  it('handles an empty list', async () => {
    await expect(runPool([], 3, async () => undefined)).resolves.toBeUndefined();
  });
});

describe('progress', () => {
  it.each([80, 40, 24, 12, 5])('fits in %i columns', (width) => {
    const line = progressLine(3, 7, width, 'days', '2025-06-09');
    expect(displayWidth(line)).toBeLessThan(width);
  });

  it('draws a bar proportional to the count', () => {
    expect(progressLine(0, 4, 80, 'days')).toMatch(/^fetching ░{30} 0\/4 days$/);
    expect(progressLine(2, 4, 80, 'days', '2025-06-09')).toBe(`fetching ${'█'.repeat(15)}${'░'.repeat(15)} 2/4 days 2025-06-09`);
    expect(progressLine(4, 4, 80, 'days')).toMatch(/^fetching █{30} 4\/4 days$/);
  });

  function fakeCtx(tty: boolean): Context & { err: () => string } {
    let err = '';
    const stderr = { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream;
    return { stdout: silent, stderr, stdoutIsTTY: false, stderrIsTTY: tty, color: 0, width: 60, height: 24, now: new Date(), env: {}, stdin: process.stdin, err: () => err };
  }

  it('piped: no bar, notes only', () => {
    const ctx = fakeCtx(false);
    const p = startProgress(ctx, 3);
    p.advance('a');
    p.note('papers: a note');
    p.advance('b');
    p.done();
    expect(ctx.err()).toBe('papers: a note\n');
  });

  it('on a terminal: redrawn in place, notes above it, erased at the end', () => {
    const ctx = fakeCtx(true);
    const p = startProgress(ctx, 2);
    p.advance('2025-06-09');
    p.note('papers: a note');
    p.advance('2025-06-10');
    p.done();
    p.note('papers: after');
    const out = ctx.err();
    expect(out.startsWith('\r\x1b[Kfetching ')).toBe(true);
    expect(out).toContain('\r\x1b[Kpapers: a note\n\r\x1b[Kfetching ');
    expect(out).toContain('2/2 days 2025-06-10');
    expect(out.endsWith('\r\x1b[Kpapers: after\n')).toBe(true);
    // What a terminal ends up showing: each line is what follows its last carriage return.
    const screen = out.split('\n').map((l) => l.split('\r').at(-1)!.replace('\x1b[K', ''));
    expect(screen).toEqual(['papers: a note', 'papers: after', '']);
  });
});

describe('progress: what a fetch waits for', () => {
  function ttyCtx(): Context & { shown: () => string } {
    let err = '';
    const stderr = { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream;
    // What the terminal shows on the progress line: the text after the last clear.
    const shown = () => err.split('\r\x1b[K').at(-1)!;
    return { stdout: silent, stderr, stdoutIsTTY: false, stderrIsTTY: true, color: 0, width: 80, height: 24, now: new Date(), env: {}, stdin: process.stdin, shown };
  }

  it('says which host, which try and how long is left, counting down; a retry says why and when', () => {
    vi.useFakeTimers();
    try {
      const ctx = ttyCtx();
      let now = 10_000;
      const p = startProgress(ctx, 1, 'day', () => now);
      p.wait('2025-06-09', { host: 'huggingface.co', attempt: 1, tries: 4, until: now + 5_000 });
      // A quick answer is not worth a word: the bar stays for the first second.
      expect(ctx.shown()).toMatch(/^fetching ░+ 0\/1 day$/);
      now += 1_200;
      vi.advanceTimersByTime(250);
      expect(ctx.shown()).toBe('waiting for huggingface.co: try 1 of 4, 4 s left');
      now += 2_000;
      vi.advanceTimersByTime(250);
      expect(ctx.shown()).toBe('waiting for huggingface.co: try 1 of 4, 2 s left');
      p.wait('2025-06-09', { host: 'huggingface.co', attempt: 2, tries: 4, until: now + 3_000, retrying: 'HTTP 503 Service Unavailable' });
      expect(ctx.shown()).toBe('huggingface.co: HTTP 503 Service Unavailable; try 2 of 4 in 3 s');
      p.wait('2025-06-09', null);
      p.advance('2025-06-09');
      expect(ctx.shown()).toMatch(/^fetching █+ 1\/1 day 2025-06-09$/);
      p.done();
      expect(ctx.shown()).toBe('');
      // No timer is left behind to keep the process alive or draw after the end.
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fits the width', () => {
    const ctx = { ...ttyCtx(), width: 30 };
    let now = 0;
    const p = startProgress(ctx, 3, 'days', () => now);
    p.wait('a', { host: 'a-very-long-host-name.example.org', attempt: 1, tries: 4, until: 9_000 });
    now = 2_000;
    p.wait('b', { host: 'x', attempt: 1, tries: 4, until: 9_000 });
    expect(displayWidth(ctx.shown())).toBeLessThan(30);
    expect(ctx.shown()).toMatch(/^fetching 0\/3 days · waiting.*…$/);
    p.done();
  });
});

describe('nextLink', () => {
  const base = 'http://h.example/api/daily_papers?date=2025-06-09&limit=100&p=0';
  it.each([
    [undefined, null],
    ['', null],
    ['<http://h.example/api/daily_papers?date=2025-06-09&p=1>; rel="next"', 'http://h.example/api/daily_papers?date=2025-06-09&p=1'],
    ['</api/daily_papers?p=1>; rel=next', 'http://h.example/api/daily_papers?p=1'],
    ['<?p=0>; rel="prev", <?p=2>; rel="next"', 'http://h.example/api/daily_papers?p=2'],
    ['<?p=2>; rel="last next"', 'http://h.example/api/daily_papers?p=2'],
    ['<?p=9>; rel="last"', null],
    ['<http://other.example/x?p=1>; rel="next"', null],
    ['<http://[bad>; rel="next"', null],
  ])('%j', (header, expected) => expect(nextLink(header, base)).toBe(expected));
});

describe('fetchDay', () => {
  let server: FaultServer;
  // A day with 150 papers (more than one page), one whose server ignores `p`, and one paged by Link headers.
  const item = (i: number) => ({ paper: { id: `2503.${String(i).padStart(5, '0')}`, title: `Paper ${i}`, upvotes: 500 - i, submittedOnDailyAt: '2025-03-03T10:00:00.000Z' } });
  const BIG = Array.from({ length: 150 }, (_, i) => item(i + 1));
  const json = (body: unknown, headers: Record<string, string> = {}) => ({ headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    server = await startFaultServer({
      fixturesDir: 'fixtures/hf-api',
      htmlDir: 'fixtures/hf-html',
      routes: (_req, url) => {
        if (url.pathname !== '/api/daily_papers') return undefined;
        const q = url.searchParams;
        const p = Number(q.get('p') ?? 0);
        const limit = Number(q.get('limit') ?? 50);
        if (q.get('date') === '2025-03-03') return json(BIG.slice(p * limit, (p + 1) * limit));
        if (q.get('date') === '2025-03-04') return json(BIG.slice(0, 100)); // ignores p
        if (q.get('date') === '2025-03-05') {
          const next = p < 2 ? { link: `</api/daily_papers?date=2025-03-05&cursor=${p + 1}&p=${p + 1}>; rel="next"` } : undefined;
          return json(BIG.slice(p * 2, p * 2 + 2), next);
        }
        return undefined;
      },
    });
  });
  afterAll(async () => {
    await closeHttp();
    await server.close();
  });
  beforeEach(() => server.reset());

  const http = (extra: Partial<RequestOptions> = {}): RequestOptions => ({
    userAgent: 'papers/test',
    env: {},
    retries: 0,
    headersTimeoutMs: 2000,
    bodyTimeoutMs: 2000,
    ...extra,
  });
  const now = new Date('2025-06-12T10:00:00Z');
  const requested = () => server.requests.map((r) => r.url);

  it('pages with p and limit until a short page; ranks run on across pages', async () => {
    const got = await fetchDay(server.url, '2025-03-03', http(), now);
    expect(requested()).toEqual([0, 1].map((p) => `/api/daily_papers?date=2025-03-03&limit=100&p=${p}`));
    expect(got.via).toBe('api');
    expect(got.listing.items).toHaveLength(150);
    expect(got.listing.items.map((i) => i.listing!.rank)).toEqual(BIG.map((_, i) => i + 1));
  });

  it('stops when a server ignores p and repeats the page', async () => {
    const got = await fetchDay(server.url, '2025-03-04', http(), now);
    expect(requested()).toHaveLength(2);
    expect(got.listing.items).toHaveLength(100);
  });

  it('follows Link: rel="next" when present', async () => {
    const got = await fetchDay(server.url, '2025-03-05', http(), now);
    expect(requested()).toEqual([
      '/api/daily_papers?date=2025-03-05&limit=100&p=0',
      '/api/daily_papers?date=2025-03-05&cursor=1&p=1',
      '/api/daily_papers?date=2025-03-05&cursor=2&p=2',
    ]);
    expect(got.listing.items.map((i) => i.paper.id)).toEqual(BIG.slice(0, 6).map((i) => i.paper.id));
  });

  it('an empty day is a listing with no items', async () => {
    const got = await fetchDay(server.url, '2025-06-08', http(), now);
    expect(got).toMatchObject({ via: 'api', complete: true, listing: { items: [] } });
  });

  it('falls back to the listing page on an HTTP error, and says why', async () => {
    server.setFault('/api/daily_papers', faults.status(500));
    const got = await fetchDay(server.url, '2025-06-09', http(), now);
    expect(got).toMatchObject({ via: 'page', complete: true, fallbackReason: 'HTTP 500 Internal Server Error' });
    expect(got.listing.items).toHaveLength(12);
    expect(requested()).toEqual(['/api/daily_papers?date=2025-06-09&limit=100&p=0', '/papers/date/2025-06-09']);
  });

  it.each([
    ['invalid JSON', faults.invalidJson(), /got invalid JSON/],
    ['an object', faults.reply(json({ error: 'moved' })), /got an object/],
    ['an HTML page', faults.changedHtml(), /got an HTML page/],
    ['items without a paper', faults.reply(json([{ title: 'x' }])), /the items have no "paper" object/],
    ['a paper without an id', faults.reply(json([{ paper: { id: 'nope', title: 'x' } }])), /no valid paper id/],
  ])('falls back on %s, which alone would be a format error', async (_name, fault, reason) => {
    server.setFault('/api/daily_papers', fault);
    const got = await fetchDay(server.url, '2025-06-09', http(), now);
    expect(got.via).toBe('page');
    expect(got.fallbackReason).toMatch(reason);
    // No listing page for this day: the API's failure stands, with the page's after it.
    const err = await fetchDay(server.url, '2025-01-21', http(), now).catch((e: Error) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).exitCode).toBe(ExitCode.Format);
    expect((err as Error).message).toMatch(reason);
    expect((err as Error).message).toMatch(/; the listing page did not work either: HTTP 404 Not Found$/);
  });

  it('does not fall back on 429 or on a dropped connection (the page is on the same host)', async () => {
    server.setFault('/api/daily_papers', faults.tooManyRequests(3600));
    expect(await fetchDay(server.url, '2025-06-09', http(), now).catch((e: Error) => e)).toBeInstanceOf(NetworkError);
    server.reset();
    server.setFault('/api/daily_papers', faults.reset());
    expect(await fetchDay(server.url, '2025-06-09', http(), now).catch((e: Error) => e)).toBeInstanceOf(NetworkError);
    expect(requested().some((u) => u.startsWith('/papers/'))).toBe(false);
  });

  it('an API outage and a changed page: exit 3 (the outage is the cause), both named', async () => {
    server.setFault('/api/daily_papers', faults.unavailable());
    server.setFault('/papers/date/2025-06-09', faults.changedHtml());
    const err = (await fetchDay(server.url, '2025-06-09', http(), now).catch((e: Error) => e)) as NetworkError;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.exitCode).toBe(ExitCode.Network);
    expect(reasonOf(err)).toMatch(/^HTTP 503 Service Unavailable; the listing page did not work either: page layout not recognized/);
  });

  it('a cards-only listing page is stored but not complete', async () => {
    server.setFault('/api/daily_papers', faults.status(502));
    const cards = (await import('node:fs')).readFileSync('fixtures/hf-html/cards-only.html', 'utf8');
    server.setFault('/papers/date/2025-06-09', faults.reply({ headers: { 'content-type': 'text/html' }, body: cards }));
    const got = await fetchDay(server.url, '2025-06-09', http(), now);
    expect(got).toMatchObject({ via: 'page', complete: false });
    expect(got.listing.items).toHaveLength(12);
  });
});
