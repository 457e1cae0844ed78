/**
 * Every stored paper is reachable: papers no listing carried (arXiv metadata snapshot imports,
 * remote search results) in `list` and `export`, and `export` → `import` reproducing the
 * database, listings included — from the built binary.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, withDb } from '../support/run.js';

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
});
