/**
 * End to end: `papers fetch` against the loopback fault server (HF_ENDPOINT) with a
 * temp database. For every fault mode: the exit code, the one-line message, and the database
 * byte for byte unchanged (or correctly merged); and the freshness policy. The harness and
 * what "unchanged" means: test/support/online.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { faults, startFaultServer } from '../support/fault-server.js';
import { API, BOTH, NOW, OLD_DAY, PAGE_DAY, dump, hf, lines, onlineHarness, sample, snapshot } from '../support/online.js';

const h = onlineHarness();
const { online, apiDays, apiQueries, seeded } = h;

describe('papers fetch', () => {
  it('fetches a day with one summary line on stderr and nothing on stdout', async () => {
    const { run, db } = online();
    const r = await run(['fetch', '--date', PAGE_DAY]);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: `fetched ${PAGE_DAY}: 12 read, 12 new, 0 updated, 0 unchanged\n` });
    expect(apiDays()).toEqual([PAGE_DAY]);
    const req = h.server.requests[0]!;
    expect(req.url).toBe(`${API}?date=${PAGE_DAY}&limit=100&p=0`);
    expect(req.headers['user-agent']).toMatch(/^papers\/\d+\.\d+\.\d+ \(/);
    expect(req.headers['accept']).toBe('application/json');
    expect(req.headers['authorization']).toBeUndefined();
    expect(dump(db).fetches).toEqual([
      { source: 'hf', period: PAGE_DAY, fetched_at: new Date(NOW).toISOString(), item_count: 12, status: 'ok', detail: 'api' },
    ]);
  });

  it('a week: every day once, one summary; nothing again while fresh', async () => {
    const { run } = online();
    const r = await run(['fetch', '--week', '2025-W06']);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'fetched 7 days, 2025-02-03 … 2025-02-09: 47 read, 47 new, 0 updated, 0 unchanged\n' });
    expect(apiDays().sort()).toEqual(['2025-02-03', '2025-02-04', '2025-02-05', '2025-02-06', '2025-02-07', '2025-02-08', '2025-02-09']);
    const again = await run(['fetch', '--week', '2025-W06']);
    expect(again.stderr).toBe('papers: nothing to fetch: all 7 days up to date (2025-02-03 … 2025-02-09; --refresh fetches again)\n');
    expect(apiDays()).toHaveLength(7);
  });

  it('without a range: today and the 2 days before, in one week query when they share a week', async () => {
    const { run, db } = online();
    const r = await run(['fetch'], { PAPERS_NOW: '2025-06-11T10:00:00Z' });
    expect(r.code).toBe(0);
    expect(apiQueries()).toEqual(['week=2025-W24&p=0']);
    expect(r.stderr).toBe('fetched 3 days, 2025-06-09 … 2025-06-11: 12 read, 12 new, 0 updated, 0 unchanged\n');
    // Each day of the week asked for is recorded, the empty ones too; the rest of the week is not.
    expect(dump(db).fetches.map((f) => [f.period, f.item_count, f.detail])).toEqual([
      ['2025-06-09', 12, 'api week 2025-W24'],
      ['2025-06-10', 0, 'api week 2025-W24'],
      ['2025-06-11', 0, 'api week 2025-W24'],
    ]);
  });

  it('a dated week across two months: one paged query, each paper under the day it names', async () => {
    const { run, db } = online();
    const r = await run(['fetch', '--week', '2025-W18'], { PAPERS_NOW: '2025-06-11T10:00:00Z' });
    expect(r.code).toBe(0);
    expect(apiQueries()).toEqual(['week=2025-W18&p=0']);
    expect(r.stderr).toBe('fetched 7 days, 2025-04-28 … 2025-05-04: 39 read, 39 new, 0 updated, 0 unchanged\n');
    const d = dump(db);
    const perDay = (day: string) => d.listings.filter((l) => l.day === day).length;
    expect(['2025-04-28', '2025-04-29', '2025-04-30', '2025-05-01', '2025-05-02', '2025-05-03'].map(perDay)).toEqual([7, 8, 9, 10, 5, 0]);
    // Ranks run from 1 within each day, in the API's order.
    expect(d.listings.filter((l) => l.day === '2025-05-02').map((l) => l.rank).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(d.fetches).toHaveLength(7);
    // The same days fetched one by one store the same listings.
    const { run: run2, db: db2 } = online();
    for (const day of ['2025-04-28', '2025-04-29', '2025-04-30', '2025-05-01', '2025-05-02']) await run2(['fetch', '--date', day], { PAPERS_NOW: '2025-06-11T10:00:00Z' });
    const byDay = (x: typeof d) => x.listings.map((l) => [l.day, l.paper_id]).sort();
    expect(byDay(dump(db2))).toEqual(byDay(d));
  });

  it('a week whose answer has items without their day: those days are asked one by one', async () => {
    const { run, db } = online();
    // The server strips submittedOnDailyAt from the week answer, as the API did before 2025-03-17.
    h.server.setFault(/week=2025-W18/, faults.reply({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(undatedWeek()) }));
    const r = await run(['fetch', '--since', '2025-04-28', '--until', '2025-04-30'], { PAPERS_NOW: '2025-06-11T10:00:00Z' });
    expect(r.code).toBe(0);
    expect(apiQueries()).toEqual(['week=2025-W18&p=0', 'date=2025-04-28&p=0', 'date=2025-04-29&p=0', 'date=2025-04-30&p=0']);
    expect(dump(db).listings.map((l) => l.day)).toHaveLength(24);
  });

  it('a week the API refuses (HTTP 500): the days are asked one by one', async () => {
    const { run } = online();
    h.server.setFault(/week=/, faults.status(500));
    const r = await run(['fetch', '--since', '2025-04-28', '--until', '2025-04-29', '--retries', '0'], { PAPERS_NOW: '2025-06-11T10:00:00Z' });
    expect(r.code).toBe(0);
    expect(lines(r)[0]).toMatch(/^papers: week=2025-W18: the API failed \(HTTP 500 Internal Server Error\); asking day by day$/);
    expect(apiQueries()).toEqual(['week=2025-W18&p=0', 'date=2025-04-28&p=0', 'date=2025-04-29&p=0']);
  });

  it('once the API refuses a week, the other weeks are asked day by day without trying, with one note', async () => {
    const { run } = online();
    h.server.setFault(/week=/, faults.status(404));
    const r = await run(['fetch', '--since', '2025-04-28', '--until', '2025-05-18', '--retries', '0'], { PAPERS_NOW: '2025-06-11T10:00:00Z' });
    expect(r.code).toBe(0);
    expect(lines(r).filter((l) => l.includes('asking day by day'))).toHaveLength(1);
    // Three weeks planned; at most the ones already in flight (3 at a time) were tried.
    expect(apiQueries().filter((q) => q.startsWith('week=')).length).toBeLessThanOrEqual(3);
    expect(apiQueries().filter((q) => q.startsWith('date='))).toHaveLength(21);
  });

  it('a range of 14 days: never more than 2–4 requests in flight', async () => {
    let active = 0;
    let peak = 0;
    const slow = await startFaultServer({
      routes: (_req, url) => {
        if (url.pathname !== API) return undefined;
        active++;
        peak = Math.max(peak, active);
        const body = async function* () {
          await new Promise((r) => setTimeout(r, 80));
          active--;
          yield '[]';
        };
        return { headers: { 'content-type': 'application/json' }, body: Readable.from(body()) };
      },
    });
    try {
      const { run } = online();
      // Days from before 2025-03-17 are asked one by one (their answers do not name their day).
      const r = await run(['fetch', '--since', '2025-01-01', '--until', '2025-01-14'], { HF_ENDPOINT: slow.url });
      expect(r.code).toBe(0);
      expect(slow.requests).toHaveLength(14);
      expect(peak).toBeGreaterThanOrEqual(2);
      expect(peak).toBeLessThanOrEqual(4);
    } finally {
      await slow.close();
    }
  });

  it('a day in the future is not fetched', async () => {
    const { run } = online();
    const r = await run(['fetch', '--date', '2025-06-13']);
    expect(r).toMatchObject({ code: 0, stderr: 'papers: nothing to fetch: 2025-06-13 is in the future\n' });
    expect(h.server.requests).toHaveLength(0);
  });

  it.each([
    [['fetch', '--max-age', 'soon'], {}, /^papers: invalid --max-age "soon"/],
    [['fetch', '--offline'], {}, /^papers: fetch needs the network, and --offline forbids it: drop --offline\n$/],
    [['fetch'], { PAPERS_OFFLINE: '1' }, /^papers: fetch needs the network, and PAPERS_OFFLINE is set: unset it to fetch\n$/],
    [['fetch', '--offline', '--week', '2025-W18'], { PAPERS_OFFLINE: '1' }, /^papers: fetch needs the network, and --offline forbids it/],
    [['fetch'], { HF_ENDPOINT: 'ftp://example.org' }, /^papers: HF_ENDPOINT must be an http\(s\) URL/],
    [['fetch'], { HF_ENDPOINT: undefined }, /^papers: PAPERS_TEST is set: point HF_ENDPOINT at a test server/],
    [['list', '--refresh'], {}, /^papers: --refresh and --max-age need --date/],
    [['list', '--date', 'today', '--offline', '--refresh'], {}, /^papers: use either --offline or --refresh/],
  ])('usage error %j %j → exit 2, one line, no request', async (args, env, message) => {
    const { run } = online();
    const r = await run(args, env);
    expect(r.code).toBe(2);
    expect(lines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(h.server.requests).toHaveLength(0);
  });
});

/** The 2025-W18 fixtures as one answer whose items do not say their day. */
function undatedWeek(): unknown[] {
  const days = ['2025-04-28', '2025-04-29', '2025-04-30', '2025-05-01', '2025-05-02'];
  return days.flatMap((d) => (JSON.parse(readFileSync(hf(`${d}.json`), 'utf8')) as Array<{ paper: Record<string, unknown> }>).map((i) => ({ ...i, paper: { ...i.paper, submittedOnDailyAt: undefined } })));
}

