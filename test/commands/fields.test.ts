/** Field selection, one rule for every command that prints papers: `--json` is a switch, `--fields` selects. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);
const { run } = withDb();
beforeAll(async () => {
  await run(['import', hf('hfdp-ml_2025-06-09.json'), hf('hfdp-zh_2024-03-12.json'), hf('hfdp-zh_2024-03-13.json'), hf('2025-04-28.json')]);
});

/** Every command that prints papers, with arguments that find some. */
const COMMANDS: Array<[string, string[]]> = [
  ['list', ['list', '--date', '2024-03-12']],
  ['today', ['today']],
  ['search', ['search', 'model']],
  ['grep', ['grep', 'Mamba']],
  ['similar', ['similar', '2403.06634']],
  ['export', ['export', '--date', '2024-03-12']],
];

const jsonlObjects = (stdout: string) => stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('--json is a switch: it never takes the next word', () => {
  it('r15_json_before_search_terms: search --json sparse attention searches for "sparse attention"', async () => {
    const r = await run(['search', '--json', 'sparse', 'attention']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const papers = JSON.parse(r.stdout) as Array<{ title: string; abstract: string }>;
    expect(papers.length).toBeGreaterThan(0);
    expect(r.stdout).toBe((await run(['search', 'sparse', 'attention', '--json'])).stdout);
  });

  it('r15_json_before_grep_pattern: grep --json Mamba takes Mamba as the pattern', async () => {
    const r = await run(['grep', '--json', 'Mamba']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const papers = JSON.parse(r.stdout) as Array<{ matches: Array<{ text: string }> }>;
    expect(papers.length).toBeGreaterThan(0);
    for (const p of papers) expect(p.matches.map((m) => m.text)).toContain('Mamba');
  });

  it('--json=FIELDS is short for --json --fields FIELDS', async () => {
    const long = await run(['list', '--date', '2024-03-12', '--json', '--fields', 'id,title']);
    const short = await run(['list', '--date', '2024-03-12', '--json=id,title']);
    expect(short.code).toBe(0);
    expect(short.stdout).toBe(long.stdout);
    expect(Object.keys(JSON.parse(short.stdout)[0])).toEqual(['id', 'title']);
    const show = JSON.parse((await run(['show', '2403.06634', '--json=id,listings'])).stdout);
    expect(Object.keys(show)).toEqual(['id', 'listings']);
  });

  it('--json= with no fields, and --json=FIELDS with --format, are usage errors', async () => {
    const empty = await run(['list', '--json=']);
    expect(empty).toMatchObject({ code: 2, stdout: '' });
    expect(empty.stderr).toMatch(/^papers: --fields needs a comma-separated list of fields; valid fields: id, title, /);
    const both = await run(['list', '--format', 'csv', '--json=id']);
    expect(both).toMatchObject({ code: 2, stdout: '', stderr: 'papers: use one of --json, --jsonl, --format\n' });
  });

  it('a word after -- or an option value that reads --json=… is data, not the shorthand', async () => {
    const r = await run(['search', '--author', '--json=id', 'model']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    const g = await run(['grep', '-c', '--', '--json=id']);
    expect(g).toMatchObject({ code: 1, stdout: '0\n' });
  });
});

describe('--fields: every command that prints papers, every data format', () => {
  it.each(COMMANDS)('%s: json, jsonl, csv and tsv have exactly the fields asked for, in that order', async (_, args) => {
    const json = await run([...args, '--json', '--fields', 'title,id']);
    expect(json.code).toBe(0);
    for (const o of JSON.parse(json.stdout) as object[]) expect(Object.keys(o)).toEqual(['title', 'id']);
    const jsonl = await run([...args, '--jsonl', '--fields', 'title,id']);
    expect(jsonl.code).toBe(0);
    for (const o of jsonlObjects(jsonl.stdout)) expect(Object.keys(o)).toEqual(['title', 'id']);
    const csv = await run([...args, '--format', 'csv', '--fields', 'id,urls.pdf']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe('id,urls.pdf');
    const tsv = await run([...args, '--format', 'tsv', '--fields', 'id,upvotes']);
    expect(tsv.stdout.split('\n')[0]).toBe('id\tupvotes');
    expect(tsv.stdout.split('\n')[1]).toMatch(/^\S+\t\d+$/);
  });

  it.each(COMMANDS)('%s: an unknown field is exit 2 naming the valid ones', async (_, args) => {
    const r = await run([...args, '--jsonl', '--fields', 'id,nope']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^papers: unknown field "nope" in --fields; valid fields: id, title, authors, .*urls\.pdf/);
  });

  it.each(COMMANDS.filter(([name]) => name !== 'export'))('%s: --fields without a data format is exit 2, piped or on a terminal', async (_, args) => {
    for (const env of [{}, { PAPERS_FORCE_TTY: '1' }]) {
      const r = await run([...args, '--fields', 'id'], { env });
      expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'papers: --fields needs --json, --jsonl or --format csv|tsv\n' });
    }
  });

  it('md and bibtex have no fields to select: exit 2', async () => {
    for (const format of ['md', 'bibtex']) {
      const r = await run(['list', '--date', '2024-03-12', '--format', format, '--fields', 'id']);
      expect(r).toMatchObject({ code: 2, stdout: '', stderr: `papers: --fields does not apply to --format ${format}: use json, jsonl, csv or tsv\n` });
    }
  });

  it('repeated --fields add up', async () => {
    const r = await run(['list', '--date', '2024-03-12', '--jsonl', '--fields', 'id', '--fields=upvotes']);
    expect(Object.keys(jsonlObjects(r.stdout)[0]!)).toEqual(['id', 'upvotes']);
  });

  it('export: --fields keeps its default jsonl; --json is a JSON array; listings can be selected', async () => {
    const jsonl = await run(['export', '--date', '2024-03-12', '--fields', 'id,listings']);
    const first = jsonlObjects(jsonl.stdout)[0]!;
    expect(Object.keys(first)).toEqual(['id', 'listings']);
    const json = JSON.parse((await run(['export', '--date', '2024-03-12', '--json=id'])).stdout) as object[];
    expect(json).toHaveLength(jsonlObjects(jsonl.stdout).length);
    expect(Object.keys(json[0]!)).toEqual(['id']);
  });

  it('show: --fields with --json, listings included; without --json exit 2', async () => {
    const r = await run(['show', '2403.06634', '--json', '--fields', 'id,urls.pdf,listings']);
    const paper = JSON.parse(r.stdout);
    expect(paper).toEqual({ id: '2403.06634', urls: { pdf: 'https://arxiv.org/pdf/2403.06634' }, listings: [expect.objectContaining({ source: 'hf', day: '2024-03-12' })] });
    const bare = await run(['show', '2403.06634', '--fields', 'id']);
    expect(bare).toMatchObject({ code: 2, stdout: '', stderr: 'papers: --fields needs --json\n' });
  });
});

describe('grep: matches is a field of JSON and JSONL', () => {
  it('r15_grep_fields: --jsonl --fields id omits matches; naming matches keeps it; no --fields has it', async () => {
    const all = jsonlObjects((await run(['grep', '--jsonl', 'Mamba'])).stdout);
    expect(all[0]!.matches).toContainEqual(expect.objectContaining({ text: 'Mamba' }));
    const id = jsonlObjects((await run(['grep', '--jsonl', '--fields', 'id', 'Mamba'])).stdout);
    expect(id.map((o) => Object.keys(o))).toEqual(all.map(() => ['id']));
    const withMatches = jsonlObjects((await run(['grep', '--jsonl', '--fields', 'id,matches', 'Mamba'])).stdout);
    expect(withMatches).toEqual(all.map((o) => ({ id: o.id, matches: o.matches })));
    const json = JSON.parse((await run(['grep', '--json=matches,id', 'Mamba'])).stdout) as object[];
    expect(json).toEqual(all.map((o) => ({ matches: o.matches, id: o.id })));
  });

  it('-c and -l print counts and ids: --fields with them is exit 2', async () => {
    for (const flag of ['-c', '-l']) {
      const r = await run(['grep', flag, '--json', '--fields', 'id', 'Mamba']);
      expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'papers: --fields does not apply to -c and -l: they print counts and ids\n' });
    }
  });

  it('matches is not a column of csv and tsv: exit 2', async () => {
    const r = await run(['grep', '--format', 'csv', '--fields', 'id,matches', 'Mamba']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^papers: unknown field "matches" in --fields; valid fields: id, /);
  });
});

describe('help', () => {
  it('help json and the commands\' help document --fields and the --json=FIELDS shorthand', async () => {
    const json = (await run(['help', 'json'])).stdout;
    expect(json).toContain('--json --fields id,title,urls.pdf');
    expect(json).toContain('--json=id,title,urls.pdf');
    for (const [name] of [...COMMANDS, ['show']]) {
      const help = (await run([name!, '--help'])).stdout.replace(/\s+/g, ' ');
      expect(help, name).toMatch(/--fields <list>/);
      expect(help, name).toMatch(/--json=FIELDS is short for --json --fields FIELDS/);
    }
  });
});
