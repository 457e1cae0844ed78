/** `papers grep`: regular expressions over the stored papers with grep's flags and exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, spawnPapers, stripAnsi, tempDb, type RunOptions } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);

describe('papers grep', () => {
  const { run } = withDb();
  beforeAll(async () => {
    await run(['import', hf('hfdp-ml_2025-06-09.json'), hf('hfdp-zh_2024-03-12.json'), hf('hfdp-zh_2024-03-13.json')]);
  });

  it('prints matching papers as tab-separated records when piped', async () => {
    const r = await run(['grep', 'Production Language Model']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2403\.06634\t\d+\t2024-03-12\tStealing Part of a Production Language Model\n$/);
  });

  it('-i, -w, -c, -l', async () => {
    expect((await run(['grep', '-c', 'language'])).stdout).toBe('12\n');
    expect((await run(['grep', '-c', '-i', 'language'])).stdout).toBe('17\n');
    const ids = await run(['grep', '-l', '-i', 'language']);
    expect(ids.stdout.trimEnd().split('\n')).toHaveLength(17);
    expect(ids.stdout).toMatch(/^2403\.06634$/m);
    // "LLM" as a word, not inside "LLMs".
    expect((await run(['grep', '-c', '-w', 'LLM'])).stdout).toBe('5\n');
    expect((await run(['grep', '-c', 'LLM'])).stdout).toBe('8\n');
  });

  it('-c prints 0 and exits 1 when nothing matches, like grep', async () => {
    const r = await run(['grep', '-c', 'qqqzzz']);
    expect(r).toMatchObject({ code: 1, stdout: '0\n' });
  });

  it('no match: exit 1, nothing on stdout', async () => {
    const r = await run(['grep', 'qqqzzz']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'papers: no papers match /qqqzzz/\n' });
  });

  it('an invalid regex is a usage error (exit 2) naming the problem', async () => {
    const r = await run(['grep', 'model(']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('papers: invalid regular expression "model(": Unterminated group\n');
  });

  it('-F takes regex characters literally', async () => {
    const fixed = await run(['grep', '-F', '-c', '(']);
    expect(fixed.code).toBe(0);
    expect(Number(fixed.stdout)).toBeGreaterThan(0);
  });

  it('--in authors searches author names', async () => {
    const r = await run(['grep', '--in', 'authors', '-l', 'Carlini']);
    expect(r.stdout).toBe('2403.06634\n');
    const notInTitle = await run(['grep', '--in', 'title', '-l', 'Carlini']);
    expect(notInTitle.code).toBe(1);
  });

  it('--jsonl carries the matches', async () => {
    const r = await run(['grep', '--jsonl', 'Stealing']);
    const obj = JSON.parse(r.stdout.trim().split('\n')[0]!);
    expect(obj.id).toBe('2403.06634');
    expect(obj.matches).toContainEqual({ field: 'title', index: 0, text: 'Stealing' });
  });

  it('on a TTY every match is highlighted in context', async () => {
    const r = await run(['grep', '-i', 'black-box', '--color', 'always'], { env: { PAPERS_FORCE_TTY: '1', COLUMNS: '100' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\x1b\[1m\x1b\[31mblack-box\x1b\[39m\x1b\[22m/);
    expect(stripAnsi(r.stdout)).toMatch(/^\d+ papers? matching \/black-box\//);
  });

  it('search --regex is grep', async () => {
    const a = await run(['search', '--regex', 'Produc?tion']);
    const b = await run(['grep', 'Produc?tion']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.code).toBe(0);
  });

  it('filters apply: --date restricts to papers listed that day', async () => {
    const all = await run(['grep', '-c', 'the']);
    const day = await run(['grep', '-c', 'the', '--date', '2024-03-12']);
    expect(Number(day.stdout)).toBeLessThan(Number(all.stdout));
    expect(Number(day.stdout)).toBeGreaterThan(0);
  });

  it('the SQL prefilter never changes the result: same ids as a brute-force scan', async () => {
    const all = (await run(['list', '--since', '2024-01-01', '--jsonl'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const cases: Array<[string[], RegExp]> = [
      [['state[- ]space model'], /state[- ]space model/g],
      [['-i', 'diffusion\\s+models?'], /diffusion\s+models?/gi],
      [['\\d+\\.\\d+%'], /\d+\.\d+%/g],
      [['-i', 'Large Language'], /Large Language/gi],
      [['-i', 'agents?'], /agents?/gi],
      [['-w', 'LLM'], /(?<![\p{L}\p{N}_])LLM(?![\p{L}\p{N}_])/gu],
    ];
    for (const [args, global] of cases) {
      const re = new RegExp(global.source, global.flags.replace('g', ''));
      const expected = all.filter((p) => re.test(p.title) || re.test(p.abstract)).map((p) => p.id).sort();
      expect(expected.length, args.join(' ')).toBeGreaterThan(0);
      const got = (await run(['grep', '-l', ...args])).stdout.trim().split('\n').filter(Boolean).sort();
      expect(got, args.join(' ')).toEqual(expected);
    }
  });
});

describe('the listing grep and search print', () => {
  it("is each paper's latest listing, the first of show --json's listings", async () => {
    const { run } = withDb();
    // The same papers listed on two days: the later listing is the one to print.
    await run(['import', hf('hfdp-zh_2024-03-12.json')]);
    await run(['import', '--date', '2024-03-20', hf('hfdp-zh_2024-03-12.json')]);
    const id = '2403.06634';
    const shown = JSON.parse((await run(['show', id, '--json'])).stdout) as { listedOn: string; listings: Array<{ day: string; source: string; rank: number }> };
    expect(shown.listings.map((l) => l.day)).toEqual(['2024-03-20', '2024-03-12']);
    const latest = { listedOn: shown.listings[0]!.day, source: shown.listings[0]!.source, rank: shown.listings[0]!.rank };
    expect(shown).toMatchObject(latest);
    const grep = JSON.parse((await run(['grep', 'Production Language Model', '--json'])).stdout) as object[];
    const search = JSON.parse((await run(['search', '"production language model"', '--json'])).stdout) as object[];
    expect(grep).toHaveLength(1);
    expect(grep[0]).toMatchObject({ id, ...latest });
    expect(search[0]).toMatchObject({ id, ...latest });
  });
});

describe('patterns that match empty (\\b, ^, $, x*, lookahead)', () => {
  const db = tempDb();
  // A grep that loops is killed rather than left spinning after the test fails: a real process.
  const run = async (args: string[], opts: RunOptions = {}) => {
    const { child, result } = spawnPapers(args, { ...opts, env: { PAPERS_DB: db, ...opts.env } });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    return result.finally(() => clearTimeout(timer));
  };
  const dir = mkdtempSync(join(tmpdir(), 'papers-grep-'));
  const titles = ['Grinning 😀 models', '深度学习 😀', 'Plain text', '😀😀😀', 'peer review', 'Smile 🤗 e', 'x'];
  const paper = (title: string, i: number) => ({
    paper: { id: `2506.0000${i + 1}`, title, summary: i % 2 ? '😀 emoji' : 'We study 😀😀 emoji.', authors: [{ name: 'Ann Lee' }, { name: 'Bo Kim' }] },
    numComments: 0,
  });
  beforeAll(async () => {
    const file = join(dir, 'hfdp_2025-06-09.json');
    writeFileSync(file, JSON.stringify(titles.map(paper)));
    expect((await run(['import', file])).code).toBe(0);
  });
  const hasRg = spawnSync('rg', ['--version']).status === 0;

  // [pattern for papers (JavaScript), the same pattern for ripgrep, or null when rg has no equivalent]
  const PATTERNS: Array<[string, string | null]> = [
    ['e*', 'e*'],
    ['\\b', '(?-u:\\b)'], // JavaScript's \b is ASCII-only
    ['\\B', '(?-u:\\B)'],
    ['^', '^'],
    ['$', '$'],
    ['x*', 'x*'],
    ['😀*', '😀*'],
    ['(?:)', '(?:)'],
    ['(?=p)', null],
    ['(?<=😀)', null],
    ['😀', '😀'],
    ['q*z', 'q*z'],
  ];

  it('r14_empty_match_counts: a title an empty match matches is counted, as by RegExp#test, and grep ends', async () => {
    for (const [pattern] of PATTERNS) {
      const re = new RegExp(pattern, 'u');
      const expected = titles.filter((t) => re.test(t)).length;
      const r = await run(['grep', '-c', '--in', 'title', pattern]);
      expect({ pattern, out: r.stdout, code: r.code }).toEqual({ pattern, out: `${expected}\n`, code: expected ? 0 : 1 });
    }
    // Over every field, with the default view: the paper is listed, nothing is marked.
    const all = await run(['grep', '-l', '\\b', '--in', 'title,abstract,authors,keywords']);
    expect(all.stdout.trim().split('\n')).toHaveLength(titles.length);
    const tty = await run(['grep', '(?=p)', '--color', 'always'], { env: { PAPERS_FORCE_TTY: '1', COLUMNS: '100' } });
    expect(tty.code).toBe(0);
    expect(stripAnsi(tty.stdout)).toMatch(/^1 paper matching/);
    const jsonl = JSON.parse((await run(['grep', '--jsonl', '--in', 'title', '^'])).stdout.split('\n')[0]!);
    expect(jsonl.matches).toEqual([{ field: 'title', index: 0, text: '' }]);
  }, 60_000);

  it.skipIf(!hasRg)('counts the lines ripgrep counts on a dump of the titles', async () => {
    const dump = join(dir, 'titles.txt');
    const listed = (await run(['list', '--date', '2025-06-09', '--jsonl'])).stdout.trim().split('\n').map((l) => JSON.parse(l).title as string);
    writeFileSync(dump, listed.join('\n') + '\n');
    for (const [pattern, rgPattern] of PATTERNS) {
      if (rgPattern === null) continue;
      const rg = spawnSync('rg', ['-c', '--no-config', '-e', rgPattern, dump], { encoding: 'utf8' });
      const r = await run(['grep', '-c', '--in', 'title', pattern]);
      expect({ pattern, count: r.stdout }).toEqual({ pattern, count: rg.stdout || '0\n' });
    }
  }, 60_000);

  it('the prefilter finds a literal that spans two authors, as grep sees them (joined with ", ")', async () => {
    const r = await run(['grep', '-c', '--in', 'authors', 'Lee, Bo']);
    expect(r).toMatchObject({ code: 0, stdout: `${titles.length}\n` });
  });
});
