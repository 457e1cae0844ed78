/**
 * `papers import`: real fixtures into a temp database, checking stdout, stderr and the exit code separately.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcessWithDb as withDb } from '../support/in-process.js';
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

  it('a listing saved before the stored counts were seen does not replace them; one saved after does', async () => {
    const { run, db } = withDb();
    const dir = mkdtempSync(join(tmpdir(), 'papers-saved-'));
    const day = readFileSync(hf('2025-02-03.json'), 'utf8');
    const items = JSON.parse(day) as Array<{ paper: { id: string; upvotes: number; projectPage?: string; githubRepo?: string | null }; numComments: number }>;
    const id = items[0]!.paper.id;
    const older = items[0]!.paper.upvotes;
    // The same day saved twice: on the day, and two days later with more upvotes and comments,
    // and the first paper's project page moved.
    const [early, late] = [join(dir, 'early'), join(dir, 'late')];
    for (const d of [early, late]) mkdirSync(d);
    items[0]!.paper.projectPage = 'https://example.org/first';
    items[0]!.paper.githubRepo = 'https://github.com/example/first';
    writeFileSync(join(early, '2025-02-03.json'), JSON.stringify(items));
    items[0]!.paper.upvotes = older + 12;
    items[0]!.numComments += 2;
    items[0]!.paper.projectPage = 'https://example.org/moved';
    items[0]!.paper.githubRepo = null;
    writeFileSync(join(late, '2025-02-03.json'), JSON.stringify(items));
    utimesSync(join(early, '2025-02-03.json'), new Date('2025-02-03T12:00:00Z'), new Date('2025-02-03T12:00:00Z'));
    utimesSync(join(late, '2025-02-03.json'), new Date('2025-02-05T12:00:00Z'), new Date('2025-02-05T12:00:00Z'));
    const counts = async () => JSON.parse((await run(['show', id, '--json', '--offline'])).stdout) as { upvotes: number; comments: number; projectPage: string; githubRepo: string | null };

    expect((await run(['import', join(late, '2025-02-03.json')])).code).toBe(0);
    const before = await counts();
    // The earlier file changes nothing of the paper, and says so.
    const r = await run(['import', join(early, '2025-02-03.json')]);
    expect(r.stderr).toMatch(/: 4 read, 0 new, 1 updated, 3 unchanged/);
    // Only what was unknown is filled in.
    expect(await counts()).toEqual({ ...before, githubRepo: 'https://github.com/example/first' });
    expect(before.upvotes).toBe(older + 12);
    expect(before.projectPage).toBe('https://example.org/moved');
    // Its count is history at its own time.
    const d = new Database(db, { readonly: true });
    const history = d.prepare('SELECT at, upvotes FROM upvote_history WHERE paper_id = ? ORDER BY at').all(id);
    d.close();
    expect(history).toEqual([
      { at: '2025-02-03T12:00:00.000Z', upvotes: older },
      { at: '2025-02-05T12:00:00.000Z', upvotes: older + 12 },
    ]);
    // Saved again later, its counts are the newest: they replace the stored ones.
    utimesSync(join(early, '2025-02-03.json'), new Date('2025-02-06T12:00:00Z'), new Date('2025-02-06T12:00:00Z'));
    const newer = await run(['import', join(early, '2025-02-03.json')]);
    expect(newer.stderr).toMatch(/: 4 read, 0 new, 1 updated, 3 unchanged/);
    expect(await counts()).toMatchObject({ upvotes: older, projectPage: 'https://example.org/first' });
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
