/** `papers import` of line-delimited files: imports stream in batches, count malformed lines, and honor --strict. */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';
import { registerFunctions } from '../../src/store/db.js';

const dir = mkdtempSync(join(tmpdir(), 'papers-bulk-'));
const count = (db: string, sql: string) => {
  const d = new Database(db, { readonly: true });
  registerFunctions(d); // papers_fts reads its text through them
  try {
    return (d.prepare(sql).get() as { n: number }).n;
  } finally {
    d.close();
  }
};

/** N of our JSONL records, with the listing day spread over a few days. */
function jsonl(n: number): string {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `2501.${String(i).padStart(5, '0')}`,
      title: `Synthetic paper ${i} about sparse attention`,
      authors: ['A. Author', 'B. Author'],
      abstract: `We study problem ${i}. `.repeat(20),
      listedOn: `2025-01-0${1 + (i % 5)}`,
      upvotes: i % 50,
    }),
  ).join('\n') + '\n';
}

describe('streamed JSONL import', () => {
  it('commits in batches and reports malformed lines by number without stopping', async () => {
    const { run, db } = withDb();
    const lines = jsonl(250).split('\n');
    lines.splice(10, 0, '{"id": "2501.99999", "title": broken');
    lines.splice(100, 0, '[1, 2, 3]');
    const file = join(dir, 'with-bad-lines.jsonl');
    writeFileSync(file, lines.join('\n'));
    const r = await run(['import', file], { env: { PAPERS_IMPORT_BATCH: '40' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^papers: ${file}:11: not valid JSON`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^papers: ${file}:101: not a papers JSONL record`, 'm'));
    expect(r.stderr).toMatch(/\(jsonl\): 250 read, 250 new, 0 updated, 0 unchanged; listed 2025-01-01…2025-01-05 \(5 days\); 2 malformed lines skipped\n$/);
    expect(count(db, 'SELECT count(*) AS n FROM papers')).toBe(250);
    expect(count(db, 'SELECT count(*) AS n FROM papers_fts')).toBe(250);
    // Idempotent.
    const again = await run(['import', file], { env: { PAPERS_IMPORT_BATCH: '40' } });
    expect(again.stderr).toMatch(/250 read, 0 new, 0 updated, 250 unchanged/);
  });

  it('--strict stops at the first malformed line, naming it; earlier batches stay', async () => {
    const { run, db } = withDb();
    const lines = jsonl(100).split('\n');
    lines.splice(60, 0, 'not json');
    const file = join(dir, 'strict.jsonl');
    writeFileSync(file, lines.join('\n'));
    const r = await run(['import', '--strict', file], { env: { PAPERS_IMPORT_BATCH: '25' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`papers: ${file}:61: not valid JSON (Unexpected token 'o', "not json" is not valid JSON) (--strict)\n`);
    // Batches of 25 before line 61: 50 papers, never a partial batch.
    expect(count(db, 'SELECT count(*) AS n FROM papers')).toBe(50);
  });

  it('a file of nothing but malformed lines is exit 2', async () => {
    const { run } = withDb();
    const file = join(dir, 'all-bad.jsonl');
    writeFileSync(file, '{"a": 1}\n{"b": 2}\n');
    const r = await run(['import', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no valid records \(2 malformed lines\)/);
  });

  it('the arXiv metadata snapshot is detected and streamed', async () => {
    const { run, db } = withDb();
    const sample = readFileSync(join(FIXTURES, 'arxiv', 'metadata-first5.jsonl'), 'utf8');
    const file = join(dir, 'snapshot.jsonl');
    writeFileSync(file, sample + 'garbage line\n');
    const r = await run(['import', file], { env: { PAPERS_IMPORT_BATCH: '2' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\(arxiv-metadata\): 5 read, 5 new, 0 updated, 0 unchanged; no listing day; 1 malformed line skipped/);
    expect(count(db, 'SELECT count(*) AS n FROM papers WHERE categories <> \'\'')).toBe(5);
    const shown = JSON.parse((await run(['show', '0704.0001', '--json'])).stdout);
    expect(shown).toMatchObject({ id: '0704.0001', doi: '10.1103/PhysRevD.76.013009', categories: ['hep-ph'], version: 2 });
  });
});
