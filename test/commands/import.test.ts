/**
 * `papers import`: real fixtures into a temp database, checking stdout, stderr and the exit code separately.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcessWithDb as withDb, runInProcess } from '../support/in-process.js';
import { hf } from '../support/papers.js';

describe('import', () => {
  it('imports API JSON with a one-line summary on stderr and nothing on stdout, idempotently', async () => {
    const { run } = withDb();
    const first = await run(['import', hf('hfdp-ml_2025-06-09.json')]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(/hfdp-ml_2025-06-09\.json \(hf-json\): 12 read, 12 new, 0 updated, 0 unchanged; listed 2025-06-09\n$/);
    const second = await run(['import', hf('hfdp-ml_2025-06-09.json')]);
    expect(second.stderr).toMatch(/12 read, 0 new, 0 updated, 12 unchanged/);
  });

  it('2024 schema: the listing day comes from --date, else the file name, else it asks for --date', async () => {
    const { run } = withDb();
    const named = await run(['import', hf('hfdp-zh_2024-03-12.json')]);
    expect(named.stderr).toMatch(/listed 2024-03-12/);
    const body = readFileSync(hf('hfdp-zh_2024-03-13.json'));
    const piped = await run(['import', '-'], { input: body });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toBe('papers: standard input: cannot tell the listing day; pass --date YYYY-MM-DD\n');
    const dated = await run(['import', '--date', '2024-03-13', '-'], { input: body });
    expect(dated.code).toBe(0);
    expect(dated.stderr).toMatch(/listed 2024-03-13/);
  });

  it.each([
    ['truncated JSON', '[{"paper": {"id": "2506.00001", "title": "x"', 2, /not valid JSON/],
    ['a binary file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]), 2, /looks like a binary file/],
    ['invalid UTF-8', Buffer.from([0x41, 0xff, 0xfe, 0x42]), 2, /not UTF-8/],
    ['an empty file', '', 2, /empty input/],
    ['a JSON object that is no listing', '[{"hello": 1}]', 2, /not a Hugging Face daily-papers listing/],
  ])('refuses %s with a one-line message and no change', async (_name, content, code, message) => {
    const { run, db } = withDb();
    await run(['import', hf('hfdp-ml_2025-01-21.json')]);
    const before = readFileSync(db);
    const r = await run(['import', '--date', '2025-06-09', '-'], { input: content });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('a missing file is exit 2 and the other files still import', async () => {
    const { run } = withDb();
    const r = await run(['import', '/nonexistent/x.json', hf('hfdp-ml_2025-01-21.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^papers: \/nonexistent\/x\.json: no such file$/m);
    expect(r.stderr).toMatch(/hfdp-ml_2025-01-21\.json \(hf-json\): 3 read, 3 new/);
    expect(r.stderr).toMatch(/1 of 2 inputs could not be imported/);
    // One file imported: no total of one.
    expect(r.stderr).not.toMatch(/imported \d+ files/);
  });

  it('several inputs none of which imports: the sum-up says none', async () => {
    const { run } = withDb();
    const r = await run(['import', '/nonexistent/a.json', '/nonexistent/b.json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'papers: /nonexistent/a.json: no such file',
      'papers: /nonexistent/b.json: no such file',
      'papers: none of the 2 inputs could be imported',
    ]);
  });

  it('a database that is not ours stops an import of several files at the first: one line, exit 5, the file untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-notours-'));
    const db = join(dir, 'notes.txt');
    writeFileSync(db, 'my notes, not a database\n');
    const r = await runInProcess(['import', hf('2025-02-03.json'), hf('2025-02-04.json')], { env: { PAPERS_DB: db } });
    expect(r.code).toBe(5);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(readFileSync(db, 'utf8')).toBe('my notes, not a database\n');
  });

  it('several files end with their sum, after each file\'s line', async () => {
    const { run } = withDb();
    const days = ['2025-02-03', '2025-02-04', '2025-02-05'].map((d) => hf(`${d}.json`));
    const r = await run(['import', ...days, '/nonexistent/x.json']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    const each = lines.filter((l) => /^imported .*\.json/.test(l)).map((l) => l.match(/(\d+) read, (\d+) new, (\d+) updated, (\d+) unchanged/)!.slice(1).map(Number));
    expect(each).toHaveLength(3);
    const sum = each.reduce((a, b) => a.map((v, i) => v + b[i]!));
    // The total comes after the files' lines and before the failure's sum-up.
    expect(lines.at(-2)).toBe(`imported 3 files: ${sum[0]} read, ${sum[1]} new, ${sum[2]} updated, ${sum[3]} unchanged`);
    expect(lines.at(-1)).toMatch(/1 of 4 inputs could not be imported/);
    const again = await run(['import', ...days]);
    expect(again.stderr.trimEnd().split('\n').at(-1)).toBe(`imported 3 files: ${sum[0]} read, 0 new, 0 updated, ${sum[0]} unchanged`);
  });

  it('Ctrl-C stops an import of several files: exit 130, one line, and no file after it is imported', async () => {
    const { run } = withDb();
    const interrupt = new AbortController();
    interrupt.abort();
    const r = await run(['import', hf('2025-02-03.json'), hf('2025-02-04.json')], { interrupt: interrupt.signal });
    expect(r.code).toBe(130);
    expect(r.stderr).toBe(`papers: interrupted: 0 of 2 inputs imported, from ${hf('2025-02-03.json')} on not; run the import again to finish\n`);
    const listed = await run(['list', '--date', '2025-02-04', '--offline']);
    expect(listed.stdout).toBe('');
  });

  it('JSONL export round-trips into a fresh database', async () => {
    const a = withDb();
    await a.run(['import', hf('hfdp-ml_2025-06-09.json'), hf('hfdp-zh_2024-03-12.json')]);
    const exported = await a.run(['list', '--since', '2024-01-01', '--jsonl']);
    expect(exported.code).toBe(0);
    const b = withDb();
    const imp = await b.run(['import', '-'], { input: exported.stdout });
    expect(imp.code).toBe(0);
    expect(imp.stderr).toMatch(/\(jsonl\): 21 read, 21 new/);
    const again = await b.run(['list', '--since', '2024-01-01', '--jsonl']);
    expect(again.stdout).toBe(exported.stdout);
  });
});
