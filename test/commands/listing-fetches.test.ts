/**
 * Listings that fetch (`today`, `list` with a range) against the loopback fault server: a bad
 * network costs seconds once (one time budget, the host's failure remembered), imports count
 * as fetches, ranges cost a few requests and a listing never fetches years on its own.
 * The harness: test/support/online.ts.
 */
import { copyFileSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faults } from '../support/fault-server.js';
import { BOTH, PAGE_DAY, dump, hf, hostFailures, lines, onlineHarness, snapshot } from '../support/online.js';
import { FIXTURES } from '../support/run.js';

const h = onlineHarness();
const { online, apiQueries } = h;
const host = () => new URL(h.server.url).host;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** 2025-06-09's listing imported at 08:00 that day; the network defaults (15 s, 3 retries), not the harness's quick ones. */
async function morning() {
  const o = online();
  const at = (time: string) => ({ PAPERS_NOW: `2025-06-09T${time}:00Z`, PAPERS_TIMEOUT: undefined, PAPERS_RETRIES: undefined });
  expect((await o.run(['import', hf('hfdp-ml_2025-06-09.json')], at('08:00'))).code).toBe(0);
  return { ...o, at };
}

describe('a bad network costs seconds, once', () => {
  it('a hanging API: today shows the database after one budget, then answers at once while the failure is recent', async () => {
    const { run, db, at } = await morning();
    h.server.setFault(/^\/api\//, faults.delayHeaders(120_000));
    const before = snapshot(db);
    // Three hours later the day is stale: it is asked for, and the host never answers.
    const first = await run(['today'], at('11:00'));
    expect(first.code).toBe(0);
    expect(first.stdout.trimEnd().split('\n')).toHaveLength(12);
    expect(lines(first)).toEqual([`papers: could not fetch ${PAGE_DAY} from ${host()} (no answer in the time allowed); showing what the database has`]);
    // One request: the budget (5 s) ended it, with no retry (the defaults would try 4 times, 15 s each).
    expect(apiQueries()).toEqual([`date=${PAGE_DAY}&p=0`]);
    expect(snapshot(db).equals(before)).toBe(true);
    expect(hostFailures(db)).toEqual([{ host: host(), failed_at: '2025-06-09T11:00:00.000Z', retry_at: null, reason: 'no answer in the time allowed' }]);

    // Three minutes later: no request at all, and it says why.
    const second = await run(['today'], at('11:03'));
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(lines(second)).toEqual([`papers: ${host()} did not answer 3 min ago; showing what the database has (--refresh to try now)`]);
    expect(apiQueries()).toHaveLength(1);
    // A range over local days says the same, and asks nothing either.
    const week = await run(['list', '--week', '2025-W24'], at('11:04'));
    expect(week.code).toBe(0);
    expect(lines(week)).toEqual([`papers: ${host()} did not answer 4 min ago; showing what the database has (--refresh to try now)`]);
    expect(apiQueries()).toHaveLength(1);

    // --refresh always asks; so does a listing once the failure is 10 minutes old.
    h.server.reset();
    const refreshed = await run(['today', '--refresh'], at('11:05'));
    expect(refreshed).toMatchObject({ code: 0, stderr: '' });
    expect(apiQueries()).toEqual([`date=${PAGE_DAY}&p=0`]);
    // The success forgot the failure.
    expect(hostFailures(db)).toEqual([]);
  }, 40_000);

  it('a failure older than 10 minutes is tried again', async () => {
    const { run, db, at } = await morning();
    h.server.setFault(BOTH, faults.unavailable());
    expect((await run(['today', '--retries', '0'], at('11:00'))).code).toBe(0);
    expect(hostFailures(db)[0]).toMatchObject({ reason: expect.stringMatching(/^HTTP 503 Service Unavailable; the listing page did not work either: HTTP 503 Service Unavailable$/) });
    const asked = apiQueries().length;
    const soon = await run(['today'], at('11:09'));
    expect(lines(soon)).toEqual([`papers: ${host()} failed 9 min ago (HTTP 503 Service Unavailable; the listing page did not work either: HTTP 503 Service Unavailable); showing what the database has (--refresh to try now)`]);
    expect(apiQueries()).toHaveLength(asked);
    await run(['today', '--retries', '0'], at('11:11'));
    expect(apiQueries().length).toBeGreaterThan(asked);
  });

  it('a Retry-After past the budget: no wait at all, and no asking again before that time', async () => {
    const { run, db, at } = await morning();
    h.server.setFault(/^\/api\//, faults.tooManyRequests(3600));
    const first = await run(['today'], at('11:00'));
    expect(first.code).toBe(0);
    expect(lines(first)).toEqual([expect.stringMatching(new RegExp(`^papers: could not fetch ${PAGE_DAY} from ${esc(host())} \\(HTTP 429 Too Many Requests; ${esc(host())} asks to wait 60 min\\); showing what the database has$`))]);
    expect(apiQueries()).toHaveLength(1);
    expect(hostFailures(db)[0]!.retry_at).toMatch(/^2025-06-09T12:00:/);
    // 30 minutes later the host's own hour is not over: still nothing asked.
    const later = await run(['today'], at('11:30'));
    expect(lines(later)).toEqual([`papers: ${host()} failed 30 min ago (HTTP 429 Too Many Requests), and asked to be left alone until 12:00 UTC; showing what the database has (--refresh to try now)`]);
    expect(apiQueries()).toHaveLength(1);
  });

  it('with nothing in the database to show, the usual timeouts and retries apply (and a refused port fails at once)', async () => {
    const { run, db } = online();
    h.server.setFault(/^\/api\//, faults.delayHeaders(120_000));
    const r = await run(['list', '--date', PAGE_DAY], { PAPERS_TIMEOUT: '0.3', PAPERS_RETRIES: '2' });
    expect(r.code).toBe(3);
    // Three tries of the API: no budget cut them short.
    expect(apiQueries()).toEqual([`date=${PAGE_DAY}&p=0`, `date=${PAGE_DAY}&p=0`, `date=${PAGE_DAY}&p=0`]);
    expect(hostFailures(db)).toHaveLength(1);
  });

  it('papers fetch always asks, whatever failed a moment ago', async () => {
    const { run, db, at } = await morning();
    h.server.setFault(BOTH, faults.unavailable());
    expect((await run(['today', '--retries', '0'], at('11:00'))).code).toBe(0);
    expect(hostFailures(db)).toHaveLength(1);
    h.server.reset();
    const r = await run(['fetch', '--date', PAGE_DAY], at('11:01'));
    expect(r.code).toBe(0);
    expect(apiQueries()).toEqual([`date=${PAGE_DAY}&p=0`]);
    expect(hostFailures(db)).toEqual([]);
  });
});

describe('what was imported counts', () => {
  it('an API answer imported: the day is not asked for again', async () => {
    const { run, db } = online();
    await run(['import', hf('hfdp-ml_2025-06-09.json')]);
    expect(dump(db).fetches).toEqual([
      { source: 'hf', period: PAGE_DAY, fetched_at: '2025-06-12T10:00:00.000Z', item_count: 12, status: 'import', detail: 'import hfdp-ml_2025-06-09.json' },
    ]);
    const r = await run(['list', '--date', PAGE_DAY]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(h.server.requests).toHaveLength(0);
  });

  it('a saved page with its embedded listing counts; a cards-only page and copied text do not', async () => {
    const page = online();
    await page.run(['import', join(FIXTURES, 'hf-html', '2025-06-09.html')]);
    await page.run(['list', '--date', PAGE_DAY]);
    expect(h.server.requests).toHaveLength(0);
    for (const [file, flags] of [
      [join(FIXTURES, 'hf-html', 'cards-only.html'), ['--date', PAGE_DAY]],
      [join(FIXTURES, 'page-text', '2025-06-09.txt'), ['--date', PAGE_DAY]],
    ] as const) {
      h.server.reset();
      const o = online();
      expect((await o.run(['import', file, ...flags])).code).toBe(0);
      expect(dump(o.db).fetches).toEqual([]);
      await o.run(['list', '--date', PAGE_DAY]);
      expect(apiQueries()).toEqual([`date=${PAGE_DAY}&p=0`]);
    }
  });

  it('a file saved while its day was still growing is fetched once more, as a fetch at that time would be', async () => {
    const { run, db } = online();
    const dir = mkdtempSync(join(tmpdir(), 'papers-saved-'));
    const file = join(dir, 'hfdp-ml_2025-06-09.json');
    copyFileSync(hf('hfdp-ml_2025-06-09.json'), file);
    const saved = new Date('2025-06-09T09:30:00Z');
    utimesSync(file, saved, saved);
    await run(['import', file]);
    expect(dump(db).fetches[0]).toMatchObject({ fetched_at: saved.toISOString(), status: 'import' });
    await run(['list', '--date', PAGE_DAY]);
    expect(apiQueries()).toEqual([`date=${PAGE_DAY}&p=0`]);
    await run(['list', '--date', PAGE_DAY]);
    expect(apiQueries()).toHaveLength(1);
  });

  it('an empty answer ([]) named by its file is an empty day, not a missing one', async () => {
    const { run } = online();
    const dir = mkdtempSync(join(tmpdir(), 'papers-empty-'));
    writeFileSync(join(dir, '2025-06-08.json'), '[]');
    expect((await run(['import', join(dir, '2025-06-08.json')])).code).toBe(0);
    const r = await run(['list', '--date', '2025-06-08']);
    expect(r.code).toBe(1);
    expect(h.server.requests).toHaveLength(0);
  });
});

describe('ranges are cheap', () => {
  it('a week of days that name their day: one request', async () => {
    const { run } = online();
    const r = await run(['list', '--week', '2025-W18']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(39);
    expect(apiQueries()).toEqual(['week=2025-W18&p=0']);
  });

  it('a listing fetches at most 31 missing days on its own, and names the command for the rest', async () => {
    const { run } = online();
    const r = await run(['list', '--since', '2024-01-01', '--min-upvotes', '30']);
    // 2025-05-13 … 2025-06-12 are the 31 newest: three weeks of May and June so far, in four
    // requests (sent together: the order they arrive in is the network's).
    expect(apiQueries().sort()).toEqual(['month=2025-06&p=0', 'week=2025-W20&p=0', 'week=2025-W21&p=0', 'week=2025-W22&p=0']);
    expect(lines(r)[0]).toBe(
      'papers: 498 days from 2024-01-01 to 2025-05-12 are missing or stale and were not fetched (a listing fetches at most 31 days on its own); to fetch them: papers fetch --since 2024-01-01 --until 2025-05-12',
    );
    // `papers fetch` has no cap; days before Daily Papers began are never asked for.
    h.server.reset();
    const f = await run(['fetch', '--since', '2023-04-25', '--until', '2023-05-02']);
    expect(f.code).toBe(0);
    expect(apiQueries()).toEqual(['date=2023-05-01&p=0', 'date=2023-05-02&p=0']);
  });
});
