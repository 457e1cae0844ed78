/**
 * Issue 2, end to end: the built binary imports real fixtures into a temp database and
 * lists, searches and shows them, checking stdout, stderr and the exit code separately.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, runPapers, stripAnsi, tempDb, withDb } from '../support/run.js';
import { displayWidth } from '../../src/render/width.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);
const sample2025 = JSON.parse(readFileSync(hf('hfdp-ml_2025-06-09.json'), 'utf8')) as Array<{
  paper: { id: string; title: string; upvotes: number };
}>;

/** The documented JSON fields (README "JSON output") and their types. */
const JSON_FIELDS: Record<string, (v: unknown) => boolean> = {
  id: (v) => typeof v === 'string',
  title: (v) => typeof v === 'string',
  authors: (v) => Array.isArray(v) && v.every((a) => typeof a === 'string'),
  abstract: (v) => typeof v === 'string',
  publishedAt: (v) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v))),
  listedOn: (v) => v === null || (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)),
  source: (v) => v === null || typeof v === 'string',
  rank: (v) => v === null || Number.isInteger(v),
  upvotes: (v) => v === null || Number.isInteger(v),
  comments: (v) => v === null || Number.isInteger(v),
  githubRepo: (v) => v === null || typeof v === 'string',
  githubStars: (v) => v === null || Number.isInteger(v),
  projectPage: (v) => v === null || typeof v === 'string',
  aiSummary: (v) => v === null || typeof v === 'string',
  keywords: (v) => Array.isArray(v) && v.every((a) => typeof a === 'string'),
  organization: (v) => v === null || typeof v === 'string',
  categories: (v) => Array.isArray(v) && v.every((a) => typeof a === 'string'),
  primaryCategory: (v) => v === null || typeof v === 'string',
  doi: (v) => v === null || typeof v === 'string',
  journalRef: (v) => v === null || typeof v === 'string',
  arxivComments: (v) => v === null || typeof v === 'string',
  version: (v) => v === null || Number.isInteger(v),
  updatedAt: (v) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v))),
  urls: (v) => typeof v === 'object' && v !== null && ['hf', 'arxiv', 'pdf'].every((k) => k in v),
  watched: (v) => Array.isArray(v) && v.every((a) => typeof a === 'string'),
};

function expectPaperShape(obj: Record<string, unknown>) {
  expect(Object.keys(obj).sort()).toEqual(Object.keys(JSON_FIELDS).sort());
  for (const [k, ok] of Object.entries(JSON_FIELDS)) expect(ok(obj[k]), `${k} = ${JSON.stringify(obj[k])}`).toBe(true);
}

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

