import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseError } from '../../src/errors.js';
import { emptyPaper, titleId, type ParsedListing, type Paper } from '../../src/model.js';
import { parseMetadataLine } from '../../src/sources/arxiv-metadata.js';
import { hfJson } from '../../src/sources/hf-json.js';
import { openDatabase } from '../../src/store/db.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { getPaper, latestDay, listPapers, listingsOf, searchPapers } from '../../src/store/query.js';
import { absorbPaper, storeListing } from '../../src/store/write.js';
import { backlog, buildBacklog } from '../../src/store/fts-backlog.js';
import { titleHash } from '../../src/store/title-hash.js';
import { parseQuery, toMatchExpression } from '../../src/store/fts-query.js';

const now = new Date('2025-06-10T08:00:00Z');
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/hf-api', name), 'utf8');
const parse = (name: string, day: string | null = null) => hfJson.parse(fixture(name), { day, origin: name, now });
const listing = (items: Array<{ paper: Paper; day: string; rank: number }>): ParsedListing => ({
  format: 'test',
  warnings: [],
  items: items.map(({ paper, day, rank }) => ({ paper, listing: { source: 'hf', day, rank, upvotes: paper.upvotes } })),
});
const tempDb = () => openDatabase(join(mkdtempSync(join(tmpdir(), 'papers-store-')), 'papers.db'));
const search = (db: ReturnType<typeof tempDb>, text: string) => searchPapers(db, toMatchExpression(parseQuery(text))!, {});

describe('page size and page cache', () => {
  it('a new database has 32 KiB pages and a 2 MB cache; a write of papers raises the cache to 16 MB', () => {
    const db = tempDb();
    expect(db.pragma('page_size', { simple: true })).toBe(32768);
    expect(db.pragma('cache_size', { simple: true })).toBe(-2000);
    storeListing(db, parse('hfdp-ml_2025-06-09.json'), { now });
    expect(db.pragma('cache_size', { simple: true })).toBe(-16000);
    db.close();
  });

  it('the search index merges its segments 8 at a time, and is whole after a bulk build', () => {
    const db = tempDb();
    expect(db.prepare("SELECT v FROM papers_fts_config WHERE k = 'automerge'").pluck().get()).toBe(8);
    storeListing(db, parse('hfdp-ml_2025-06-09.json'), { now, bulk: true });
    buildBacklog(db);
    db.exec("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)");
    db.close();
  });

  it('an existing database keeps the page size it was made with, and reads with the small cache', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'papers-store-')), 'papers.db');
    const raw = new Database(path);
    raw.pragma('page_size = 8192');
    raw.exec('CREATE TABLE t (x)');
    raw.exec('DROP TABLE t');
    raw.close();
    const db = openDatabase(path);
    expect(db.pragma('page_size', { simple: true })).toBe(8192);
    expect(db.pragma('cache_size', { simple: true })).toBe(-2000);
    db.close();
  });
});

