/** The ranking's feature cache (schema 16): the same ranking with or without it, dropped when a paper's text changes, never waited for. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { listPapers } from '../../src/store/query.js';
import { rankByFit } from '../../src/rank/fit.js';
import { openSqlite } from '../../src/store/sqlite.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);
const NOW = new Date('2025-06-10T08:00:00Z');

async function setup(): Promise<{ path: string; db: Db }> {
  const { db: path, run } = withDb();
  await run(['import', hf('hfdp-ml_2025-06-09.json'), hf('hfdp-zh_2024-03-12.json')]);
  await run(['star', '2506.01111', '2506.05984']);
  await run(['dismiss', '2506.05433']);
  return { path, db: openDatabase(path) };
}

/** The window's ranking as plain data (why read, so a difference in it shows). */
function ranking(db: Db) {
  const rows = listPapers(db, { range: { from: '2025-06-09', to: '2025-06-09' }, untriaged: true, limit: null });
  return rankByFit(db, rows, NOW).rows.map((r) => ({ id: r.id, score: r.score, why: r.why }));
}

const cached = (db: Db) => db.prepare<[], number>('SELECT count(*) FROM rank_features').pluck().get()!;

describe('feature cache', () => {
  it('a run stores the features it read, and the next run, reading them, ranks the same', async () => {
    const { db } = await setup();
    expect(cached(db)).toBe(0);
    const first = ranking(db);
    expect(first.length).toBeGreaterThan(3);
    expect(first.some((r) => r.why.length > 0)).toBe(true);
    expect(cached(db)).toBeGreaterThan(first.length);
    // Reading from the cache: a garbage vocabulary name would show in `why` if it were read back wrongly.
    expect(ranking(db)).toEqual(first);
    db.close();
  });

  it('when the database is locked by another process, the run tokenizes in memory at once and ranks the same', async () => {
    const { path, db } = await setup();
    const first = ranking(db);
    db.exec('DELETE FROM rank_features');
    const other = openSqlite(path, { timeout: 0 });
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      expect(ranking(db)).toEqual(first);
      // No wait for the lock (the busy timeout is 30 s otherwise).
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(cached(db)).toBe(0);
      expect(db.prepare('SELECT count(*) FROM rank_model').pluck().get()).toBe(0);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // The busy timeout is back for the writes that need it.
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    db.close();
  });

  it('a change to a paper\'s ranked text drops its row; other changes keep it; rows of another version are not read', async () => {
    const { db } = await setup();
    const first = ranking(db);
    const has = (id: string) => db.prepare<[string], number>('SELECT count(*) FROM rank_features WHERE paper_id = ?').pluck().get(id)! > 0;
    const id = first[0]!.id;
    expect(has(id)).toBe(true);
    db.prepare('UPDATE papers SET upvotes = coalesce(upvotes, 0) + 1, title = title WHERE id = ?').run(id);
    expect(has(id)).toBe(true);
    db.prepare("UPDATE papers SET abstract = abstract || ' gaussian splatting' WHERE id = ?").run(id);
    expect(has(id)).toBe(false);
    // Stale features under another version (as after a change to the tokenizer) are ignored and rewritten.
    db.exec("UPDATE rank_features SET version = version - 1, features = x'0100000001000000'");
    const again = ranking(db);
    db.exec('DELETE FROM rank_features');
    expect(again).toEqual(ranking(db));
    db.close();
  });
});

describe('model cache', () => {
  const kept = (db: Db) => db.prepare<[], { feedback: string; sample: string; weights: Buffer }>('SELECT feedback, sample, weights FROM rank_model').get();
  const setWeights = (db: Db, weights: Float64Array) => db.prepare('UPDATE rank_model SET weights = ?').run(Buffer.from(weights.buffer));

  it('the next ranking on the same feedback scores with the kept model, and ranks the same as the one that trained it', async () => {
    const { db } = await setup();
    const first = ranking(db);
    const row = kept(db)!;
    expect(JSON.parse(row.sample).length).toBeGreaterThan(0);
    expect(ranking(db)).toEqual(first);
    // The kept weights are what scores: turned around, they turn the ranking around.
    const weights = new Float64Array(new Uint8Array(row.weights).buffer);
    setWeights(db, weights.map((w) => -w));
    const turned = ranking(db);
    expect(turned.map((r) => r.id)).not.toEqual(first.map((r) => r.id));
    setWeights(db, weights);
    expect(ranking(db)).toEqual(first);
    db.close();
  });

  it('new feedback trains again; so does a ranking of papers the kept model took as negatives', async () => {
    const { path, db } = await setup();
    const first = ranking(db);
    const before = kept(db)!;
    const { run } = withDb(path);
    await run(['star', first[first.length - 1]!.id]);
    const after = ranking(db);
    expect(kept(db)!.feedback).not.toBe(before.feedback);
    expect(after).not.toEqual(first);
    // A listing that holds a paper of the kept sample: trained again on a sample without it.
    const sampled: string[] = JSON.parse(kept(db)!.sample);
    const all = listPapers(db, { range: { from: '2000-01-01', to: '2099-12-31' }, limit: null });
    expect(all.some((r) => sampled.includes(r.id))).toBe(true);
    rankByFit(db, all, NOW);
    const resampled: string[] = JSON.parse(kept(db)!.sample);
    expect(resampled.some((id) => all.some((r) => r.id === id))).toBe(false);
    db.close();
  });

  it('is dropped with any paper\'s cached features, and a damaged row is trained over', async () => {
    const { db } = await setup();
    const first = ranking(db);
    db.prepare('DELETE FROM rank_features WHERE paper_id = ?').run(first[0]!.id);
    expect(kept(db)).toBeUndefined();
    expect(ranking(db)).toEqual(first);
    db.exec("UPDATE rank_model SET weights = x'00', sample = 'not json'");
    expect(ranking(db)).toEqual(first);
    expect(JSON.parse(kept(db)!.sample).length).toBeGreaterThan(0);
    db.close();
  });
});

describe('watchMatches', () => {
  it('a long listing (matches walked) marks the same papers and terms as pages of it (papers looked up)', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { writeCorpus, range } = await import('../support/corpus.js');
    const { watchMatches } = await import('../../src/store/state.js');
    const file = join(mkdtempSync(join(tmpdir(), 'papers-watch-')), 'corpus.jsonl');
    const { ids } = writeCorpus(file, range(0, 250));
    const { db: path, run } = withDb();
    expect((await run(['import', file])).code).toBe(0);
    const db = openDatabase(path);
    const rows = db.prepare<[], { title: string }>('SELECT title FROM papers ORDER BY pk LIMIT 2').all();
    // Two terms from the corpus's own titles, so each matches some papers and not others.
    const terms = rows.map((r) => r.title.split(' ').find((w) => w.length > 5)!).map((t) => ({ term: t, match: `"${t}"` }));
    const whole = watchMatches(db, terms, ids);
    expect(whole.size).toBeGreaterThan(0);
    expect(whole.size).toBeLessThan(ids.length);
    const paged = new Map<string, string[]>();
    for (let i = 0; i < ids.length; i += 50) for (const [id, t] of watchMatches(db, terms, ids.slice(i, i + 50))) paged.set(id, t);
    expect(new Map([...whole].sort())).toEqual(new Map([...paged].sort()));
    db.close();
  });
});
