/** `papers import` of line-delimited files: imports stream in batches, count malformed lines, and honor --strict. */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, withDb as bundleWithDb } from '../support/run.js';
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

  it('a file saved with a byte order mark and CRLF line ends imports whole, its first line too', async () => {
    const { run, db } = withDb();
    const file = join(dir, 'bom-crlf.jsonl');
    writeFileSync(file, '\uFEFF' + jsonl(30).replace(/\n/g, '\r\n'));
    const r = await run(['import', '--strict', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\(jsonl\): 30 read, 30 new, 0 updated, 0 unchanged/);
    expect(count(db, "SELECT count(*) AS n FROM papers WHERE id = '2501.00000'")).toBe(1);
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

describe('a bulk import builds the search index at the end', () => {
  const ftsCheck = (db: string) => {
    const d = new Database(db);
    registerFunctions(d);
    try {
      // rank 1: the index is compared with the papers' text, not only with itself.
      d.exec("INSERT INTO papers_fts(papers_fts, rank) VALUES('integrity-check', 1)");
      return d.prepare('SELECT count(*) AS n FROM fts_pending').get() as { n: number };
    } finally {
      d.close();
    }
  };

  /** A database of 250 papers whose papers from pk 101 on are left out of the index, as a stopped bulk import leaves them. */
  async function stoppedImport(pid: number | null) {
    const { run, db } = withDb();
    const file = join(dir, 'backlog.jsonl');
    writeFileSync(file, jsonl(250));
    expect((await run(['import', file])).code).toBe(0);
    const d = new Database(db);
    registerFunctions(d);
    d.exec(`INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors, keywords)
            SELECT 'delete', pk, title, abstract, authors, keywords FROM papers_fts_text WHERE pk >= 101`);
    d.prepare("INSERT INTO fts_pending (one, from_pk, pid, since) VALUES (1, 101, ?, '2025-01-01T00:00:00Z')").run(pid);
    d.close();
    return { run, db };
  }

  it('an empty database: every paper is found, and nothing is left pending', async () => {
    const { run, db } = withDb();
    const file = join(dir, 'bulk.jsonl');
    writeFileSync(file, jsonl(250));
    expect((await run(['import', file], { env: { PAPERS_IMPORT_BATCH: '40' } })).code).toBe(0);
    expect(ftsCheck(db).n).toBe(0);
    expect(count(db, "SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH 'sparse'")).toBe(250);
  });

  it('several files: each file\'s line once the index is built, then their sum; a paper in both is new once', async () => {
    const { run, db } = withDb();
    const [a, b] = [join(dir, 'first.jsonl'), join(dir, 'second.jsonl')];
    const records = jsonl(250).trimEnd().split('\n');
    writeFileSync(a, records.slice(0, 200).join('\n') + '\n');
    writeFileSync(b, records.slice(150).join('\n') + '\n');
    const r = await run(['import', a, b], { env: { PAPERS_IMPORT_BATCH: '40' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trimEnd().split('\n').slice(-3)).toEqual([
      expect.stringMatching(/first\.jsonl \(jsonl\): 200 read, 200 new, 0 updated, 0 unchanged/),
      expect.stringMatching(/second\.jsonl \(jsonl\): 100 read, 50 new, 0 updated, 50 unchanged/),
      'imported 2 files: 300 read, 250 new, 0 updated, 50 unchanged',
    ]);
    expect(count(db, "SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH 'sparse'")).toBe(250);
  });

  it('Ctrl-C during a streamed file stops there: the files after it are not imported', async () => {
    const { run, db } = withDb();
    const file = join(dir, 'interrupted.jsonl');
    writeFileSync(file, jsonl(3000));
    const interrupt = new AbortController();
    // Ctrl-C once the first batch is stored: during the 75 batches of the first file.
    const watch = setInterval(() => {
      try {
        if (count(db, 'SELECT count(*) AS n FROM papers') > 0) interrupt.abort();
      } catch {
        // Not created yet.
      }
      if (interrupt.signal.aborted) clearInterval(watch);
    }, 1);
    const r = await run(['import', file, join(FIXTURES, 'hf-api', '2025-02-03.json')], { interrupt: interrupt.signal, env: { PAPERS_IMPORT_BATCH: '40' } });
    expect(r.code).toBe(130);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^papers: interrupted: \\d+ papers of ${file} imported in whole batches; run the import again to finish$`));
    const stored = count(db, 'SELECT count(*) AS n FROM papers');
    expect(stored % 40, 'whole batches').toBe(0);
    expect(stored).toBeLessThan(3000);
    // The file after it was not imported.
    expect(count(db, "SELECT count(*) AS n FROM listings WHERE day = '2025-02-03'")).toBe(0);
  });

  it('the next command indexes what a stopped import left, before it searches', async () => {
    const { run, db } = await stoppedImport(null);
    expect(count(db, "SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH 'sparse'")).toBe(100);
    const r = await run(['search', 'sparse', '--limit', '1000', '--fields', 'id', '--jsonl']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(250);
    expect(ftsCheck(db).n).toBe(0);
  });

  it('papers an import still running is writing are not searched silently: a note says how many are missing', async () => {
    // The test process stands for the running importer: alive, and not the command's own process.
    const { run, db } = await stoppedImport(process.ppid);
    const r = await run(['search', 'sparse', '--limit', '1000', '--fields', 'id', '--jsonl']);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(100);
    expect(r.stderr).toBe(`papers: 150 papers being imported (process ${process.ppid}) are not in the search index yet\n`);
    expect(count(db, 'SELECT count(*) AS n FROM fts_pending')).toBe(1);
  });
});

describe('parsing in a worker thread (the bundle)', () => {
  const outcome = async (env: Record<string, string>, file: string, strict: boolean) => {
    const { run, db } = bundleWithDb();
    const r = await run(['import', ...(strict ? ['--strict'] : []), file], { env: { PAPERS_IMPORT_BATCH: '40', ...env } });
    return { code: r.code, stderr: r.stderr, papers: count(db, 'SELECT count(*) AS n FROM papers'), found: count(db, "SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH 'sparse'") };
  };

  it('stores, reports and stops exactly as parsing in the importing thread does', async () => {
    const lines = jsonl(250).split('\n');
    lines.splice(10, 0, '{"id": "2501.99999", "title": broken');
    lines.splice(100, 0, 'not json');
    const file = join(dir, 'worker.jsonl');
    writeFileSync(file, lines.join('\n'));
    for (const strict of [false, true]) {
      const inWorker = await outcome({ PAPERS_IMPORT_WORKER: '1' }, file, strict);
      const inThread = await outcome({ PAPERS_IMPORT_WORKER: '0' }, file, strict);
      expect(inWorker).toEqual(inThread);
      expect(inWorker.code).toBe(strict ? 2 : 0);
      expect(inWorker.papers).toBe(strict ? 0 : 250);
    }
  });
});

describe('grep after a bulk import: through the index, with the words a worker worked out', () => {
  it('finds exactly the papers holding the literal, glued or split as the index tokenizes', async () => {
    const { run, db } = bundleWithDb();
    // 6,000 papers: a backlog large enough for the words worker (5,000). The literal is rare (the
    // index's candidates stay under a tenth of the papers), and sometimes glued to its neighbours.
    const glue = ['quokka', 'Quokka\uE000burrow', 'x\u0305quokka', '模型quokka', 'quokkas_den', 'QUOKKA😀'];
    const abstract = (i: number) => `Common words of paper ${i}.` + (i % 29 === 0 ? ` A ${glue[(i / 29) % glue.length]} here.` : '');
    const file = join(dir, 'grep-bulk.jsonl');
    writeFileSync(
      file,
      Array.from({ length: 6000 }, (_, i) => JSON.stringify({ id: `2501.${String(i).padStart(5, '0')}`, title: `Paper ${i}`, authors: ['A. Author'], abstract: abstract(i), listedOn: '2025-01-02' })).join('\n') + '\n',
    );
    const imported = await run(['import', file]);
    expect(imported.code, imported.stderr).toBe(0);
    // The worker's words are in, glued as split at separators: the private-use character stays in its word.
    expect(count(db, "SELECT count(*) AS n FROM fts_words WHERE word IN ('quokka', 'quokka\uE000burrow', '模', 'quokkas', 'den')")).toBe(5);
    const expected = (re: RegExp) => Array.from({ length: 6000 }, (_, i) => i).filter((i) => re.test(abstract(i))).length;
    for (const [args, re] of [
      [['quokka'], /quokka/],
      [['-i', 'quokka'], /quokka/i],
      [['-w', 'quokka'], /(?<![\p{L}\p{N}_])quokka(?![\p{L}\p{N}_])/u],
      [['-i', 'okka.burrow'], /okka.burrow/i],
    ] as Array<[string[], RegExp]>) {
      const r = await run(['grep', '-c', ...args]);
      expect(r.stdout.trim(), args.join(' ')).toBe(String(expected(re)));
      expect(Number(r.stdout)).toBeGreaterThan(0);
    }
  });
});
