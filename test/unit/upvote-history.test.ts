/**
 * The upvote history behind `--sort rising`: a row per change of a paper's count, pruned past
 * HISTORY_DAYS but for one baseline row, and the gain listPapers computes from it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyPaper, titleId, type ParsedListing } from '../../src/model.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { listPapers } from '../../src/store/query.js';
import { HISTORY_DAYS, storeListing } from '../../src/store/write.js';

const DAY = '2025-06-09';
const db = (): Db => openDatabase(join(mkdtempSync(join(tmpdir(), 'papers-history-')), 'papers.db'));
const listing = (counts: Record<string, number | null>): ParsedListing => ({
  format: 'test',
  warnings: [],
  items: Object.entries(counts).map(([id, upvotes], i) => ({ paper: { ...emptyPaper(id, `Paper ${id}`), upvotes }, listing: { source: 'hf', day: DAY, rank: i + 1, upvotes } })),
});
const at = (iso: string) => ({ now: new Date(iso) });
const history = (d: Db) => d.prepare('SELECT paper_id, at, upvotes FROM upvote_history ORDER BY paper_id, at').all() as Array<{ paper_id: string; at: string; upvotes: number }>;
const rising = (d: Db, since: string) => listPapers(d, { range: { from: DAY, to: DAY }, sort: 'rising', gainSince: since }).map((r) => [r.id, r.upvotes, r.gain]);

describe('upvote history', () => {
  it('records a count only when it changed; unknown counts are not recorded', () => {
    const d = db();
    storeListing(d, listing({ '2506.00001': 5, '2506.00002': null }), at('2025-06-09T10:00:00Z'));
    storeListing(d, listing({ '2506.00001': 5, '2506.00002': null }), at('2025-06-09T11:00:00Z'));
    storeListing(d, listing({ '2506.00001': 9, '2506.00002': 3 }), at('2025-06-09T12:00:00Z'));
    expect(history(d)).toEqual([
      { paper_id: '2506.00001', at: '2025-06-09T10:00:00.000Z', upvotes: 5 },
      { paper_id: '2506.00001', at: '2025-06-09T12:00:00.000Z', upvotes: 9 },
      { paper_id: '2506.00002', at: '2025-06-09T12:00:00.000Z', upvotes: 3 },
    ]);
  });

  it(`keeps ${HISTORY_DAYS} days, and the newest older row as their baseline`, () => {
    const d = db();
    for (let i = 0; i < HISTORY_DAYS + 10; i++) storeListing(d, listing({ '2506.00001': i }), at(new Date(Date.UTC(2025, 4, 1 + i, 12)).toISOString()));
    const rows = history(d);
    const last = Date.UTC(2025, 4, HISTORY_DAYS + 10, 12);
    const cutoff = new Date(last - HISTORY_DAYS * 86_400_000).toISOString();
    expect(rows.filter((r) => r.at < cutoff)).toHaveLength(1);
    expect(rows.length).toBe(HISTORY_DAYS + 2);
    expect(rows.at(-1)!.upvotes).toBe(HISTORY_DAYS + 9);
  });

  it('gain: since the last count before the time, else since the first; the largest first', () => {
    const d = db();
    storeListing(d, listing({ '2506.00001': 10, '2506.00002': 40 }), at('2025-06-09T20:00:00Z'));
    storeListing(d, listing({ '2506.00001': 30, '2506.00002': 45, '2506.00003': 7 }), at('2025-06-10T08:00:00Z'));
    storeListing(d, listing({ '2506.00001': 31, '2506.00002': 47, '2506.00003': 19, '2506.00004': null }), at('2025-06-10T09:00:00Z'));
    expect(rising(d, '2025-06-10T00:00:00.000Z')).toEqual([
      ['2506.00001', 31, 21],
      ['2506.00003', 19, 12],
      ['2506.00002', 47, 7],
      ['2506.00004', null, null],
    ]);
    // Over the last half hour: since the 08:00 fetch.
    expect(rising(d, '2025-06-10T08:30:00.000Z').slice(0, 3)).toEqual([
      ['2506.00003', 19, 12],
      ['2506.00002', 47, 2],
      ['2506.00001', 31, 1],
    ]);
    // Other orders carry no gain.
    expect(listPapers(d, { range: { from: DAY, to: DAY } })[0]).not.toHaveProperty('gain');
  });

  it('follows a title-only paper into its arXiv id', () => {
    const d = db();
    const title = 'A Paper Known by Its Title';
    const only = { ...emptyPaper(titleId(title), title), upvotes: 4 };
    storeListing(d, { format: 'test', warnings: [], items: [{ paper: only, listing: null }] }, at('2025-06-09T10:00:00Z'));
    storeListing(d, { format: 'test', warnings: [], items: [{ paper: { ...emptyPaper('2506.00009', title), upvotes: 6 }, listing: null }] }, at('2025-06-09T11:00:00Z'));
    expect(history(d).map((r) => [r.paper_id, r.upvotes])).toEqual([['2506.00009', 4], ['2506.00009', 6]]);
  });
});
