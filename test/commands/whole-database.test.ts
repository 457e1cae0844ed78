/**
 * Every stored paper is reachable: papers no listing carried (arXiv metadata snapshot imports,
 * remote search results) in `list` and `export`, and `export` → `import` reproducing the
 * database, listings included.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'papers-whole-'));
const fixture = (...parts: string[]) => join(FIXTURES, ...parts);

/** Rows of a read-only query on a database file. */
function query<T = Record<string, unknown>>(db: string, sql: string): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all() as T[];
  } finally {
    d.close();
  }
}

// Every column but the row number and the times of the import itself.
const PAPER_COLUMNS = `id, title, title_hash, abstract, authors, keywords, published_at, upvotes, comments, github_repo,
  github_stars, project_page, ai_summary, organization, categories, primary_category, doi, journal_ref, arxiv_comments, version, updated_on`;
const papersOf = (db: string) => query(db, `SELECT ${PAPER_COLUMNS} FROM papers ORDER BY id`);
const listingsOf = (db: string) => query(db, 'SELECT source, day, paper_id, rank, upvotes FROM listings ORDER BY paper_id, source, day');
const ids = (jsonl: string) => jsonl.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);

// Five real snapshot papers (2007-03-31 … 2007-04-02; math.CO: 0704.0002 and 0704.0004, both on
// 2007-03-31), one day listed by both HF and arXiv cs.LG, and another HF day.
const { run, db } = withDb();
beforeAll(async () => {
  const r = await run([
    'import',
    fixture('arxiv', 'metadata-first5.jsonl'),
    fixture('arxiv', 'hf-2026-03-10.json'),
    fixture('arxiv', 'rss-cs.LG-2026-03-10.xml'),
    fixture('hf-api', 'hfdp-ml_2025-06-09.json'),
  ]);
  expect(r.code, r.stderr).toBe(0);
  expect((await run(['star', '0704.0004'])).code).toBe(0);
});

