/**
 * One paper, many sources. How store/write.ts merges arXiv (RSS and API) with
 * Hugging Face: the key is the id without version, the latest version's text wins, a
 * cross-list adds a listing and not a paper, arXiv's text stays once seen, a primary
 * category stays first, counts are of distinct papers — and the order the sources arrive
 * in does not change the database.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyPaper, type Paper, type ParsedListing } from '../../src/model.js';
import { parseAtomPage } from '../../src/sources/arxiv-atom.js';
import { parseRssFeed } from '../../src/sources/arxiv-rss.js';
import { hfJson } from '../../src/sources/hf-json.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { latestListedDay, listedDays, oldestOkFetches } from '../../src/store/fetches.js';
import { getPaper, listingsOf, listPapers } from '../../src/store/query.js';
import { storeListing } from '../../src/store/write.js';

const now = new Date('2026-03-12T10:00:00Z');
const DAY = '2026-03-10';
const text = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/arxiv', name), 'utf8');
const tempDb = () => openDatabase(join(mkdtempSync(join(tmpdir(), 'papers-merge-')), 'papers.db'));

/** The three sources of DAY, parsed as the fetch code parses them. */
const sources = {
  hf: () => hfJson.parse(text('hf-2026-03-10.json'), { day: DAY, origin: 'hf', now }),
  rss: () => parseRssFeed(text('rss-cs.LG-2026-03-10.xml'), { day: DAY, origin: 'rss', now, categories: ['cs.LG'] }).listing,
  union: () => parseRssFeed(text('rss-cs.LG+cs.CL-2026-03-10.xml'), { day: DAY, origin: 'rss', now, categories: ['cs.LG', 'cs.CL'] }).listing,
  api: () => parseAtomPage(text('atom-cs.LG-2026-03-09.xml'), { day: DAY, origin: 'api', now, source: 'arxiv:cs.LG' }).listing,
};

/** One listing of papers on `day` under `source`. */
const listing = (source: string, papers: Paper[], day = DAY): ParsedListing => ({
  format: 'test',
  warnings: [],
  items: papers.map((paper, i) => ({ paper, listing: { source, day, rank: i + 1, upvotes: paper.upvotes } })),
});

/** Everything but row numbers. */
function dump(db: Db) {
  const papers = (db.prepare('SELECT * FROM papers ORDER BY id').all() as Array<Record<string, unknown>>).map(
    ({ pk: _pk, ...rest }) => rest,
  );
  const listings = db.prepare('SELECT * FROM listings ORDER BY source, day, paper_id').all();
  const fts = db.prepare("SELECT p.id, f.title, f.abstract FROM papers_fts f JOIN papers p ON p.pk = f.rowid ORDER BY p.id").all();
  return { papers, listings, fts };
}