describe('storeListing', () => {
  it('imports a 2025 listing and is idempotent', () => {
    const db = tempDb();
    const first = storeListing(db, parse('hfdp-ml_2025-06-09.json'), { now });
    expect(first.added).toBe(first.read);
    expect(first.days).toEqual(['2025-06-09']);
    const again = storeListing(db, parse('hfdp-ml_2025-06-09.json'), { now });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: first.read });
    const count = db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number };
    expect(count.n).toBe(first.read);
    const fts = db.prepare("SELECT count(*) AS n FROM papers_fts").get() as { n: number };
    expect(fts.n).toBe(first.read);
  });

  it('merges a refetch: upvotes move, a smaller listing deletes nothing, unknown fields never erase', () => {
    const db = tempDb();
    const a = { ...emptyPaper('2506.00001', 'Alpha'), abstract: 'About alpha.', upvotes: 3, githubRepo: 'https://github.com/a/b' };
    const b = { ...emptyPaper('2506.00002', 'Beta'), abstract: 'About beta.', upvotes: 1 };
    storeListing(db, listing([{ paper: a, day: '2025-06-09', rank: 1 }, { paper: b, day: '2025-06-09', rank: 2 }]), { now });
    // A later response with only Alpha, more upvotes, and no abstract or repo (a cards-only page).
    const later = { ...emptyPaper('2506.00001', 'Alpha'), upvotes: 9 };
    const stats = storeListing(db, listing([{ paper: later, day: '2025-06-09', rank: 1 }]), { now });
    expect(stats).toMatchObject({ updated: 1, added: 0 });
    const rows = listPapers(db, { range: { from: '2025-06-09', to: '2025-06-09' } });
    expect(rows.map((r) => [r.id, r.upvotes])).toEqual([
      ['2506.00001', 9],
      ['2506.00002', 1],
    ]);
    expect(rows[0]).toMatchObject({ abstract: 'About alpha.', githubRepo: 'https://github.com/a/b' });
  });

  it('a full source name matches itself only: its `_` is not a LIKE wildcard; a bare name takes its categories', () => {
    const db = tempDb();
    const under = { ...emptyPaper('2506.00011', 'Under'), upvotes: 1 };
    const other = { ...emptyPaper('2506.00012', 'Other'), upvotes: 1 };
    const day = '2025-06-09';
    const at = (source: string, paper: Paper): ParsedListing => ({ format: 'test', warnings: [], items: [{ paper, listing: { source, day, rank: 1, upvotes: 1 } }] });
    storeListing(db, at('arxiv:cs_LG', under), { now });
    storeListing(db, at('arxiv:csXLG', other), { now });
    const ids = (source: string) => listPapers(db, { range: { from: day, to: day }, source }).map((r) => r.id).sort();
    expect(ids('arxiv:cs_LG')).toEqual(['2506.00011']);
    expect(ids('arxiv')).toEqual(['2506.00011', '2506.00012']);
    expect(latestDay(db, 'arxiv:cs_LG')).toBe(day);
    expect(latestDay(db, 'arxiv:cs_XX')).toBeNull();
  });

  it('keeps the search index in step with the stored text through inserts, updates and merges (no triggers since schema 4)', () => {
    const db = tempDb();
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all();
    // The other triggers keep the full texts' own index (bodies_fts) in step with their table,
    // and drop the ranking's cached features of a paper whose text changes (schema 16).
    expect(triggers).toEqual(['paper_bodies_ad', 'papers_ad', 'rank_features_changed', 'rank_features_gone', 'rank_model_stale']);
    const v1 = { ...emptyPaper('2506.00001', 'Wombat burrows'), abstract: 'Marsupial digging.', version: 1, upvotes: 1 };
    storeListing(db, listing([{ paper: v1, day: '2025-06-09', rank: 1 }]), { now });
    // Upvotes only: the text and its index stay as they were.
    storeListing(db, listing([{ paper: { ...v1, upvotes: 5 }, day: '2025-06-09', rank: 1 }]), { now });
    // A new version replaces the title and abstract: the old words are gone from the index.
    const v2 = { ...v1, upvotes: 5, title: 'Koala habitats', abstract: 'Eucalyptus forests.', version: 2 };
    storeListing(db, listing([{ paper: v2, day: '2025-06-10', rank: 1 }]), { now });
    // A title-only paper absorbed by its arXiv id leaves no stray index entry.
    const byTitle = { ...emptyPaper(titleId('Platypus venom'), 'Platypus venom'), abstract: 'Spurs.' };
    storeListing(db, listing([{ paper: byTitle, day: '2025-06-10', rank: 2 }]), { now });
    storeListing(db, listing([{ paper: { ...emptyPaper('2506.00002', 'Platypus venom'), abstract: 'Spurs and venom.' }, day: '2025-06-10', rank: 2 }]), { now });
    expect(search(db, 'wombat')).toEqual([]);
    expect(search(db, 'marsupial')).toEqual([]);
    expect(search(db, 'koala').map((r) => r.id)).toEqual(['2506.00001']);
    expect(search(db, 'eucalyptus').map((r) => [r.id, r.upvotes])).toEqual([['2506.00001', 5]]);
    expect(search(db, 'platypus').map((r) => r.id)).toEqual(['2506.00002']);
    // FTS5's own check compares the index with the papers table row by row.
    expect(() => db.exec("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
    expect(db.prepare('SELECT count(*) FROM papers_fts').pluck().get()).toBe(2);
  });

  it('a bulk write leaves its papers out of the index until the backlog is built, through updates and merges of both kinds of paper', () => {
    const db = tempDb();
    const indexed = { ...emptyPaper('2506.00001', 'Wombat burrows'), abstract: 'Marsupial digging.', version: 1 };
    storeListing(db, listing([{ paper: indexed, day: '2025-06-09', rank: 1 }]), { now });
    const byTitle = { ...emptyPaper(titleId('Platypus venom'), 'Platypus venom'), abstract: 'Spurs.' };
    const fresh = { ...emptyPaper('2506.00003', 'Echidna spines'), abstract: 'Monotremes.', version: 1 };
    storeListing(db, listing([{ paper: byTitle, day: '2025-06-10', rank: 1 }, { paper: fresh, day: '2025-06-10', rank: 2 }]), { now, bulk: true });
    // A second bulk batch: an indexed paper changes (reindexed now), an unindexed one changes
    // (left for the backlog), and the title-only one is absorbed (its delete must not touch the index).
    storeListing(
      db,
      listing([
        { paper: { ...indexed, title: 'Koala habitats', version: 2 }, day: '2025-06-11', rank: 1 },
        { paper: { ...fresh, abstract: 'Egg-laying mammals.', version: 2 }, day: '2025-06-11', rank: 2 },
        { paper: { ...emptyPaper('2506.00002', 'Platypus venom'), abstract: 'Spurs and venom.' }, day: '2025-06-11', rank: 3 },
      ]),
      { now, bulk: true },
    );
    expect(search(db, 'koala').map((r) => r.id)).toEqual(['2506.00001']);
    expect(search(db, 'echidna')).toEqual([]);
    expect(backlog(db)).toMatchObject({ papers: 2 });
    // A normal write meanwhile leaves its new paper to the backlog too: the index stays exact.
    storeListing(db, listing([{ paper: { ...emptyPaper('2506.00004', 'Numbat diet'), abstract: 'Termites.' }, day: '2025-06-11', rank: 4 }]), { now });
    storeListing(db, listing([{ paper: { ...emptyPaper('2506.00005', 'Quokka smiles'), abstract: 'Islands.' }, day: '2025-06-11', rank: 5 }]), { now });
    // Deleting a paper takes it out of the index only if the index has it.
    db.transaction(() => absorbPaper(db, '2506.00005', '2506.00004'))();
    expect(buildBacklog(db, { chunk: 1 })).toBe(3);
    expect(backlog(db)).toBeNull();
    expect(search(db, 'echidna mammals').map((r) => r.id)).toEqual(['2506.00003']);
    expect(search(db, 'platypus').map((r) => r.id)).toEqual(['2506.00002']);
    expect(search(db, 'numbat').map((r) => r.id)).toEqual(['2506.00004']);
    expect(search(db, 'quokka')).toEqual([]);
    expect(() => db.exec("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
  });

  it('CJK text is indexed character by character through every write: insert, new version, absorbed title-only paper', () => {
    const db = tempDb();
    const v1 = { ...emptyPaper('2506.00001', '多模态大模型'), abstract: '视觉问答。', version: 1 };
    storeListing(db, listing([{ paper: v1, day: '2025-06-09', rank: 1 }]), { now });
    expect(search(db, '模态').map((r) => [r.id, r.titleMarked])).toEqual([['2506.00001', '多\u0001模态\u0002大模型']]);
    const v2 = { ...v1, title: '扩散模型の研究', abstract: '画像生成', version: 2 };
    storeListing(db, listing([{ paper: v2, day: '2025-06-10', rank: 1 }]), { now });
    const byTitle = { ...emptyPaper(titleId('멀티모달모델'), '멀티모달모델'), abstract: '연구' };
    storeListing(db, listing([{ paper: byTitle, day: '2025-06-10', rank: 2 }]), { now });
    storeListing(db, listing([{ paper: { ...emptyPaper('2506.00002', '멀티모달모델'), abstract: '새 연구' }, day: '2025-06-10', rank: 2 }]), { now });
    expect(search(db, '模态')).toEqual([]);
    expect(search(db, '模型の').map((r) => [r.id, r.titleMarked])).toEqual([['2506.00001', '扩散\u0001模型の\u0002研究']]);
    expect(search(db, '모델').map((r) => r.id)).toEqual(['2506.00002']);
    // The index agrees, row by row, with the text it reads back (the view papers_fts_text).
    expect(() => db.exec("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
    expect(db.prepare('SELECT count(*) FROM papers_fts').pluck().get()).toBe(2);
  });

  it('rolls back the whole listing when one paper fails', () => {
    const db = tempDb();
    const good = emptyPaper('2506.00001', 'Good');
    const bad = emptyPaper('2506.00002', null as unknown as string); // NOT NULL violation
    expect(() => storeListing(db, listing([{ paper: good, day: '2025-06-09', rank: 1 }, { paper: bad, day: '2025-06-09', rank: 2 }]), { now })).toThrow();
    expect((db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM listings').get() as { n: number }).n).toBe(0);
  });

  it('a title-only paper merges into the arXiv id when it arrives, in both orders', () => {
    for (const order of ['title-first', 'arxiv-first']) {
      const db = tempDb();
      const byTitle = { ...emptyPaper(titleId('Magistral'), 'Magistral'), abstract: 'We introduce Magistral.' };
      const byId = { ...emptyPaper('2506.10910', 'Magistral'), upvotes: 120 };
      const steps = [
        listing([{ paper: byTitle, day: '2025-06-10', rank: 1 }]),
        listing([{ paper: byId, day: '2025-06-11', rank: 1 }]),
      ];
      if (order === 'arxiv-first') steps.reverse();
      for (const s of steps) storeListing(db, s, { now });
      const ids = (db.prepare('SELECT id FROM papers').all() as Array<{ id: string }>).map((r) => r.id);
      expect(ids, order).toEqual(['2506.10910']);
      expect(getPaper(db, '2506.10910'), order).toMatchObject({ abstract: 'We introduce Magistral.', upvotes: 120 });
      expect(listingsOf(db, '2506.10910').map((l) => l.day), order).toEqual(['2025-06-11', '2025-06-10']);
    }
  });

  it('same-title lookups go by a 48-bit title hash, and a hash collision never merges different titles', () => {
    expect(titleHash('magistral')).toBe(titleHash('magistral'));
    expect(titleHash('magistral')).not.toBe(titleHash('magistrak'));
    expect(Number.isSafeInteger(titleHash('x'.repeat(500))) && titleHash('x'.repeat(500)) < 2 ** 48).toBe(true);
    const db = tempDb();
    storeListing(db, listing([{ paper: emptyPaper('2506.10910', 'Magistral'), day: '2025-06-10', rank: 1 }]), { now });
    // Pretend another title hashes to the same value as "Magistral".
    db.prepare('UPDATE papers SET title_hash = ? WHERE id = ?').run(titleHash('sparse attention'), '2506.10910');
    const other = emptyPaper(titleId('Sparse Attention'), 'Sparse Attention');
    storeListing(db, listing([{ paper: other, day: '2025-06-10', rank: 2 }]), { now });
    expect(db.prepare('SELECT id FROM papers ORDER BY pk').pluck().all()).toEqual(['2506.10910', titleId('Sparse Attention')]);
  });
});

describe('queries', () => {
  const db = tempDb();
  storeListing(db, parse('hfdp-ml_2025-06-09.json'), { now });
  storeListing(db, parse('hfdp-zh_2024-03-12.json', '2024-03-12'), { now });

  it('latest day and default rank order (upvotes on HF)', () => {
    expect(latestDay(db)).toBe('2025-06-09');
    const rows = listPapers(db, { range: { from: '2025-06-09', to: '2025-06-09' } });
    const ups = rows.map((r) => r.upvotes ?? 0);
    expect(ups).toEqual([...ups].sort((x, y) => y - x));
    expect(rows[0]!.rank).toBe(1);
  });

  it('filters: min upvotes, author, has-code, limit', () => {
    const range = { from: '2024-01-01', to: '2025-12-31' };
    const all = listPapers(db, { range });
    expect(listPapers(db, { range, minUpvotes: 50 }).every((r) => (r.upvotes ?? 0) >= 50)).toBe(true);
    expect(listPapers(db, { range, author: 'carlini' }).map((r) => r.id)).toEqual(['2403.06634']);
    const coded = listPapers(db, { range, hasCode: true });
    expect(coded.length).toBeGreaterThan(0);
    expect(coded.length).toBeLessThan(all.length);
    expect(listPapers(db, { range, limit: 3 })).toHaveLength(3);
    // LIKE wildcards in user text are literal.
    expect(listPapers(db, { range, author: '%' })).toHaveLength(0);
  });

  it('search ranks a title match first, stems, and marks matches', () => {
    const rows = search(db, 'stealing language model');
    expect(rows[0]!.id).toBe('2403.06634');
    expect(rows[0]!.titleMarked).toContain('\u0001Stealing\u0002');
    // Porter stemming: "steal" finds "Stealing".
    expect(search(db, 'steal').map((r) => r.id)).toContain('2403.06634');
    expect(search(db, 'zzzunlikelyword')).toEqual([]);
  });

  it('hostile query text is data, not syntax', () => {
    for (const q of ['"', 'NEAR(', ')', "'; DROP TABLE papers; --", '\\', 'a AND', 'OR', '*a', '^x']) {
      const m = toMatchExpression(parseQuery(q));
      if (m) expect(() => searchPapers(db, m, {})).not.toThrow();
    }
  });
});

describe('listPapers: papers no listing carried', () => {
  // Five real snapshot records (2007-03-31 … 2007-04-02, no listing), one HF day, and papers
  // known only from a remote search, or with no date at all.
  const db = tempDb();
  const snapshot = readFileSync(join(import.meta.dirname, '../../fixtures/arxiv/metadata-first5.jsonl'), 'utf8').trim().split('\n');
  const unlisted = (papers: Paper[]): ParsedListing => ({ format: 'test', warnings: [], items: papers.map((paper) => ({ paper, listing: null })) });
  storeListing(db, unlisted(snapshot.map((line, i) => parseMetadataLine(line, i + 1))), { now });
  storeListing(db, parse('hfdp-ml_2025-06-09.json'), { now });
  // Late on 2007-03-31 in New York is 2007-04-01 in UTC; hf-search is not a listing.
  const searched = { ...emptyPaper('0704.0999', 'Found by a remote search'), publishedAt: '2007-03-31T22:00:00-05:00', categories: ['math.CO'] };
  storeListing(db, { format: 'test', warnings: [], items: [{ paper: searched, listing: { source: 'hf-search', day: '2025-06-09', rank: 1, upvotes: null } }] }, { now });
  storeListing(db, unlisted([emptyPaper('0704.0998', 'No date known'), { ...emptyPaper('2506.99999', 'Published on a listing day'), publishedAt: '2025-06-09T12:00:00Z' }]), { now });
  const year2007 = { from: '2007-01-01', to: '2007-12-31' };

  it('a day range finds them on their arXiv day, newest first, with no listing fields', () => {
    const rows = listPapers(db, { range: year2007 });
    expect(rows.map((r) => r.id)).toEqual(['0704.0001', '0704.0005', '0704.0003', '0704.0999', '0704.0004', '0704.0002']);
    expect(rows.every((r) => r.listedOn === null && r.source === null && r.rank === null)).toBe(true);
    expect(listPapers(db, { range: { from: '2007-04-01', to: '2007-04-01' } }).map((r) => r.id)).toEqual(['0704.0003', '0704.0999']);
    expect(listPapers(db, { range: { from: '2007-03-31', to: '2007-03-31' } }).map((r) => r.id)).toEqual(['0704.0004', '0704.0002']);
  });

  it('filters apply to them; --source keeps its meaning (only what that source listed)', () => {
    expect(listPapers(db, { range: year2007, category: 'math.CO' }).map((r) => r.id)).toEqual(['0704.0999', '0704.0004', '0704.0002']);
    expect(listPapers(db, { range: year2007, author: 'Balázs' }).map((r) => r.id)).toEqual(['0704.0001']);
    expect(listPapers(db, { range: year2007, source: 'hf' })).toEqual([]);
    expect(listPapers(db, { range: year2007, source: 'hf-search' }).map((r) => [r.id, r.listedOn])).toEqual([]);
    expect(listPapers(db, { range: { from: '2025-06-09', to: '2025-06-09' }, source: 'hf-search' }).map((r) => r.id)).toEqual(['0704.0999']);
    expect(listPapers(db, { range: year2007, limit: 2 }).map((r) => r.id)).toEqual(['0704.0001', '0704.0005']);
  });

  it('a listing day shows its listing first, then the papers published that day', () => {
    const day = listPapers(db, { range: { from: '2025-06-09', to: '2025-06-09' } });
    expect(day.map((r) => r.rank)).toEqual([...Array.from({ length: 12 }, (_, i) => i + 1), null]);
    expect(day.at(-1)).toMatchObject({ id: '2506.99999', listedOn: null, source: null });
    expect(listPapers(db, { range: { from: '2025-06-09', to: '2025-06-09' }, sort: 'upvotes' }).at(-1)!.id).toBe('2506.99999');
  });

  it('no range: every paper exactly once, undated ones last', () => {
    const rows = listPapers(db, { range: null });
    const total = db.prepare('SELECT count(*) FROM papers').pluck().get();
    expect(rows.length).toBe(total);
    expect(new Set(rows.map((r) => r.id)).size).toBe(total);
    expect(rows[0]).toMatchObject({ listedOn: '2025-06-09', source: 'hf', rank: 1 });
    expect(rows.at(-1)!.id).toBe('0704.0998');
  });

  it('a range walks the published_at index, never the whole papers table', () => {
    const plan = (f: Parameters<typeof listPapers>[1]) => {
      let sql = '';
      const spy = { prepare: (text: string) => ((sql = text), db.prepare(text)) } as unknown as typeof db;
      listPapers(spy, f);
      const params = Array.from(sql.match(/\?/g) ?? [], () => 'x');
      return db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((r) => (r as { detail: string }).detail);
    };
    for (const f of [{ range: year2007 }, { range: year2007, category: 'cs.LG', minUpvotes: 3 }, { range: year2007, starred: true }]) {
      const steps = plan(f);
      expect(steps, JSON.stringify(f)).toContain('SEARCH p USING INDEX papers_published (published_at>? AND published_at<?)');
      expect(steps.filter((s) => /^SCAN (p|l)\b/.test(s)), JSON.stringify(f)).toEqual([]);
      // Unlisted: one search of the listings index per candidate, not a scan.
      expect(steps, JSON.stringify(f)).toContain('SEARCH u USING COVERING INDEX listings_paper (paper_id=?)');
    }
    // Every starred paper, whenever listed: from the stars, not from every paper.
    expect(plan({ range: null, starred: true }).filter((s) => s.startsWith('SCAN p') || s.startsWith('SCAN l'))).toEqual([]);
  });
});

describe('search, newest first', () => {
  // Enough matches (> 2,000) that the published_at index plan runs; ten papers share each
  // timestamp (dates from a day-only source tie), a few have no date at all.
  const db = tempDb();
  const items = Array.from({ length: 2600 }, (_, i) => {
    const day = `2024-${String(1 + (Math.floor(i / 10) % 12)).padStart(2, '0')}-${String(1 + (Math.floor(i / 120) % 28)).padStart(2, '0')}`;
    const paper = {
      ...emptyPaper(`2401.${String(10000 + i)}`, `Paper ${i} on ${i % 3 === 0 ? 'common ground' : 'other things'}`),
      // Distinct lengths within a tie group give distinct bm25 scores, mostly: 'rare' makes some
      // lengths equal (e.g. papers 2515 and 2516), and such full ties go to the later stored.
      abstract: `A common result. ${'filler '.repeat(i % 50)}${i % 5 === 0 ? 'rare' : ''}`,
      publishedAt: i % 97 === 0 ? null : `${day}T00:00:00.000Z`,
      upvotes: i % 7,
    };
    return { paper, day: '2025-06-09', rank: i + 1 };
  });
  storeListing(db, listing(items), { now });
  const reference = (match: string, minUpvotes: number, limit: number) =>
    db
      .prepare(
        `SELECT p.id FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
         WHERE papers_fts MATCH ? AND coalesce(p.upvotes, 0) >= ?
         ORDER BY p.published_at DESC, bm25(papers_fts, 10.0, 1.0, 4.0, 4.0), p.pk DESC LIMIT ?`,
      )
      .pluck()
      .all(match, minUpvotes, limit);

  it.each([
    ['a common term', 'common', 0, 20],
    ['a common term, long page', 'common', 0, 250],
    ['a common term and a filter', 'common', 3, 20],
    ['a rarer term (sorts all matches)', 'rare', 0, 20],
    ['more rows than dated matches (undated last)', 'rare', 0, 600],
  ])('%s: the same rows in the same order as sorting every match', (_, text, minUpvotes, limit) => {
    const match = toMatchExpression(parseQuery(text))!;
    const got = searchPapers(db, match, { sort: 'date', limit, minUpvotes: minUpvotes || null }).map((r) => r.id);
    expect(got).toEqual(reference(match, minUpvotes, limit));
    expect(got.length).toBe(Math.min(limit, reference(match, minUpvotes, 1e9).length));
  });
});

describe('schema versions', () => {
  it('creates the current schema and refuses a newer one untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-schema-'));
    const path = join(dir, 'p.db');
    openDatabase(path).close();
    const raw = new Database(path);
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = readFileSync(path);
    expect(() => openDatabase(path)).toThrow(DatabaseError);
    expect(() => openDatabase(path)).toThrow(/newer version of papers/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('migrations', () => {
  it('migrates a version-1 database forward, keeping its papers', async () => {
    const { MIGRATIONS, runMigration } = await import('../../src/store/schema.js');
    const path = join(mkdtempSync(join(tmpdir(), 'papers-migrate-')), 'p.db');
    const raw = new Database(path);
    runMigration(raw, MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw.prepare("INSERT INTO papers (id, title, title_key, first_seen_at, updated_at) VALUES ('2401.00001', 'Old', 'old', 'x', 'x')").run();
    raw.close();
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(getPaper(db, '2401.00001')).toMatchObject({ title: 'Old', categories: [], version: null });
  });

  it('an older arXiv version never overwrites a newer one', () => {
    const db = tempDb();
    const v3 = { ...emptyPaper('2401.00001', 'New title'), abstract: 'v3 text', version: 3 };
    const v1 = { ...emptyPaper('2401.00001', 'Old title'), abstract: 'v1 text', version: 1, doi: '10.1/x' };
    storeListing(db, listing([{ paper: v3, day: '2024-01-02', rank: 1 }]), { now });
    storeListing(db, listing([{ paper: v1, day: '2024-01-01', rank: 1 }]), { now });
    expect(getPaper(db, '2401.00001')).toMatchObject({ title: 'New title', abstract: 'v3 text', version: 3, doi: '10.1/x' });
  });
});

describe('user state', async () => {
  const { markRead, markUnread, star, starredAmong, readAmong, addWatch, removeWatch, watchTerms, watchMatches } = await import('../../src/store/state.js');

  it('stars and read marks survive refetches and follow a title-only paper to its arXiv id', () => {
    const db = tempDb();
    const byTitle = { ...emptyPaper(titleId('Magistral'), 'Magistral'), abstract: 'We introduce Magistral.' };
    storeListing(db, listing([{ paper: byTitle, day: '2025-06-10', rank: 1 }]), { now });
    expect(star(db, [byTitle.id], now)).toBe(1);
    markRead(db, [byTitle.id], 'marked', now);
    storeListing(db, listing([{ paper: { ...emptyPaper('2506.10910', 'Magistral'), upvotes: 3 }, day: '2025-06-11', rank: 1 }]), { now });
    storeListing(db, listing([{ paper: { ...emptyPaper('2506.10910', 'Magistral'), upvotes: 9 }, day: '2025-06-11', rank: 1 }]), { now });
    expect(starredAmong(db, ['2506.10910', byTitle.id])).toEqual(new Set(['2506.10910']));
    expect(readAmong(db, ['2506.10910'])).toEqual(new Set(['2506.10910']));
  });

  it('a hand-made read mark is not downgraded by being shown; unread clears it', () => {
    const db = tempDb();
    storeListing(db, listing([{ paper: emptyPaper('2506.00001', 'A'), day: '2025-06-10', rank: 1 }]), { now });
    markRead(db, ['2506.00001'], 'marked', now);
    markRead(db, ['2506.00001'], 'shown', now);
    expect(db.prepare('SELECT how FROM reads').get()).toEqual({ how: 'marked' });
    expect(markUnread(db, ['2506.00001'])).toBe(1);
    expect(readAmong(db, ['2506.00001']).size).toBe(0);
  });

  it('a terminal list remembers which seen marks it made: unmarkLastSeen takes back those only, never a read mark', async () => {
    const { rememberShown, markLastSeen, unmarkLastSeen, markUnseen, lastShown, lastReadAt } = await import('../../src/store/state.js');
    const db = tempDb();
    const ids = ['2506.00001', '2506.00002', '2506.00003', '2506.00004'];
    storeListing(db, listing(ids.map((id, i) => ({ paper: emptyPaper(id, `P${i}`), day: '2025-06-10', rank: i + 1 }))), { now });
    const earlier = new Date('2025-06-01T00:00:00Z');
    markRead(db, ['2506.00001'], 'shown', earlier);
    // Shown: all four numbered, the first two on screen (one of them seen before).
    rememberShown(db, ids, ids.slice(0, 2), now);
    expect(lastShown(db)).toEqual(ids);
    expect(readAmong(db, ids)).toEqual(new Set(ids.slice(0, 2)));
    // A mark's time is when the paper was first seen.
    expect(lastReadAt(db, ['2506.00001'])).toBe(earlier.toISOString());
    expect(markLastSeen(db, now)).toEqual({ ids, fresh: ids.slice(2) });
    markRead(db, ['2506.00003'], 'marked', now);
    expect(unmarkLastSeen(db)).toEqual({ ids, removed: 2 });
    expect(readAmong(db, ids)).toEqual(new Set(['2506.00001', '2506.00003']));
    expect(unmarkLastSeen(db).removed).toBe(0);
    // A mark removed by hand and made again by hand is not the listing's any more.
    rememberShown(db, ids, ids, now);
    expect(markUnseen(db, ['2506.00002'])).toBe(1);
    markRead(db, ['2506.00002'], 'shown', now);
    expect(unmarkLastSeen(db).removed).toBe(1);
    expect(readAmong(db, ids)).toEqual(new Set(['2506.00001', '2506.00002', '2506.00003']));
  });

  it('watch terms are case-insensitive and match only the rows asked about', () => {
    const db = tempDb();
    storeListing(db, parse('hfdp-zh_2024-03-12.json', '2024-03-12'), { now });
    expect(addWatch(db, 'Stealing', now)).toBe(true);
    expect(addWatch(db, 'stealing', now)).toBe(false);
    addWatch(db, 'language model', now);
    expect(watchTerms(db)).toEqual(['Stealing', 'language model']);
    const terms = watchTerms(db).map((term) => ({ term, match: toMatchExpression(parseQuery(term))! }));
    const m = watchMatches(db, terms, ['2403.06634', '2403.07815']);
    expect(m.get('2403.06634')).toEqual(['Stealing', 'language model']);
    expect(watchMatches(db, terms, ['2403.07815']).get('2403.06634')).toBeUndefined();
    expect(removeWatch(db, 'STEALING')).toBe(true);
    expect(watchTerms(db)).toEqual(['language model']);
  });
});
