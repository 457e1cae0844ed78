/**
 * HF's own orders of a listing day (`--sort trending` on `list --date` and `today`): asked for
 * beside the day's listing, kept as served, read back offline; a failed order is one note and
 * the listing in rank order. And `--submitter`, on what Daily Papers says of who submitted.
 */
import type { IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { faults } from '../support/fault-server.js';
import { API, hf, onlineHarness, PAGE_DAY, sample } from '../support/online.js';

const h = onlineHarness();
const trending = (_req: IncomingMessage, url: URL) => url.pathname === API && url.searchParams.get('sort') === 'trending';
// HF's trending answer has the day's items in another order: the real items of the day, reversed.
const served = [...sample].reverse();
const ids = (stdout: string) => stdout.trim().split('\n').map((l) => l.split('\t')[0]);
const trendingRequests = () => h.server.requests.filter((r) => r.url.includes('sort=trending')).map((r) => r.url);

describe('--sort trending', () => {
  it('list --date: HF order as served, stored beside the rank; offline it is read back', async () => {
    const o = h.online();
    h.server.setFault(trending, faults.reply({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(served) }));
    const r = await o.run(['list', '--date', PAGE_DAY, '--sort', 'trending']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(served.map((i) => i.paper.id));
    expect(trendingRequests()).toEqual([`${API}?date=${PAGE_DAY}&sort=trending&limit=100&p=0`]);
    // The listing's rank is the day's, not the trending position.
    const json = JSON.parse((await o.run(['list', '--date', PAGE_DAY, '--sort', 'trending', '--json=id,rank', '--offline'])).stdout) as Array<{ id: string; rank: number }>;
    expect(json[0]).toEqual({ id: served[0]!.paper.id, rank: sample.length });
    // A day three days back keeps the order it has: no new request.
    h.server.reset();
    expect(ids((await o.run(['list', '--date', PAGE_DAY, '--sort', 'trending'])).stdout)).toEqual(served.map((i) => i.paper.id));
    expect(trendingRequests()).toEqual([]);
    // The default order is untouched.
    expect(ids((await o.run(['list', '--date', PAGE_DAY, '--offline'])).stdout)).toEqual(sample.map((i) => i.paper.id));
  });

  it('today: the order of the day it shows', async () => {
    const o = h.online();
    h.server.setFault(trending, faults.reply({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(served) }));
    const r = await o.run(['today', '--sort', 'trending'], { PAPERS_NOW: '2025-06-09T18:00:00Z' });
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(served.map((i) => i.paper.id));
    expect(trendingRequests()).toHaveLength(1);
  });

  it.each([
    ['a 503', faults.unavailable(), /HTTP 503/],
    ['an HTML page', faults.reply({ headers: { 'content-type': 'text/html' }, body: '<!doctype html><p>Not here</p>' }), /got an HTML page/],
    ['a hang', faults.delayHeaders(10_000), /no response from 127\.0\.0\.1:\d+ within 500 ms/],
  ])('%s: the listing in rank order, one note', async (_what, fault, reason) => {
    const o = h.online();
    h.server.setFault(trending, fault);
    const r = await o.run(['list', '--date', PAGE_DAY, '--sort', 'trending'], { PAPERS_TIMEOUT: '0.5' });
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(sample.map((i) => i.paper.id));
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^papers: could not fetch HF's trending order of ${PAGE_DAY} \\(.*\\); showing the papers in rank order$`));
    expect(lines[0]).toMatch(reason);
  });

  it('offline with no stored order: rank order and a note', async () => {
    const o = h.online();
    expect((await o.run(['import', hf(`hfdp-ml_${PAGE_DAY}.json`)])).code).toBe(0);
    const r = await o.run(['list', '--date', PAGE_DAY, '--sort', 'trending', '--offline']);
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(sample.map((i) => i.paper.id));
    expect(r.stderr).toBe(`papers: HF's trending order of ${PAGE_DAY} is not in the database (offline); showing the papers in rank order\n`);
  });

  it.each([
    [['list', '--since', '2025-06-01', '--sort', 'trending'], /one listing day/],
    [['list', '--date', PAGE_DAY, '--source', 'arxiv', '--sort', 'trending'], /does not apply to --source arxiv/],
    [['search', 'model', '--sort', 'trending'], /argument 'trending' is invalid/],
  ])('%j → usage error', async (args, message) => {
    const r = await h.online().run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(trendingRequests()).toEqual([]);
  });
});

describe('--submitter', () => {
  const items = JSON.parse(readFileSync(hf(`hfdp-ml_${PAGE_DAY}.json`), 'utf8')) as Array<{ paper: { id: string }; submittedBy?: { name: string } }>;
  const name = items[0]!.submittedBy!.name;
  const theirs = items.filter((i) => i.submittedBy?.name === name).map((i) => i.paper.id);

  it('keeps the papers that user submitted (any case); JSON has submittedBy', async () => {
    const o = h.online();
    expect((await o.run(['import', hf(`hfdp-ml_${PAGE_DAY}.json`)])).code).toBe(0);
    const r = await o.run(['list', '--date', PAGE_DAY, '--submitter', name.toUpperCase(), '--offline']);
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(theirs);
    expect(theirs.length).toBeLessThan(items.length);
    const json = JSON.parse((await o.run(['list', '--date', PAGE_DAY, '--json=id,submittedBy', '--offline'])).stdout) as Array<{ id: string; submittedBy: string | null }>;
    expect(json.map((p) => p.submittedBy)).toEqual(items.map((i) => i.submittedBy?.name ?? null));
    const none = await o.run(['list', '--date', PAGE_DAY, '--submitter', 'nobody-at-all', '--offline']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/that match the filters/);
  });
});

describe('--sort rising', () => {
  // The next morning's answer for the same day: the real items, some with more upvotes.
  const later = sample.map((item, i) => ({ ...item, paper: { ...item.paper, upvotes: item.paper.upvotes + (i % 3 === 0 ? 3 * i : 0) } }));
  const gained = later.map((item, i) => ({ id: item.paper.id, upvotes: item.paper.upvotes, upvotesGained: item.paper.upvotes - sample[i]!.paper.upvotes }));
  const dayQuery = (_req: IncomingMessage, url: URL) => url.pathname === API && url.searchParams.get('date') === PAGE_DAY && !url.searchParams.has('sort');

  it("upvotes gained since the previous day's last fetch, largest first; ▲ 42 +17 on a terminal; --window", async () => {
    const o = h.online();
    expect((await o.run(['list', '--date', PAGE_DAY], { PAPERS_NOW: '2025-06-09T20:00:00Z' })).code).toBe(0);
    h.server.setFault(dayQuery, faults.reply({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(later) }));
    expect((await o.run(['list', '--date', PAGE_DAY, '--refresh'], { PAPERS_NOW: '2025-06-10T09:00:00Z' })).code).toBe(0);
    const now = { PAPERS_NOW: '2025-06-10T09:30:00Z' };
    const json = JSON.parse((await o.run(['list', '--date', PAGE_DAY, '--sort', 'rising', '--offline', '--json=id,upvotes,upvotesGained'], now)).stdout) as typeof gained;
    const expected = [...gained].sort((a, b) => b.upvotesGained - a.upvotesGained || b.upvotes - a.upvotes);
    expect(json).toEqual(expected);
    expect(json[0]!.upvotesGained).toBeGreaterThan(0);
    // On a terminal: the gain beside the upvotes.
    const tty = await o.run(['list', '--date', PAGE_DAY, '--sort', 'rising', '--offline'], { ...now, PAPERS_FORCE_TTY: '1', COLUMNS: '120' });
    const top = expected[0]!;
    expect(tty.stdout).toMatch(new RegExp(`▲ ${top.upvotes} \\+${top.upvotesGained} +${top.id.replace('.', '\\.')}`));
    // Over the last 10 minutes nothing was fetched: nothing gained.
    const recent = JSON.parse((await o.run(['list', '--date', PAGE_DAY, '--sort', 'rising', '--window', '10m', '--offline', '--json=id,upvotesGained'], now)).stdout) as typeof gained;
    expect(recent.every((p) => p.upvotesGained === 0)).toBe(true);
    // Other orders have no upvotesGained, and refuse it as a field.
    expect(JSON.parse((await o.run(['list', '--date', PAGE_DAY, '--offline', '--json'], now)).stdout)[0]).not.toHaveProperty('upvotesGained');
    expect((await o.run(['list', '--date', PAGE_DAY, '--offline', '--json=upvotesGained'], now)).code).toBe(2);
  });

  it.each([
    [['list', '--window', '6h'], /--window needs --sort rising/],
    [['list', '--sort', 'rising', '--window', 'soon'], /invalid --window "soon"/],
    [['today', '--sort', 'rising', '--window', '0'], /longer than 0/],
  ])('%j → usage error', async (args, message) => {
    const r = await h.online().run([...args, '--offline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