describe('one paper from several arXiv listings', () => {
  it('the combined feed: each paper once, listed under each category; the counts are of papers', () => {
    const db = tempDb();
    const parsed = sources.union();
    const stats = storeListing(db, parsed, { now });
    const listed = parsed.items.filter((i) => i.listing).length;
    const papers = new Set(parsed.items.map((i) => i.paper.id)).size;
    expect(listed).toBeGreaterThan(papers);
    expect(stats).toMatchObject({ read: papers, added: papers, updated: 0, unchanged: 0, days: [DAY] });
    expect((db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n).toBe(papers);
    expect((db.prepare('SELECT count(*) AS n FROM listings').get() as { n: number }).n).toBe(listed);
    // Again: every paper unchanged, still counted once.
    expect(storeListing(db, sources.union(), { now })).toMatchObject({ read: papers, added: 0, updated: 0, unchanged: papers });
  });

  it('a paper seen twice in one input counts as its biggest change', () => {
    const db = tempDb();
    storeListing(db, listing('arxiv:cs.LG', [{ ...emptyPaper('2603.00001', 'A'), version: 1 }]), { now });
    const v2 = { ...emptyPaper('2603.00001', 'A, revised'), version: 2 };
    const stats = storeListing(db, { ...listing('arxiv:cs.LG', [v2]), items: [...listing('arxiv:cs.LG', [v2]).items, ...listing('arxiv:cs.CL', [v2]).items] }, { now });
    expect(stats).toMatchObject({ read: 1, added: 0, updated: 1, unchanged: 0 });
  });

  it('a cross-list adds a listing, not a paper', () => {
    const db = tempDb();
    const p = { ...emptyPaper('2603.00002', 'Cross'), version: 1, categories: ['cs.CV', 'cs.LG'], primaryCategory: 'cs.CV' };
    storeListing(db, listing('arxiv:cs.CV', [p]), { now });
    storeListing(db, listing('arxiv:cs.LG', [{ ...p, primaryCategory: null }]), { now });
    expect(listingsOf(db, '2603.00002').map((l) => l.source)).toEqual(['arxiv:cs.CV', 'arxiv:cs.LG']);
    expect((db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n).toBe(1);
  });

  it('a replacement updates title and abstract; the older version never comes back', () => {
    const db = tempDb();
    const v1 = { ...emptyPaper('2508.15881', 'TPLA'), abstract: 'First.', version: 1, arxivComments: '9 pages' };
    const v3 = { ...emptyPaper('2508.15881', 'TPLA: Tensor Parallel Latent Attention'), abstract: 'Third.', version: 3 };
    storeListing(db, listing('arxiv:cs.LG', [v1], '2025-08-22'), { now });
    storeListing(db, listing('arxiv:cs.LG', [v3]), { now });
    expect(getPaper(db, '2508.15881')).toMatchObject({ title: 'TPLA: Tensor Parallel Latent Attention', abstract: 'Third.', version: 3, arxivComments: '9 pages' });
    storeListing(db, listing('arxiv:cs.LG', [v1], '2025-08-22'), { now });
    expect(getPaper(db, '2508.15881')).toMatchObject({ abstract: 'Third.', version: 3 });
  });

  it('old-style ids merge like new ones', () => {
    const db = tempDb();
    storeListing(db, listing('arxiv:hep-th', [{ ...emptyPaper('hep-th/9901001', 'Old'), version: 1 }], '1999-01-05'), { now });
    storeListing(db, listing('arxiv:hep-ph', [{ ...emptyPaper('hep-th/9901001', 'Old, revised'), version: 2 }], '1999-02-01'), { now });
    expect(getPaper(db, 'hep-th/9901001')).toMatchObject({ title: 'Old, revised', version: 2 });
    expect(listingsOf(db, 'hep-th/9901001')).toHaveLength(2);
  });

  it('a list without a known primary (an RSS cross item) keeps the stored primary first', () => {
    const db = tempDb();
    const api = { ...emptyPaper('2603.07901', 'NaviDriveVLM'), version: 1, categories: ['cs.RO', 'cs.AI', 'cs.LG'], primaryCategory: 'cs.RO' };
    const cross = { ...emptyPaper('2603.07901', 'NaviDriveVLM'), version: 1, categories: ['cs.AI', 'cs.LG', 'cs.RO'], primaryCategory: null };
    storeListing(db, listing('arxiv:cs.LG', [api]), { now });
    storeListing(db, listing('arxiv:cs.LG', [cross]), { now });
    expect(getPaper(db, '2603.07901')).toMatchObject({ primaryCategory: 'cs.RO', categories: ['cs.RO', 'cs.AI', 'cs.LG'] });
    // A list that knows its primary replaces the stored one.
    storeListing(db, listing('arxiv:cs.LG', [{ ...api, categories: ['cs.LG', 'cs.RO'], primaryCategory: 'cs.LG' }]), { now });
    expect(getPaper(db, '2603.07901')).toMatchObject({ primaryCategory: 'cs.LG', categories: ['cs.LG', 'cs.RO'] });
  });
});

describe('Hugging Face and arXiv', () => {
  const fromArxiv = () => ({
    ...emptyPaper('2603.08706', 'Agentic Critical Training'),
    abstract: 'We propose $\\mathcal{A}$CT, with TeX.',
    authors: ['Weize Liu', 'Minghui Liu'],
    publishedAt: '2026-03-09T17:58:56.000Z',
    version: 1,
    categories: ['cs.LG', 'cs.AI'],
    primaryCategory: 'cs.LG',
    doi: '10.48550/arXiv.2603.08706',
    journalRef: 'ICML 2026',
    arxivComments: '8 pages',
  });
  const fromHf = () => ({
    ...emptyPaper('2603.08706', 'Agentic Critical Training'),
    abstract: 'We propose ACT, with TeX.',
    authors: ['Weize Liu', 'Minghui Liu'],
    publishedAt: '2026-03-09T17:58:56.000Z',
    upvotes: 5,
    comments: 2,
    githubRepo: 'https://github.com/x/act',
  });

  it("HF after arXiv: HF adds upvotes and its own fields; arXiv's text stays", () => {
    const db = tempDb();
    storeListing(db, listing('arxiv:cs.LG', [fromArxiv()]), { now });
    const stats = storeListing(db, listing('hf', [fromHf()]), { now });
    expect(stats).toMatchObject({ updated: 1 });
    expect(getPaper(db, '2603.08706')).toMatchObject({
      abstract: 'We propose $\\mathcal{A}$CT, with TeX.',
      upvotes: 5,
      comments: 2,
      githubRepo: 'https://github.com/x/act',
      categories: ['cs.LG', 'cs.AI'],
      doi: '10.48550/arXiv.2603.08706',
      version: 1,
    });
    // The arXiv listing shows the HF upvotes.
    expect(listPapers(db, { range: { from: DAY, to: DAY }, source: 'arxiv:cs.LG' })[0]).toMatchObject({ source: 'arxiv:cs.LG', upvotes: 5 });
  });

  it("arXiv after HF: the paper gains categories, DOI, comments, journal ref, and arXiv's text", () => {
    const db = tempDb();
    storeListing(db, listing('hf', [fromHf()]), { now });
    storeListing(db, listing('arxiv:cs.LG', [fromArxiv()]), { now });
    expect(getPaper(db, '2603.08706')).toMatchObject({
      abstract: 'We propose $\\mathcal{A}$CT, with TeX.',
      upvotes: 5,
      categories: ['cs.LG', 'cs.AI'],
      primaryCategory: 'cs.LG',
      doi: '10.48550/arXiv.2603.08706',
      journalRef: 'ICML 2026',
      arxivComments: '8 pages',
      version: 1,
    });
    expect(listingsOf(db, '2603.08706').map((l) => l.source)).toEqual(['arxiv:cs.LG', 'hf']);
  });

  it('HF fills what arXiv left unknown (the RSS feed has no publication time)', () => {
    const db = tempDb();
    storeListing(db, listing('arxiv:cs.LG', [{ ...fromArxiv(), publishedAt: null }]), { now });
    storeListing(db, listing('hf', [fromHf()]), { now });
    expect(getPaper(db, '2603.08706')).toMatchObject({ publishedAt: '2026-03-09T17:58:56.000Z' });
  });

  it('both orders give the same database, field for field (the fixtures: HF, the cs.LG feed, an API page)', () => {
    const orders: Array<Array<keyof typeof sources>> = [
      ['hf', 'rss', 'api'],
      ['rss', 'api', 'hf'],
      ['rss', 'hf', 'api'],
      ['hf', 'union', 'api'],
      ['union', 'api', 'hf'],
    ];
    const dumps = orders.map((order) => {
      const db = tempDb();
      for (const s of order) storeListing(db, sources[s](), { now });
      return { order, ...dump(db) };
    });
    for (const d of dumps.slice(1, 3)) {
      expect(d.papers, d.order.join(' ')).toEqual(dumps[0]!.papers);
      expect(d.listings, d.order.join(' ')).toEqual(dumps[0]!.listings);
      expect(d.fts, d.order.join(' ')).toEqual(dumps[0]!.fts);
    }
    expect(dumps[4]!.papers).toEqual(dumps[3]!.papers);
    expect(dumps[4]!.listings).toEqual(dumps[3]!.listings);
    // And it is the merge asked for: HF's upvotes with arXiv's categories, DOI and version.
    const p = dumps[0]!.papers.find((x) => x.id === '2603.08660')!;
    expect(p).toMatchObject({ upvotes: 30, version: 2, primary_category: 'cs.LG', categories: 'cs.LG cs.CL' });
  });
});

describe('the fetches table and listing days', () => {
  it('records one row per category with its own count', () => {
    const db = tempDb();
    storeListing(db, sources.union(), {
      now,
      fetch: [
        { source: 'arxiv:cs.LG', period: DAY, status: 'ok', detail: 'rss', items: 10 },
        { source: 'arxiv:cs.CL', period: DAY, status: 'ok', detail: 'rss', items: 4 },
      ],
    });
    expect(db.prepare('SELECT source, period, item_count, detail FROM fetches ORDER BY id').all()).toEqual([
      { source: 'arxiv:cs.LG', period: DAY, item_count: 10, detail: 'rss' },
      { source: 'arxiv:cs.CL', period: DAY, item_count: 4, detail: 'rss' },
    ]);
  });

  it('a day is as fresh as its least fresh category, and missing if one never was fetched', () => {
    const db = tempDb();
    const record = (source: string, period: string, at: string) =>
      db.prepare("INSERT INTO fetches (source, period, fetched_at, item_count, status) VALUES (?, ?, ?, 0, 'ok')").run(source, period, at);
    record('arxiv:cs.LG', '2026-03-09', '2026-03-10T10:00:00.000Z');
    record('arxiv:cs.CL', '2026-03-09', '2026-03-11T10:00:00.000Z');
    record('arxiv:cs.LG', '2026-03-10', '2026-03-11T10:00:00.000Z');
    const range = { from: '2026-03-09', to: '2026-03-10' };
    expect(oldestOkFetches(db, ['arxiv:cs.LG', 'arxiv:cs.CL'], range)).toEqual(new Map([['2026-03-09', '2026-03-10T10:00:00.000Z']]));
    expect(oldestOkFetches(db, ['arxiv:cs.LG'], range).size).toBe(2);
  });

  it('listing days by source: hf, a category, or any arXiv category', () => {
    const db = tempDb();
    storeListing(db, sources.rss(), { now });
    storeListing(db, listing('hf', [fromHfPaper()], '2026-03-11'), { now });
    const range = { from: '2026-03-01', to: '2026-03-31' };
    expect([...listedDays(db, range, 'arxiv')]).toEqual([DAY]);
    expect([...listedDays(db, range, 'arxiv:cs.LG')]).toEqual([DAY]);
    expect([...listedDays(db, range, 'arxiv:cs.CL')]).toEqual([]);
    expect([...listedDays(db, range, 'hf')]).toEqual(['2026-03-11']);
    expect(latestListedDay(db, '2026-03-31', 'arxiv')).toBe(DAY);
    expect(latestListedDay(db, '2026-03-31')).toBe('2026-03-11');
  });
});

function fromHfPaper(): Paper {
  return { ...emptyPaper('2603.99999', 'Only on HF'), upvotes: 1 };
}
