/**
 * `papers list`: the piped and terminal views, JSON, filters and sorting, usage errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { stripAnsi } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';
import { expectPaperShape, hf, sample2025 } from '../support/papers.js';
import { displayWidth } from '../../src/render/width.js';

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

  it('--week and --month take this and last, against the run\'s clock (2025-06-10)', async () => {
    const count = async (...args: string[]) => {
      const r = await run(['list', ...args]);
      return r.code === 0 ? r.stdout.trimEnd().split('\n').length : -(r.code ?? 0);
    };
    expect(await count('--week', 'this')).toBe(sample2025.length);
    expect(await count('--week', 'this')).toBe(await count('--week', '2025-W24'));
    expect(await count('--week', 'last')).toBe(-1);
    expect(await count('--month', 'this')).toBe(sample2025.length);
    expect(await count('--month', 'last')).toBe(-1);
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
});