describe('fault modes: exit code, one line, database unchanged', () => {
  it.each([
    ['headers later than the timeout', API, faults.delayHeaders(5000), ['--timeout', '0.3'], 3, /\(no response from 127\.0\.0\.1:\d+ within 300 ms\)$/],
    ['a body that stalls', API, faults.stallBody(100), ['--timeout', '0.3'], 3, /\(127\.0\.0\.1:\d+ stopped sending the response \(nothing for 300 ms\)\)$/],
    ['429 asking to wait an hour', API, faults.tooManyRequests(3600), ['--retries', '1'], 3, /\(HTTP 429 Too Many Requests; 127\.0\.0\.1:\d+ asks to wait 60 min\)$/],
    ['503 on every try', API, faults.unavailable(), ['--retries', '1'], 3, /\(HTTP 503 Service Unavailable after 2 tries; the listing page did not work either: HTTP 404 Not Found\)$/],
    ['a reset connection', API, faults.reset(), ['--retries', '1'], 3, /\(connection to 127\.0\.0\.1:\d+ was closed unexpectedly after 2 tries\)$/],
    // undici reports a body cut short by a closed connection as the connection closing.
    ['a truncated body', API, faults.truncate(100), [], 3, /\((connection to 127\.0\.0\.1:\d+ was closed unexpectedly|response from 127\.0\.0\.1:\d+ ended early \(shorter than its Content-Length\))\)$/],
    ['invalid JSON', API, faults.invalidJson(), [], 4, /\(expected a JSON array of daily papers, got invalid JSON; the listing page did not work either: HTTP 404 Not Found\)$/],
    ['an HTML page whose layout changed', BOTH, faults.changedHtml(), [], 4, /\(expected a JSON array of daily papers, got an HTML page; the listing page did not work either: page layout not recognized/],
    ['a body over the size cap', API, faults.gzipBomb(), [], 3, /\(response from 127\.0\.0\.1:\d+ is larger than 32 MB\)$/],
    ['a redirect loop', API, faults.redirect((req) => req.url!), [], 3, /\(too many redirects \(a loop back to http:\/\/127\.0\.0\.1:\d+\/api\/daily_papers\?date=2025-01-21&limit=100&p=0\)\)$/],
  ] as const)('%s → exit %i', async (_name, match, fault, flags, code, message) => {
    const { run, db } = seeded();
    const before = snapshot(db);
    h.server.setFault(match, fault);
    const r = await run(['fetch', '--date', OLD_DAY, ...flags]);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(lines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^papers: could not fetch ${OLD_DAY} from 127\\.0\\.0\\.1:\\d+ \\(`));
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(snapshot(db).equals(before)).toBe(true);
  });

  it('a closed port (offline machine) fails at once with exit 3, database unchanged', async () => {
    const { run, db } = seeded();
    const before = snapshot(db);
    const r = await run(['fetch', '--date', OLD_DAY], { HF_ENDPOINT: 'http://127.0.0.1:1', PAPERS_RETRIES: '3' });
    expect(r.code).toBe(3);
    // Not retried: a retried failure names its tries ("after 4 tries").
    expect(r.stderr).toBe(`papers: could not fetch ${OLD_DAY} from 127.0.0.1:1 (127.0.0.1:1 refused the connection)\n`);
    expect(snapshot(db).equals(before)).toBe(true);
  });

  it.each([
    ['429 with Retry-After: 1, once', faults.tooManyRequests(1), /^papers: 2025-01-21: HTTP 429 Too Many Requests; trying again in 1(\.\d)? s \(try 2 of 2\)$/],
    ['503 once, then 200', faults.unavailable(), null],
    ['a reset connection, once', faults.reset(), null],
  ])('%s → stored after a retry', async (_name, fault, note) => {
    const { run, db } = online();
    h.server.setFault(API, fault, 1);
    const r = await run(['fetch', '--date', OLD_DAY, '--retries', '1', '--timeout', '0.5']);
    expect(r.code).toBe(0);
    const out = lines(r);
    expect(out.at(-1)).toBe(`fetched ${OLD_DAY}: 3 read, 3 new, 0 updated, 0 unchanged`);
    if (note) expect(out[0]).toMatch(note);
    else expect(out).toHaveLength(1);
    expect(dump(db).listings.filter((l) => l.day === OLD_DAY)).toHaveLength(3);
  });

  // Encodings, truncation and stalls that a retry fixes are covered by test/unit/http.test.ts.
  it.each([
    ['the wrong content-type (the body is what counts)', faults.wrongContentType('text/html; charset=utf-8')],
    ['a brotli body', faults.encode('br')],
  ])('%s → stored', async (_name, fault) => {
    const { run, db } = online();
    h.server.setFault(API, fault);
    const r = await run(['fetch', '--date', OLD_DAY]);
    expect(r).toMatchObject({ code: 0, stderr: `fetched ${OLD_DAY}: 3 read, 3 new, 0 updated, 0 unchanged\n` });
    expect(dump(db).listings).toHaveLength(3);
  });

  it.each([
    ['503', faults.unavailable(), 'HTTP 503 Service Unavailable'],
    ['invalid JSON', faults.invalidJson(), 'expected a JSON array of daily papers, got invalid JSON'],
    ['an HTML page', faults.changedHtml(), 'expected a JSON array of daily papers, got an HTML page'],
  ])('the API answers %s: the listing page is read instead, and stderr says so', async (_name, fault, reason) => {
    const { run, db } = online();
    h.server.setFault(API, fault);
    const r = await run(['fetch', '--date', PAGE_DAY]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `papers: ${PAGE_DAY}: the API failed (${reason}); read the listing page instead\n` +
        `fetched ${PAGE_DAY}: 12 read, 12 new, 0 updated, 0 unchanged; from the listing page\n`,
    );
    expect(h.server.requests.map((q) => q.url)).toEqual([`${API}?date=${PAGE_DAY}&limit=100&p=0`, `/papers/date/${PAGE_DAY}`]);
    expect(h.server.requests[1]!.headers['accept']).toBe('text/html');
    const d = dump(db);
    expect(d.listings).toHaveLength(12);
    expect(d.fetches).toMatchObject([{ period: PAGE_DAY, status: 'ok', detail: 'listing page', item_count: 12 }]);
  });

  it('an empty day ([]) is a successful fetch: recorded with 0 items, nothing else changes', async () => {
    const { run, db } = seeded();
    const before = dump(db);
    const r = await run(['fetch', '--date', '2025-06-08']);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'fetched 2025-06-08: 0 read, 0 new, 0 updated, 0 unchanged; no papers listed that day\n' });
    const after = dump(db);
    expect(after.papers).toEqual(before.papers);
    expect(after.listings).toEqual(before.listings);
    expect(after.fetches).toEqual([...before.fetches, expect.objectContaining({ period: '2025-06-08', item_count: 0, status: 'ok' })]);
    // Recorded, so not asked again: 2025-06-08 is an older day fetched after it was 2 days old.
    await run(['fetch', '--date', '2025-06-08']);
    expect(apiDays()).toEqual(['2025-06-08']);
  });

  it('a later, smaller answer merges: upvotes update, a new paper is added, nothing is deleted', async () => {
    const { run, db } = online();
    await run(['fetch', '--date', PAGE_DAY]);
    const first = dump(db);
    const top3 = sample.slice(0, 3).map((item) => ({ ...item, paper: { ...item.paper, upvotes: item.paper.upvotes + 100 } }));
    const extra = { ...sample[0]!, paper: { ...sample[0]!.paper, id: '2506.99999', title: 'A Paper Added Late', upvotes: 1 } };
    h.server.setFault(API, faults.reply({ headers: { 'content-type': 'application/json' }, body: JSON.stringify([...top3, extra]) }));
    const r = await run(['fetch', '--date', PAGE_DAY, '--refresh']);
    expect(r).toMatchObject({ code: 0, stderr: `fetched ${PAGE_DAY}: 4 read, 1 new, 3 updated, 0 unchanged\n` });
    const after = dump(db);
    expect(after.listings.map((l) => l.paper_id).sort()).toEqual([...first.listings.map((l) => l.paper_id), '2506.99999'].sort());
    for (const item of top3) expect(after.papers.find((p) => p.id === item.paper.id)!.upvotes).toBe(item.paper.upvotes);
    // An empty answer later deletes nothing either.
    h.server.reset();
    h.server.setFault(API, faults.emptyDay());
    expect((await run(['fetch', '--date', PAGE_DAY, '--refresh'])).code).toBe(0);
    expect(dump(db).listings).toHaveLength(13);
  });

  it('several days, some failing: each failure on a line, the count last, the others stored', async () => {
    const { run, db } = online();
    h.server.setFault(/date=2025-02-0[45]/, faults.unavailable());
    const r = await run(['fetch', '--since', '2025-02-03', '--until', '2025-02-07']);
    expect(r.code).toBe(3);
    expect(lines(r)).toEqual([
      'fetched 3 days, 2025-02-03 … 2025-02-07: 30 read, 30 new, 0 updated, 0 unchanged',
      expect.stringMatching(/^papers: could not fetch 2025-02-04 from 127\.0\.0\.1:\d+ \(HTTP 503 Service Unavailable; the listing page did not work either: HTTP 404 Not Found\)$/),
      expect.stringMatching(/^papers: could not fetch 2025-02-05 from /),
      'papers: 2 of 5 days could not be fetched; the others were stored',
    ]);
    expect(dump(db).fetches.map((f) => f.period)).toEqual(expect.arrayContaining(['2025-02-03', '2025-02-06', '2025-02-07']));
    expect(dump(db).fetches).toHaveLength(3);
  });

  it('starts no new day after 3 failures (those in flight still end)', async () => {
    const { run } = online();
    h.server.setFault(API, faults.reset());
    const r = await run(['fetch', '--week', '2025-W06']);
    expect(r.code).toBe(3);
    expect(lines(r).at(-1)).toMatch(/^papers: 7 of 7 days could not be fetched \([2-4] not tried after [3-5] failures\); nothing was stored$/);
    expect(apiDays().length).toBeLessThanOrEqual(5);
  });
});

describe('freshness', () => {
  it('today is refetched after --max-age; an older day once more, then never; --refresh always', async () => {
    const { run } = online();
    const at = (now: string, ...flags: string[]) => run(['fetch', '--date', PAGE_DAY, ...flags], { PAPERS_NOW: now });
    const asked = () => apiDays().length;
    await at('2025-06-09T08:00:00Z');
    expect(asked()).toBe(1);
    const fresh = await at('2025-06-09T08:30:00Z');
    expect(fresh.stderr).toBe(`papers: nothing to fetch: ${PAGE_DAY} is up to date (--refresh fetches it again)\n`);
    expect(asked()).toBe(1);
    await at('2025-06-09T09:30:00Z'); // older than the default max-age of 1 h
    expect(asked()).toBe(2);
    await at('2025-06-09T11:00:00Z', '--max-age', '2h');
    expect(asked()).toBe(2);
    await at('2025-06-09T11:00:00Z', '--max-age', '1h');
    expect(asked()).toBe(3);
    await run(['fetch', '--date', PAGE_DAY], { PAPERS_NOW: '2025-06-10T23:00:00Z', PAPERS_MAX_AGE: '0' }); // still recent
    expect(asked()).toBe(4);
    await at('2025-06-12T10:00:00Z'); // older now, last fetched before it was 2 days old: once more
    expect(asked()).toBe(5);
    await at('2025-06-30T10:00:00Z'); // final
    expect(asked()).toBe(5);
    await at('2025-06-30T10:00:00Z', '--refresh');
    expect(asked()).toBe(6);
  });

  it('a failed fetch is not recorded, so the next run tries again', async () => {
    const { run, db } = online();
    h.server.setFault(API, faults.unavailable(), 1);
    expect((await run(['fetch', '--date', OLD_DAY])).code).toBe(3);
    expect(existsSync(db) ? dump(db).fetches : []).toEqual([]);
    expect((await run(['fetch', '--date', OLD_DAY])).code).toBe(0);
    expect(apiDays()).toEqual([OLD_DAY, OLD_DAY]);
  });

  it('--offline and PAPERS_OFFLINE never touch the network', async () => {
    const { run } = online();
    expect((await run(['list', '--date', PAGE_DAY, '--offline'])).code).toBe(1);
    expect((await run(['list', '--week', '2025-W06'], { PAPERS_OFFLINE: '1' })).code).toBe(1);
    expect((await run(['today', '--offline'])).code).toBe(1);
    expect(h.server.requests).toHaveLength(0);
  });
});


describe('the list header says how fresh the data is', () => {
  it('fetched just now, then minutes later; nothing in a pipe', async () => {
    const { run } = online();
    await run(['fetch', '--date', PAGE_DAY]);
    const tty = { PAPERS_FORCE_TTY: '1', NO_COLOR: '1', COLUMNS: '100' };
    const now = await run(['list', '--date', PAGE_DAY, '--offline'], tty);
    expect(now.stdout.split('\n')[0]).toBe(`Daily Papers · ${PAGE_DAY} · 12 papers · fetched just now`);
    const later = await run(['list', '--date', PAGE_DAY, '--offline'], { ...tty, PAPERS_NOW: new Date(Date.parse(NOW) + 25 * 60_000).toISOString() });
    expect(later.stdout.split('\n')[0]).toBe(`Daily Papers · ${PAGE_DAY} · 12 papers · fetched 25 min ago`);
    const piped = await run(['list', '--date', PAGE_DAY, '--offline']);
    expect(piped.stdout).not.toMatch(/fetched/);
  });
});

describe('every wait bounded, every fetch capped', () => {
  it('a body that drips a byte at a time is cut at the whole-request limit (twice --timeout, plus a second): exit 3 naming the host and the limit', async () => {
    const { run, db } = seeded();
    const before = snapshot(db);
    // A byte every 200 ms: never idle for the 1 s timeout, and it would take hours to finish.
    h.server.setFault(API, faults.drip(200));
    const r = await run(['fetch', '--date', OLD_DAY, '--timeout', '1', '--retries', '0']);
    expect(r.code).toBe(3);
    expect(lines(r)).toEqual([expect.stringMatching(new RegExp(`^papers: could not fetch ${OLD_DAY} from 127\\.0\\.0\\.1:\\d+ \\(127\\.0\\.0\\.1:\\d+ did not finish sending the response within 3 s\\)$`))]);
    expect(apiQueries()).toHaveLength(1);
    expect(snapshot(db).equals(before)).toBe(true);
  });

  it('with retries, a dripping body still ends within the command budget (4 × --timeout)', async () => {
    const { run, db } = seeded();
    const before = snapshot(db);
    h.server.setFault(API, faults.drip(200));
    const r = await run(['fetch', '--date', OLD_DAY, '--timeout', '1', '--retries', '10']);
    expect(r.code).toBe(3);
    // The budget (5 s) ends it, not the 11 tries allowed; the message still says what the tries before ran into.
    expect(lines(r)).toEqual([expect.stringMatching(/\(no answer in the time allowed after \d+ tries; try \d+: 127\.0\.0\.1:\d+ did not finish sending the response within 3 s\)$/)]);
    const tries = Number(/after (\d+) tries/.exec(r.stderr)![1]);
    expect(tries).toBeLessThan(11);
    expect(apiQueries()).toHaveLength(tries);
    expect(snapshot(db).equals(before)).toBe(true);
  });

  it('503 with Retry-After: 59 forever: a wait longer than the budget left is not waited for, exit 3, database unchanged', async () => {
    const { run, db } = seeded();
    const before = snapshot(db);
    h.server.setFault(BOTH, faults.status(503, { 'retry-after': '59' }));
    const r = await run(['fetch', '--date', PAGE_DAY], { PAPERS_RETRIES: '3' });
    expect(r.code).toBe(3);
    expect(lines(r)).toEqual([
      expect.stringMatching(new RegExp(`^papers: could not fetch ${PAGE_DAY} from 127\\.0\\.0\\.1:\\d+ \\(HTTP 503 Service Unavailable; 127\\.0\\.0\\.1:\\d+ asks to wait 59 s, more than the (1\\d|20)(\\.\\d)? s left of the time allowed\\)$`)),
    ]);
    expect(apiQueries()).toHaveLength(1); // the 59 s were not waited for
    expect(snapshot(db).equals(before)).toBe(true);
  });

  it('the listing-page fallback spends the same budget as the API before it', async () => {
    const { run, db } = seeded();
    const before = snapshot(db);
    h.server.setFault(BOTH, faults.status(503, { 'retry-after': '4' }));
    // --timeout 2: a budget of 8 s. The API's two tries and one 4 s wait leave under 4 s: the page gets one try, and no 4 s wait.
    const r = await run(['fetch', '--date', PAGE_DAY, '--timeout', '2', '--retries', '1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/the listing page did not work either: HTTP 503 Service Unavailable; 127\.0\.0\.1:\d+ asks to wait 4 s, more than the [\d.]+ s left of the time allowed\)\n$/);
    expect(apiQueries()).toHaveLength(2);
    expect(h.server.requests.filter((q) => q.url.startsWith('/papers/date/'))).toHaveLength(1);
    expect(snapshot(db).equals(before)).toBe(true);
  });

  it('a day served as page after page of big items is cut at 64 MB for all its answers: exit 3, database unchanged', async () => {
    const abstract = 'x'.repeat(100 * 1024);
    // 100 items of 100 KB a page, new ids on every page, as many pages as asked for.
    const big = await startFaultServer({
      routes: (_req, url) => {
        if (url.pathname !== API) return undefined;
        const p = Number(url.searchParams.get('p') ?? 0);
        const items = Array.from({ length: 100 }, (_, i) => ({ ...sample[0], paper: { ...sample[0]!.paper, id: `2501.${String(10_000 + p * 100 + i)}`, summary: abstract } }));
        return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(items) };
      },
    });
    try {
      const { run, db } = seeded();
      const before = snapshot(db);
      const r = await run(['fetch', '--date', OLD_DAY], { HF_ENDPOINT: big.url });
      expect(r.code).toBe(3);
      expect(lines(r)).toEqual([expect.stringMatching(/^papers: could not fetch 2025-01-21 from 127\.0\.0\.1:\d+ \(the answers from 127\.0\.0\.1:\d+ for one listing add up to more than 64 MB\)$/)]);
      // Six pages of ~10 MB fit, the seventh does not; nothing past it is asked for.
      expect(big.requests).toHaveLength(7);
      expect(snapshot(db).equals(before)).toBe(true);
    } finally {
      await big.close();
    }
  }, 60_000);
});
