/**
 * Commands that read after fetching — `papers list` with a range and `papers today` — against
 * the loopback fault server, with stale-if-error; the token and the proxy. The harness:
 * test/support/online.ts.
 */
import { describe, expect, it } from 'vitest';
import { faults } from '../support/fault-server.js';
import { API, BOTH, OLD_DAY, PAGE_DAY, lines, onlineHarness, sample, snapshot } from '../support/online.js';
import { stripAnsi } from '../support/run.js';

const h = onlineHarness();
const { online, apiDays, seeded } = h;

describe('papers list with a range', () => {
  it('fetches missing days first, then prints', async () => {
    const { run } = online();
    const r = await run(['list', '--week', '2025-W06']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(47);
    expect(apiDays()).toHaveLength(7);
    // A second look is served from the database.
    const again = await run(['list', '--week', '2025-W06', '--min-upvotes', '10']);
    expect(again.code).toBe(0);
    expect(apiDays()).toHaveLength(7);
  });

  it('without a range it reads the database only, even online', async () => {
    const { run } = online();
    await run(['fetch', '--date', PAGE_DAY]);
    h.server.reset();
    const r = await run(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(12);
    expect(h.server.requests).toHaveLength(0);
  });

  it('stale-if-error: a day that fails is a one-line warning, the rest is shown (exit 0), nothing changes', async () => {
    const { run, db } = online();
    await run(['fetch', '--since', '2025-02-03', '--until', '2025-02-06']);
    h.server.reset();
    h.server.setFault(/date=2025-02-07/, faults.unavailable());
    h.server.setFault(/date=2025-02-0[89]/, faults.reset());
    const before = snapshot(db);
    const r = await run(['list', '--week', '2025-W06']);
    expect(r.code).toBe(0);
    expect(lines(r)).toEqual([
      expect.stringMatching(/^papers: could not fetch 3 of 3 days from 127\.0\.0\.1:\d+ \(2025-02-07: HTTP 503 Service Unavailable; the listing page did not work either: HTTP 404 Not Found\); showing what the database has$/),
    ]);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(30);
    expect(snapshot(db).equals(before)).toBe(true);
  });

  it('nothing in the database for the range and the fetch fails: exit 3, naming the failure and `papers import`', async () => {
    const { run, db } = seeded();
    const before = snapshot(db);
    h.server.setFault(API, faults.unavailable());
    const r = await run(['list', '--date', OLD_DAY]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(lines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(/^papers: could not fetch 2025-01-21 from 127\.0\.0\.1:\d+ \(HTTP 503 Service Unavailable; .*\), and the database has nothing for it; try again later, or save the page in a browser and `papers import` it\n$/);
    expect(snapshot(db).equals(before)).toBe(true);
  });

  it('a format change with nothing cached is exit 4', async () => {
    const { run } = online();
    h.server.setFault(API, faults.invalidJson());
    const r = await run(['list', '--date', OLD_DAY]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/got invalid JSON/);
  });

  it('`list --date today` on a day without papers: exit 1 with a message', async () => {
    const { run } = online();
    const r = await run(['list', '--date', 'today'], { PAPERS_NOW: '2025-02-08T09:00:00Z' });
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'papers: no papers listed on 2025-02-08\n' });
    expect(apiDays()).toEqual(['2025-02-08']);
  });
});

describe('papers today', () => {
  it('on a fresh machine: fetches and shows today', async () => {
    const { run } = online();
    const r = await run(['today'], { PAPERS_NOW: '2025-06-09T12:00:00Z' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(12);
    expect(r.stdout.split('\t')[2]).toBe(PAGE_DAY);
    expect(apiDays()).toEqual([PAGE_DAY]);
  });

  it('on a terminal: a progress bar on stderr while fetching, erased after; the listing header on stdout', async () => {
    const { run } = online();
    const r = await run(['today', '--color', 'never'], { PAPERS_NOW: '2025-06-09T12:00:00Z', PAPERS_FORCE_TTY: '1', COLUMNS: '80' });
    expect(r.code).toBe(0);
    expect(stripAnsi(r.stdout)).toMatch(/^Daily Papers · 2025-06-09 · 12 papers\n/);
    expect(r.stderr).toMatch(/^\r\x1b\[Kfetching ░+ 0\/1 day\r\x1b\[Kfetching █+ 1\/1 day 2025-06-09\r\x1b\[K$/);
  });

  it('piped: no progress bar, even for a range', async () => {
    const { run } = online();
    const r = await run(['fetch', '--week', '2025-W06']);
    expect(r.stderr).not.toMatch(/[\r\x1b]/);
  });

  it('on a Saturday: shows the latest day with papers and says which and why', async () => {
    const { run } = online();
    const r = await run(['today'], { PAPERS_NOW: '2025-02-08T09:00:00Z' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('papers: no papers listed on 2025-02-08 (a Saturday: Daily Papers has none on weekends); showing 2025-02-07, the latest day with papers\n');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(17);
    // Today first, then the 3 days before it, fetched together.
    expect(apiDays()[0]).toBe('2025-02-08');
    expect(apiDays().slice(1).sort()).toEqual(['2025-02-05', '2025-02-06', '2025-02-07']);
    // Ten minutes later everything is fresh (or final): no request at all.
    h.server.reset();
    const again = await run(['today'], { PAPERS_NOW: '2025-02-08T09:10:00Z' });
    expect(again.stdout).toBe(r.stdout);
    expect(h.server.requests).toHaveLength(0);
  });

  it('early on a weekday with nothing yet: the previous day with papers', async () => {
    const { run } = online();
    const r = await run(['today'], { PAPERS_NOW: '2025-02-10T05:00:00Z' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('papers: no papers listed on 2025-02-10 (none published yet today); showing 2025-02-07, the latest day with papers\n');
  });

  it('network failing, day cached: the cache with a one-line warning, exit 0, database unchanged', async () => {
    const { run, db } = online();
    await run(['today'], { PAPERS_NOW: '2025-06-09T08:00:00Z' });
    const before = snapshot(db);
    h.server.setFault(BOTH, faults.unavailable());
    const r = await run(['today'], { PAPERS_NOW: '2025-06-09T12:00:00Z' });
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(12);
    expect(lines(r)).toEqual([
      expect.stringMatching(/^papers: could not fetch 2025-06-09 from 127\.0\.0\.1:\d+ \(HTTP 503 Service Unavailable; the listing page did not work either: HTTP 503 Service Unavailable\); showing what the database has$/),
    ]);
    expect(snapshot(db).equals(before)).toBe(true);
  });

  it('network failing, an older day cached: that day, and the warning says which', async () => {
    const { run } = online();
    await run(['fetch', '--date', PAGE_DAY]);
    const r = await run(['today'], { PAPERS_NOW: '2025-06-11T12:00:00Z', HF_ENDPOINT: 'http://127.0.0.1:1' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('papers: could not fetch 2025-06-11 from 127.0.0.1:1 (127.0.0.1:1 refused the connection); showing 2025-06-09, the latest day in the database\n');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(12);
  });

  it('network failing, nothing cached: exit 3 suggesting `papers import`', async () => {
    const { run } = online();
    const r = await run(['today'], { HF_ENDPOINT: 'http://127.0.0.1:1' });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'papers: could not fetch 2025-06-12 from 127.0.0.1:1 (127.0.0.1:1 refused the connection), and the database has nothing for it; try again later, or save the page in a browser and `papers import` it\n',
    );
  });

  it('--offline: the database only, saying what it shows', async () => {
    const { run } = online();
    await run(['fetch', '--date', PAGE_DAY]);
    h.server.reset();
    const r = await run(['today', '--offline'], { PAPERS_NOW: '2025-06-10T08:00:00Z' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('papers: no papers listed on 2025-06-10 (not in the database, and offline); showing 2025-06-09, the latest day with papers\n');
    expect(h.server.requests).toHaveLength(0);
    const empty = await online().run(['today', '--offline']);
    expect(empty).toMatchObject({ code: 1, stderr: 'papers: no papers in the database yet: run `papers today` without --offline, or `papers import` a saved listing\n' });
  });

  it('filters and JSON apply to the day shown', async () => {
    const { run } = online();
    const r = await run(['today', '--min-upvotes', '20', '--json'], { PAPERS_NOW: '2025-06-09T12:00:00Z' });
    const rows = JSON.parse(r.stdout) as Array<{ upvotes: number; listedOn: string }>;
    expect(rows.length).toBe(sample.filter((s) => s.paper.upvotes >= 20).length);
    expect(rows.every((x) => x.upvotes >= 20 && x.listedOn === PAGE_DAY)).toBe(true);
  });
});

describe('token, proxy', () => {
  it('HF_TOKEN goes to HF_ENDPOINT as a bearer token, not to another host after a redirect, and is never printed', async () => {
    const { run } = online();
    const secret = 'hf_TESTtokenNEVERprinted';
    h.server.setFault(API, faults.redirect((req) => `http://localhost:${h.server.port}${req.url}`), 1);
    const r = await run(['fetch', '--date', OLD_DAY], { HF_TOKEN: secret });
    expect(r.code).toBe(0);
    expect(h.server.requests[0]!.headers['authorization']).toBe(`Bearer ${secret}`);
    expect(h.server.requests[1]!.headers['host']).toBe(`localhost:${h.server.port}`);
    expect(h.server.requests[1]!.headers['authorization']).toBeUndefined();
    h.server.reset();
    h.server.setFault(BOTH, faults.status(401));
    const failed = await run(['--verbose', 'fetch', '--date', OLD_DAY, '--refresh'], { HF_TOKEN: secret });
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/HTTP 401 Unauthorized/);
    expect(failed.stderr + failed.stdout).not.toContain(secret);
  });

  it('HTTP_PROXY is used for HF_ENDPOINT', async () => {
    const { run } = online();
    const r = await run(['fetch', '--date', OLD_DAY], { HF_ENDPOINT: 'http://hf.invalid', HTTP_PROXY: h.server.url });
    expect(r.code).toBe(0);
    expect(h.server.requests.map((q) => q.url)).toEqual([`http://hf.invalid${API}?date=${OLD_DAY}&limit=100&p=0`]);
  });
});
