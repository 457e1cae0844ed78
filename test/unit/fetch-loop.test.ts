/**
 * The one fetch loop, with a fake adapter and no network: each day stored in its own
 * transaction, failures reported per day, the same stop rules for every source.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseError, InterruptedError, NetworkError, UsageError } from '../../src/errors.js';
import { fetchDays, MAX_FAILURES, type Adapter, type FetchEnv, type UnitAnswer } from '../../src/fetch/loop.js';
import type { Progress } from '../../src/fetch/report.js';
import { netSettings } from '../../src/fetch/settings.js';
import { emptyPaper } from '../../src/model.js';
import { openDatabase } from '../../src/store/db.js';

const NOW = new Date('2025-06-12T12:00:00Z');
const net = netSettings({}, {});

/** A FetchEnv on a fresh database; `lines` collects the notes, `advanced` the days done. */
function env(controller = new AbortController()) {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'papers-loop-')), 'papers.db');
  const lines: string[] = [];
  const advanced: string[] = [];
  const progress: Progress = { advance: (d) => void advanced.push(d ?? ''), note: (l) => void lines.push(l), wait() {}, done() {} };
  const e: FetchEnv = { db: openDatabase(dbPath), dbPath, ctx: { env: {}, now: NOW }, signal: controller.signal, verbose: false, progress: () => progress };
  return { env: e, lines, advanced, controller };
}

/** One paper listed on `day` under `fake`. */
function answer(day: string): UnitAnswer {
  const paper = emptyPaper(`2506.0${day.slice(-4).replace('-', '')}`, `A paper of ${day}`);
  return { days: [{ day, listing: { format: 'fake', items: [{ paper, listing: { source: 'fake', day, rank: 1, upvotes: null } }], warnings: [] }, via: 'api', fetches: { source: 'fake', period: day, status: 'ok' }, notes: [`note of ${day}`] }] };
}

/** A one-day-per-unit adapter whose fetch is `fetch`. */
function adapter(fetch: (day: string) => Promise<UnitAnswer>, more: Partial<Adapter<string>> = {}): () => Adapter<string> {
  return () => ({ host: 'fake.test', concurrency: 1, units: (days) => days, dayUnit: (d) => d, name: (d) => d, daysOf: (d) => [d], fetch, ...more });
}

const storedDays = (e: FetchEnv) => e.db.prepare<[], { day: string }>("SELECT day FROM listings WHERE source = 'fake' ORDER BY day").all().map((r) => r.day);

describe('fetchDays', () => {
  it('stores each day, prints its notes, and reports every day in order', async () => {
    const t = env();
    const report = await fetchDays(t.env, net, ['2025-06-10', '2025-06-11'], adapter(async (d) => answer(d)));
    expect(report.host).toBe('fake.test');
    expect(report.results.map((r) => [r.day, r.ok])).toEqual([['2025-06-10', true], ['2025-06-11', true]]);
    expect(report.notTried).toEqual([]);
    expect(storedDays(t.env)).toEqual(['2025-06-10', '2025-06-11']);
    expect(t.lines).toEqual(['papers: 2025-06-10: note of 2025-06-10', 'papers: 2025-06-11: note of 2025-06-11']);
    expect(t.advanced).toEqual(['2025-06-10', '2025-06-11']);
  });

  it('reports a failed day with the host the adapter names, and stops starting after MAX_FAILURES', async () => {
    const t = env();
    const days = ['2025-06-05', '2025-06-06', '2025-06-07', '2025-06-08', '2025-06-09'];
    const fail = adapter(async (d) => Promise.reject(new NetworkError(`http://x/${d}: down`)), { hostOf: () => 'other.test' });
    const report = await fetchDays(t.env, net, days, fail);
    expect(report.results).toHaveLength(MAX_FAILURES);
    expect(report.results.every((r) => !r.ok && r.host === 'other.test')).toBe(true);
    expect(report.notTried).toEqual(days.slice(MAX_FAILURES));
  });

  it('asks the days a unit could not answer for again, one by one, after the other units', async () => {
    const t = env();
    const asked: string[] = [];
    const week = adapter(
      async (u) => {
        asked.push(u);
        return u === 'week' ? { days: [], again: ['2025-06-10', '2025-06-09'], notes: ['week: asking day by day'] } : answer(u);
      },
      { units: () => ['week'], daysOf: (u) => (u === 'week' ? ['2025-06-09', '2025-06-10'] : [u]) },
    );
    const report = await fetchDays(t.env, net, ['2025-06-09', '2025-06-10'], week);
    expect(asked).toEqual(['week', '2025-06-09', '2025-06-10']);
    expect(report.results.every((r) => r.ok)).toBe(true);
    expect(t.lines[0]).toBe('papers: week: asking day by day');
  });

  // Every source alike: a usage error, a database error (the database or the lock file beside it) and an interruption end the fetch.
  it.each([
    ['a database error', new DatabaseError('papers.db-arxiv.lock: disk I/O error')],
    ['a usage error', new UsageError('PAPERS_ARXIV_DELAY_MS is bad')],
    ['an interruption', new InterruptedError()],
  ])('%s stops everything and is thrown, with what was stored kept', async (_, error) => {
    const t = env();
    let closed = false;
    const stop = adapter(async (d) => (d === '2025-06-11' ? Promise.reject(error) : answer(d)), { close: () => void (closed = true) });
    await expect(fetchDays(t.env, net, ['2025-06-10', '2025-06-11', '2025-06-12'], stop)).rejects.toBe(error);
    expect(storedDays(t.env)).toEqual(['2025-06-10']);
    expect(closed).toBe(true);
  });

  it('does not store an answer that arrives after Ctrl-C', async () => {
    const t = env();
    const late = adapter(async (d) => {
      t.controller.abort();
      return answer(d);
    });
    await expect(fetchDays(t.env, net, ['2025-06-10', '2025-06-11'], late)).rejects.toBeInstanceOf(InterruptedError);
    expect(storedDays(t.env)).toEqual([]);
  });
});