describe('list with a day range', () => {
  it('finds snapshot papers on their arXiv date, with no listing fields, filters applied', async () => {
    const r = await run(['list', '--since', '2007-01-01', '--until', '2007-12-31', '--category', 'math.CO', '--offline', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((p) => [p.id, p.listedOn, p.source, p.rank])).toEqual([
      ['0704.0004', null, null, null],
      ['0704.0002', null, null, null],
    ]);
    expect(rows[0]!.publishedAt).toBe('2007-03-31T03:16:14.000Z');
    const day = await run(['list', '--date', '2007-04-02', '--jsonl']);
    expect(ids(day.stdout)).toEqual(['0704.0001', '0704.0005']);
    const author = await run(['list', '--month', '2007-04', '--author', 'hongjun', '--jsonl']);
    expect(ids(author.stdout)).toEqual(['0704.0003']);
  });

  it('--source keeps its meaning: only what that source listed', async () => {
    const r = await run(['list', '--since', '2007-01-01', '--until', '2007-12-31', '--source', 'arxiv', '--offline']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('papers: no papers listed from 2007-01-01 to 2007-12-31\n');
  });

  it('`list` alone still shows the latest listing day; `--starred` alone every starred paper, listed or not', async () => {
    const latest = (await run(['list', '--jsonl'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { listedOn: string });
    expect(new Set(latest.map((p) => p.listedOn))).toEqual(new Set(['2026-03-10']));
    expect((await run(['star', '2603.08706'])).code).toBe(0);
    expect(ids((await run(['list', '--starred', '--jsonl'])).stdout)).toEqual(['2603.08706', '0704.0004']);
    await run(['unstar', '2603.08706']);
  });
});

describe('export', () => {
  it('with no filters writes every paper in the database exactly once', async () => {
    const r = await run(['export']);
    expect(r.code, r.stderr).toBe(0);
    const exported = ids(r.stdout);
    const stored = query<{ id: string }>(db, 'SELECT id FROM papers').map((p) => p.id);
    expect(exported.length).toBe(stored.length);
    expect(new Set(exported).size).toBe(exported.length);
    expect(new Set(exported)).toEqual(new Set(stored));
    expect(exported).toContain('0704.0001');
  });

  it('adds each paper’s listings, newest first, as `show --json` has them', async () => {
    const rows = (await run(['export', '--format', 'json'])).stdout;
    const byId = new Map((JSON.parse(rows) as Array<{ id: string; listings: unknown[] }>).map((p) => [p.id, p]));
    const all = listingsOf(db);
    const twice = all.filter((l) => l.source === 'arxiv:cs.LG' && all.some((o) => o.paper_id === l.paper_id && o.source === 'hf'));
    expect(twice.length).toBeGreaterThan(0);
    const id = twice[0]!.paper_id as string;
    const shown = JSON.parse((await run(['show', id, '--json'])).stdout) as { listings: unknown[] };
    expect(byId.get(id)!.listings).toEqual(shown.listings);
    expect(shown.listings.map((l) => (l as { source: string }).source)).toEqual(['arxiv:cs.LG', 'hf']);
    expect(byId.get('0704.0001')!.listings).toEqual([]);
    // Field selection knows it too; `list` does not print it.
    expect(JSON.parse((await run(['export', '--fields', 'id,listings', '--date', '2007-04-02'])).stdout.split('\n')[0]!)).toEqual({ id: '0704.0001', listings: [] });
    const list = await run(['list', '--json=id,listings']);
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/unknown field "listings"/);
  });

  it('then import into a fresh database reproduces the papers and every listing', async () => {
    // A date in the file name is the listing day of records that carry none: `listings: []` carries "none".
    const file = join(dir, 'backup-2025-06-10.jsonl');
    expect((await run(['export', '-o', file])).code).toBe(0);
    const fresh = withDb();
    const r = await fresh.run(['import', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(listingsOf(fresh.db)).toEqual(listingsOf(db));
    expect(papersOf(fresh.db)).toEqual(papersOf(db));
    const unlisted = JSON.parse((await fresh.run(['show', '0704.0002', '--json'])).stdout) as Record<string, unknown>;
    expect(unlisted).toMatchObject({ listedOn: null, source: null, rank: null, listings: [] });
    // And again: nothing changes.
    const again = await fresh.run(['import', file]);
    expect(again.stderr).toMatch(/0 new, 0 updated, \d+ unchanged/);
    expect(listingsOf(fresh.db)).toEqual(listingsOf(db));
  });

  it('an older export (no `listings`) still imports: each row its own listing', async () => {
    const old = (await run(['list', '--date', '2025-06-09', '--jsonl', '--limit', '2'])).stdout;
    expect(old).not.toContain('"listings"');
    const file = join(dir, 'old.jsonl');
    writeFileSync(file, old);
    const fresh = withDb();
    expect((await fresh.run(['import', file])).code).toBe(0);
    const rows = old.trim().split('\n').map((l) => JSON.parse(l) as { id: string; rank: number; upvotes: number });
    expect(listingsOf(fresh.db)).toEqual(
      rows.map((p) => ({ source: 'hf', day: '2025-06-09', paper_id: p.id, rank: p.rank, upvotes: p.upvotes })).sort((a, b) => a.paper_id.localeCompare(b.paper_id)),
    );
  });

  it('a malformed `listings` entry is reported with its line and skipped; --strict stops there (exit 2)', async () => {
    const lines = readFileSync(join(dir, 'backup-2025-06-10.jsonl'), 'utf8').trim().split('\n').slice(0, 3);
    const bad = JSON.parse(lines[1]!) as { id: string; listings: Array<Record<string, unknown>> };
    bad.listings = [{ source: 'hf', day: '2025-02-30', rank: 1, upvotes: 3 }];
    lines[1] = JSON.stringify(bad);
    const file = join(dir, 'bad-listing.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const fresh = withDb();
    const r = await fresh.run(['import', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^papers: ${file}:2: listings\\[0\\]: "day" "2025-02-30" is not a YYYY-MM-DD date$`, 'm'));
    expect(r.stderr).toMatch(/2 read, 2 new, .*; 1 malformed line skipped\n$/);
    expect(query(fresh.db, `SELECT id FROM papers WHERE id = '${bad.id}'`)).toEqual([]);
    const strict = await withDb().run(['import', '--strict', file]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toBe(`papers: ${file}:2: listings[0]: "day" "2025-02-30" is not a YYYY-MM-DD date (--strict)\n`);
  });
});

describe('help json', () => {
  it('documents `listings`', async () => {
    expect((await run(['help', 'json'])).stdout).toMatch(/^ {2}listings +array +every listing of the paper/m);
  });
});