describe('list', () => {
  const { run } = withDb();
  beforeAll(async () => {
    await run(['import', hf('hfdp-ml_2025-06-09.json'), hf('hfdp-zh_2024-03-12.json'), hf('hfdp-ml_2025-01-21.json')]);
  });

  it('piped: one tab-separated record per line (id, upvotes, day, title), rank order, no color', async () => {
    const r = await run(['list']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(sample2025.length);
    expect(r.stdout).not.toMatch(/\x1b/);
    const first = lines[0]!.split('\t');
    const top = [...sample2025].sort((x, y) => y.paper.upvotes - x.paper.upvotes)[0]!.paper;
    expect(first).toEqual([top.id, String(top.upvotes), '2025-06-09', top.title.replace(/\s+/g, ' ').trim()]);
  });

  it.each([[100], [72], [40], [30]])('on a %i-column TTY: header, numbers, colors, no line wider than the terminal', async (cols) => {
    const r = await run(['list', '--color', 'always'], { env: { PAPERS_FORCE_TTY: '1', COLUMNS: String(cols) } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\x1b\[/);
    const plain = stripAnsi(r.stdout);
    // The day was imported from a whole listing: the header says how fresh it is, as room allows.
    expect(plain).toMatch(cols >= 72 ? /^Daily Papers · 2025-06-09 · 12 papers · imported just now\n\n/ : cols >= 40 ? /^Daily Papers · 2025-06-09 · 12 papers[^\n]{0,3}\n\n/ : /^Daily Papers · 2025-06-09 · 1…\n\n/);
    // Wide terminals put the title beside the id; narrow ones under it.
    expect(plain).toMatch(cols >= 72 ? /^ +1 {2}▲ +\d+ {2}25\d\d\.\d{5} {2}\S/m : /^ +1 {2}▲ +\d+ {2}25\d\d\.\d{5}\n {3,}\S/m);
    const show = stripAnsi((await run(['show', '1'], { env: { PAPERS_FORCE_TTY: '1', COLUMNS: String(cols) } })).stdout);
    for (const line of [...plain.split('\n'), ...show.split('\n')]) expect(displayWidth(line), line).toBeLessThanOrEqual(cols);
  });

  it('NO_COLOR turns color off even on a TTY', async () => {
    const r = await run(['list'], { env: { PAPERS_FORCE_TTY: '1', NO_COLOR: '1' } });
    expect(r.stdout).not.toMatch(/\x1b/);
    expect(r.stdout).toMatch(/Daily Papers · 2025-06-09/);
  });

  it('--json prints one array of documented paper objects', async () => {
    const r = await run(['list', '--date', '2025-06-09', '--json']);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(12);
    rows.forEach(expectPaperShape);
    expect(rows[0]).toMatchObject({ listedOn: '2025-06-09', source: 'hf', rank: 1 });
  });

  it('--jsonl prints one object per line', async () => {
    const r = await run(['list', '--since', '2024-03-01', '--jsonl']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(12 + 9 + 3);
    lines.map((l) => JSON.parse(l)).forEach(expectPaperShape);
  });

  it('filters and sorting', async () => {
    const ids = async (...args: string[]) => (await run(['list', ...args])).stdout.trimEnd().split('\n').map((l) => l.split('\t'));
    const byUpvotes = await ids('--since', '2024-01-01', '--sort', 'upvotes', '--limit', '5');
    expect(byUpvotes).toHaveLength(5);
    const ups = byUpvotes.map((c) => Number(c[1]));
    expect(ups).toEqual([...ups].sort((a, b) => b - a));
    const min = await ids('--since', '2024-01-01', '--min-upvotes', '30');
    expect(min.every((c) => Number(c[1]) >= 30)).toBe(true);
    const carlini = await ids('--date', '2024-03-12', '--author', 'CARLINI');
    expect(carlini.map((c) => c[0])).toEqual(['2403.06634']);
    const titles = (await ids('--date', '2025-01-21', '--sort', 'title')).map((c) => c[3]!);
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
  });

  it('an empty day is exit 1 with a message on stderr and nothing on stdout', async () => {
    const r = await run(['list', '--date', '2025-06-08']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'papers: no papers listed on 2025-06-08\n' });
  });

  it.each([
    [['list', '--date', '2025-02-30'], /invalid --date "2025-02-30": use `YYYY-MM-DD`, `today`, `yesterday` or `Nd`/],
    [['list', '--since', 'last tuesday'], /invalid --since/],
    [['list', '--week', '2025-W60'], /invalid --week/],
    [['list', '--limit', '-3'], /invalid --limit/],
    [['list', '--sort', 'random'], /argument 'random' is invalid/],
    [['list', '--date', 'today', '--week', '2025-W01'], /only one of/],
    [['list', '--bogus'], /unknown option '--bogus'/],
  ])('usage error %j → exit 2, one line', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('a closed pipe ends quietly with status 0', async () => {
    const { db } = withDb();
    await runPapers(['import', '--date', '2025-01-01', '-'], {
      env: { PAPERS_DB: db },
      input: Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `2501.${String(i).padStart(5, '0')}`, title: `Paper number ${i} `.repeat(8), listedOn: '2025-01-01', abstract: 'x '.repeat(500) })).join('\n'),
    });
    const result = await new Promise<{ code: number | null; stderr: string; first: string }>((done) => {
      const child = spawn(process.execPath, [BIN, 'list', '--jsonl'], { env: { ...process.env, PAPERS_DB: db, PAPERS_TEST: '1' } });
      let stderr = '';
      let first = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.once('data', (d: Buffer) => {
        first = d.toString().split('\n')[0]!;
        child.stdout.destroy(); // like `head -1` exiting
      });
      child.on('close', (code) => done({ code, stderr, first }));
    });
    expect(JSON.parse(result.first).listedOn).toBe('2025-01-01');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('search', () => {
  const { run } = withDb();
  beforeAll(async () => {
    await run(['import', hf('hfdp-ml_2025-06-09.json'), hf('hfdp-zh_2024-03-12.json')]);
  });

  it('ranks by bm25 and prints id, upvotes, day, title when piped', async () => {
    const r = await run(['search', 'stealing', 'production', 'model']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^2403\.06634\t\d+\t2024-03-12\tStealing Part of a Production Language Model$/);
  });

  it('stems: "steal" finds "Stealing"', async () => {
    const r = await run(['search', 'steal']);
    expect(r.stdout).toMatch(/^2403\.06634\t/m);
  });

  it('highlights matches in title and snippet on a TTY', async () => {
    const r = await run(['search', 'stealing', '--color', 'always'], { env: { PAPERS_FORCE_TTY: '1', COLUMNS: '100' } });
    expect(r.stdout).toMatch(/\x1b\[1m\x1b\[31mStealing\x1b\[39m\x1b\[22m/);
    expect(stripAnsi(r.stdout)).toMatch(/^1 paper matching "stealing"/);
  });

  it('nothing found: exit 1, nothing on stdout', async () => {
    const r = await run(['search', 'qqqxyzzy']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'papers: no papers match "qqqxyzzy"\n' });
  });

  it.each([['"'], ['NEAR('], [')'], ["'; DROP TABLE papers; --"], ['\\'], ['AND'], ['model*'], ['"language model']])(
    'user text %j is data, never syntax',
    async (q) => {
      const r = await run(['search', q]);
      // 0/1: searched; 2: nothing searchable was left ("nothing to search for").
      expect([0, 1, 2]).toContain(r.code);
      if (r.code === 2) expect(r.stderr).toMatch(/^papers: nothing to search for/);
      expect(r.stderr).not.toMatch(/syntax|SQLITE|unexpected/i);
    },
  );

  it('only punctuation is a usage error', async () => {
    const r = await run(['search', '***']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to search for/);
  });

  it('r14_repeated_prefix_terms: a term typed many times is searched once, with the same results', async () => {
    const once = await run(['search', 'mod*', 'language']);
    const many = await run(['search', ...Array(100).fill('mod*'), 'Language', 'language', 'MOD*']);
    expect(once.code).toBe(0);
    expect(many).toMatchObject({ code: 0, stdout: once.stdout, stderr: '' });
  });

  it.each([
    ['5 different prefix terms', ['a*', 'b*', 'c*', 'd*', 'e*'], /^papers: the search has 5 different terms, 5 of them ending in \*; at most 64 terms and 4 ending in \* are searched\n$/],
    ['65 different terms', Array.from({ length: 65 }, (_, i) => `w${i}`), /^papers: the search has 65 different terms, 0 of them ending in \*; at most 64 terms and 4 ending in \* are searched\n$/],
    ['1,001 characters', ['x'.repeat(1001)], /^papers: the search text is 1,001 characters long; at most 1,000 are searched\n$/],
  ])('r14_query_cap: %s is a usage error (exit 2) naming the cap', async (_name, terms, message) => {
    const r = await run(['search', ...terms]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(message);
  });

  it('r14_query_cap: a watched term over the cap is refused too, and trend series together obey the caps', async () => {
    const r = await run(['watch', 'add', 'x'.repeat(1001)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at most 1,000 are searched/);
    const trend = await run(['trend', 'a*', 'b*', 'c*', 'd*', 'e*', 'a*']);
    expect(trend).toMatchObject({ code: 2, stdout: '' });
    expect(trend.stderr).toMatch(/^papers: the search has 5 different terms, 5 of them ending in \*; at most 64 terms and 4 ending in \* are searched\n$/);
  });
});

describe('show', () => {
  const { run } = withDb();
  beforeAll(async () => {
    await run(['import', hf('hfdp-ml_2025-06-09.json')]);
  });

  it('by id, with version, and by HF / arXiv URLs', async () => {
    const id = sample2025[0]!.paper.id;
    for (const ref of [id, `${id}v2`, `https://huggingface.co/papers/${id}`, `https://arxiv.org/abs/${id}v1`, `https://arxiv.org/pdf/${id}.pdf`]) {
      const r = await run(['show', ref]);
      expect(r.code, ref).toBe(0);
      expect(r.stdout.split('\n')[0], ref).toBe(sample2025[0]!.paper.title.replace(/\s+/g, ' ').trim());
      expect(r.stdout).toMatch(new RegExp(`^arXiv +https://arxiv\\.org/abs/${id.replace('.', '\\.')}$`, 'm'));
    }
  });

  it('by the number shown in the last TTY list', async () => {
    const listed = await run(['list', '--sort', 'title'], { env: { PAPERS_FORCE_TTY: '1' } });
    const third = /^ +3 .*?(\d{4}\.\d{5})/m.exec(stripAnsi(listed.stdout))![1]!;
    const r = await run(['show', '3', '--json']);
    expect(JSON.parse(r.stdout).id).toBe(third);
  });

  it('--json includes the listings', async () => {
    const r = await run(['show', sample2025[0]!.paper.id, '--json']);
    const obj = JSON.parse(r.stdout);
    expect(obj.listings).toEqual([{ source: 'hf', day: '2025-06-09', rank: expect.any(Number), upvotes: expect.any(Number) }]);
  });

  it.each([
    ['9999.99999', 1, /not in the database/],
    ['https://example.com/papers/2506.05176', 2, /not a paper id/],
    ['99', 2, /no paper numbered 99/],
  ])('%s → exit %i', async (ref, code, message) => {
    const r = await run(['show', ref]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });
});

describe('terminal safety and the database', () => {
  it('escape sequences in remote text never reach the terminal; JSON keeps them exact', async () => {
    const { run } = withDb();
    const evil = '\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \x1b[2J\x1b]0;pwned\x07Title\u202Egnp.exe\rEVIL';
    const body = JSON.stringify([{ paper: { id: '2506.00001', title: evil, summary: `abs ${evil}`, authors: [{ name: `A\x1b[31m` }], upvotes: 1 }, numComments: 0 }]);
    await run(['import', '--date', '2025-06-09', '-'], { input: body });
    for (const env of [{}, { PAPERS_FORCE_TTY: '1' }]) {
      for (const args of [['list'], ['show', '2506.00001'], ['search', 'title']]) {
        const r = await run(args, { env });
        expect(r.code, args.join(' ')).toBe(0);
        expect(stripAnsi(r.stdout), args.join(' ')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
      }
    }
    const json = await run(['list', '--json']);
    expect(JSON.parse(json.stdout)[0].title).toBe(evil.replace(/\s+/g, ' ').trim());
  });

  it('refuses a database from a newer schema, untouched (exit 5)', async () => {
    const db = tempDb();
    await runPapers(['import', hf('hfdp-ml_2025-01-21.json')], { env: { PAPERS_DB: db } });
    const raw = new Database(db);
    raw.pragma('user_version = 99');
    raw.close();
    const before = readFileSync(db);
    const r = await runPapers(['list'], { env: { PAPERS_DB: db } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/written by a newer version of papers/);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('a file that is not SQLite is exit 5 naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-notdb-'));
    const db = join(dir, 'papers.db');
    writeFileSync(db, 'this is not a database, just text '.repeat(200));
    const r = await runPapers(['list'], { env: { PAPERS_DB: db } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(new RegExp(`${db}.*is not a papers database \\(not an SQLite file\\)`));
  });

  it('--db wins over PAPERS_DB', async () => {
    const a = tempDb();
    const b = tempDb();
    copyFileSync(hf('hfdp-ml_2025-01-21.json'), join(a, '..', '2025-01-21.json'));
    await runPapers(['--db', b, 'import', join(a, '..', '2025-01-21.json')], { env: { PAPERS_DB: a } });
    expect((await runPapers(['list'], { env: { PAPERS_DB: b } })).code).toBe(0);
    expect((await runPapers(['list'], { env: { PAPERS_DB: a } })).code).toBe(1);
  });

  it('--help lists the exit codes; --version prints the version', async () => {
    const help = await runPapers(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:\n\s+0\s+success/);
    expect(help.stdout).toMatch(/130\s+interrupted/);
    const version = await runPapers(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version);
  });
});
