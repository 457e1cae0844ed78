/** export formats, --fields, help topics, completions, config, cache — from the built binary. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { FIXTURES, withDb } from '../support/run.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);
const { run, db } = withDb();
beforeAll(async () => {
  await run(['import', hf('hfdp-zh_2024-03-12.json'), hf('hfdp-ml_2025-06-09.json')]);
});

/** A small RFC 4180 reader, as a consumer would use. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

describe('export', () => {
  it('defaults to JSONL of the whole database', async () => {
    const r = await run(['export']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(21);
  });

  it('csv: RFC 4180 with the selected columns', async () => {
    const r = await run(['export', '--format', 'csv', '--fields', 'id,title,authors,urls.pdf', '--date', '2024-03-12']);
    const rows = parseCsv(r.stdout);
    expect(rows[0]).toEqual(['id', 'title', 'authors', 'urls.pdf']);
    expect(rows).toHaveLength(10);
    const carlini = rows.find((x) => x[0] === '2403.06634')!;
    expect(carlini[1]).toBe('Stealing Part of a Production Language Model');
    expect(carlini[2]!.split('; ')[0]).toBe('Nicholas Carlini');
    expect(carlini[3]).toBe('https://arxiv.org/pdf/2403.06634');
  });

  it('bibtex: @misc entries with arXiv eprints and unique keys', async () => {
    const r = await run(['export', '--format', 'bibtex']);
    const keys = [...r.stdout.matchAll(/^@misc\{([^,]+),/gm)].map((m) => m[1]);
    expect(keys).toHaveLength(21);
    expect(new Set(keys).size).toBe(21);
    expect(r.stdout).toMatch(/@misc\{carlini2024stealing,\n {2}title = \{\{Stealing Part of a Production Language Model\}\},/);
    expect(r.stdout).toMatch(/eprint = \{2403\.06634\},\n {2}archivePrefix = \{arXiv\}/);
  });

  it('md with --summary; -o writes atomically and leaves no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-export-'));
    const out = join(dir, 'digest.md');
    writeFileSync(out, 'old content');
    const r = await run(['export', '--date', '2025-06-09', '--format', 'md', '--summary', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`exported 12 papers as md to ${out}\n`);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/^## \[.+\]\(https:\/\/huggingface\.co\/papers\/\d{4}\.\d{5}\)$/m);
    expect(readdirSync(dir)).toEqual(['digest.md']);
  });

  it('-o into a missing folder is exit 2 and creates nothing', async () => {
    const r = await run(['export', '-o', '/nonexistent-dir/x.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^papers: cannot write \/nonexistent-dir\/x\.jsonl: no such folder\n$/);
    expect(existsSync('/nonexistent-dir')).toBe(false);
  });

  it('list and search take --format too', async () => {
    const tsv = await run(['list', '--date', '2024-03-12', '--format', 'tsv', '--fields', 'id,upvotes']);
    expect(tsv.stdout.split('\n')[0]).toBe('id\tupvotes');
    const bib = await run(['search', 'stealing', '--format', 'bibtex']);
    expect(bib.stdout).toMatch(/^@misc\{carlini2024stealing,/);
  });
});

describe('--fields', () => {
  it('selects fields, like gh', async () => {
    const r = await run(['list', '--date', '2024-03-12', '--json', '--fields', 'id,urls.pdf']);
    const rows = JSON.parse(r.stdout);
    expect(Object.keys(rows[0])).toEqual(['id', 'urls']);
    expect(rows[0].urls).toEqual({ pdf: `https://arxiv.org/pdf/${rows[0].id}` });
  });

  it('an unknown field is a usage error listing the valid ones', async () => {
    const r = await run(['list', '--json', '--fields', 'id,nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^papers: unknown field "nope" in --fields; valid fields: id, title, authors, /);
  });
});

describe('PAPERS_FORCE_TTY', () => {
  it('gives the terminal view in a pipe, colored only when asked (--color always), as for `| less -R`', async () => {
    const plain = await run(['list', '--date', '2025-06-09', '--limit', '3'], { env: { PAPERS_FORCE_TTY: '1', COLUMNS: '100' } });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^Daily Papers · 2025-06-09 · 3 of \d+ papers/m);
    expect(plain.stdout).toMatch(/^ 1 +▲ +\d+ +\d{4}\.\d{5} /m);
    expect(plain.stdout).not.toContain('\x1b[');
    const colored = await run(['list', '--date', '2025-06-09', '--limit', '3', '--color', 'always'], { env: { PAPERS_FORCE_TTY: '1', COLUMNS: '100' } });
    expect(colored.stdout).toContain('\x1b[');
    expect(colored.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain.stdout);
  });
});

describe('help', () => {
  it('help exit-codes and help json print the tables', async () => {
    const codes = await run(['help', 'exit-codes']);
    expect(codes.stdout).toMatch(/^Exit codes:\n {2}0 {4}success/);
    // Every code the program can return, each in README's table too.
    const listed = [...codes.stdout.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
    expect(listed).toEqual(Object.values(ExitCode).sort((a, b) => a - b));
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('## Performance'));
    expect([...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]))).toEqual(listed);
    const json = await run(['help', 'json']);
    expect(json.stdout).toMatch(/^ {2}listedOn +string \| null +/m);
    expect(json.stdout).toMatch(/^ {2}watched +array/m);
  });

  it('every command has examples in its help', async () => {
    for (const cmd of ['import', 'list', 'search', 'grep', 'show', 'today', 'fetch', 'export', 'similar', 'trend', 'open', 'seen', 'unseen', 'watch', 'cache', 'completion']) {
      const r = await run([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/Examples:\n {2}\$ papers /);
    }
  });
});

describe('completion', () => {
  it.each([
    ['bash', ['-n']],
    ['zsh', ['-n']],
    ['fish', ['--no-execute']],
  ])('%s script is valid and covers commands and values', async (shell, check) => {
    const r = await run(['completion', shell]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/grep/);
    expect(r.stdout).toMatch(/bibtex/);
    expect(r.stdout).toMatch(/arxiv:cs\.LG/);
    const hasShell = spawnSync(shell, ['-c', 'exit 0']).status === 0;
    if (!hasShell) return; // .ci/run installs zsh and fish; without them only the text is checked
    const dir = mkdtempSync(join(tmpdir(), 'papers-compl-'));
    const file = join(dir, `papers.${shell}`);
    writeFileSync(file, r.stdout);
    const res = spawnSync(shell, [...check, file], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});

describe('config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'papers-config-'));
  const file = join(dir, 'config.json');

  it('sets defaults; a flag wins over it', async () => {
    writeFileSync(file, JSON.stringify({ limit: 2, watch: ['stealing'] }));
    const env = { PAPERS_CONFIG: file };
    expect((await run(['list', '--date', '2024-03-12'], { env })).stdout.trim().split('\n')).toHaveLength(2);
    expect((await run(['list', '--date', '2024-03-12', '--limit', '4'], { env })).stdout.trim().split('\n')).toHaveLength(4);
    const w = JSON.parse((await run(['list', '--date', '2024-03-12', '--json=id,watched'], { env })).stdout);
    expect(w[0]).toEqual({ id: '2403.06634', watched: ['stealing'] });
  });

  it('categories are what a bare `arxiv` source means, never a filter that hides Hugging Face papers', async () => {
    const { run: run2 } = withDb();
    await run2(['import', join(FIXTURES, 'arxiv', 'rss-cs.LG+cs.CL-2026-03-10.xml'), join(FIXTURES, 'arxiv', 'hf-2026-03-10.json')]);
    const all = (await run2(['list', '--date', '2026-03-10'])).stdout;
    writeFileSync(file, JSON.stringify({ categories: ['cs.CL'], sources: ['arxiv:cs.CL'] }));
    const env = { PAPERS_CONFIG: file };
    // No filter from the config: every paper of the day, Hugging Face's included.
    expect((await run2(['list', '--date', '2026-03-10'], { env })).stdout).toBe(all);
    expect((await run2(['list', '--date', '2026-03-10', '--source', 'hf'], { env })).code).toBe(0);
    // `today` shows the first configured source.
    const cl = (await run2(['list', '--date', '2026-03-10', '--source', 'arxiv:cs.CL'], { env })).stdout;
    const today = await run2(['today'], { env: { ...env, PAPERS_NOW: '2026-03-10T12:00:00Z' } });
    expect(today.code).toBe(0);
    expect(today.stdout).toBe(cl);
  });

  it('a configured limit is for people: it cuts terminal and plain listings, never exports, counts or JSON', async () => {
    writeFileSync(file, JSON.stringify({ limit: 2 }));
    const env = { PAPERS_CONFIG: file };
    const count = (r: { stdout: string }) => r.stdout.trimEnd().split('\n').length;
    expect(count(await run(['export'], { env }))).toBe(21);
    expect(count(await run(['export', '--format', 'csv'], { env }))).toBe(22);
    expect((await run(['grep', '-c', '-i', 'model'], { env })).stdout).toBe((await run(['grep', '-c', '-i', 'model'])).stdout);
    expect(count(await run(['grep', '-l', '-i', 'model'], { env }))).toBeGreaterThan(2);
    expect(JSON.parse((await run(['list', '--date', '2025-06-09', '--json'], { env })).stdout)).toHaveLength(12);
    expect(count(await run(['list', '--date', '2025-06-09', '--jsonl'], { env }))).toBe(12);
    expect(count(await run(['list', '--date', '2025-06-09'], { env }))).toBe(2);
    expect(count(await run(['grep', '-i', 'model'], { env }))).toBe(2);
    // When it cuts a terminal list, the header says so.
    const tty = await run(['list', '--date', '2025-06-09'], { env: { ...env, PAPERS_FORCE_TTY: '1', NO_COLOR: '1' } });
    expect(tty.stdout).toMatch(/^Daily Papers · 2025-06-09 · 2 of 12 papers/);
    const search = await run(['search', 'model'], { env: { ...env, PAPERS_FORCE_TTY: '1', NO_COLOR: '1' } });
    expect(search.stdout).toMatch(/^2 of \d+ papers matching "model"/);
    const searchAll = await run(['search', 'model', '--limit', '100', '--json=id']);
    expect(search.stdout).toContain(`2 of ${JSON.parse(searchAll.stdout).length} papers`);
  });

  it('every config key with every command: nothing the user did not type becomes a flag, a usage error or a cut', async () => {
    const every = { sources: ['hf', 'arxiv'], categories: ['cs.LG'], limit: 2, color: 'never', pager: '', maxAge: '2h', watch: ['diffusion'] };
    writeFileSync(file, JSON.stringify(every));
    const env = { PAPERS_CONFIG: file };
    // Machine output must be the same with and without the config (watch terms aside).
    const commands: Array<[string[], 'same' | 'code']> = [
      [['list'], 'code'],
      [['list', '--starred'], 'code'],
      [['list', '--new'], 'code'],
      [['list', '--watched'], 'code'],
      [['list', '--date', '2024-03-12'], 'code'],
      [['list', '--week', '2024-W11', '--json=id'], 'same'],
      [['list', '--month', '2025-06', '--jsonl'], 'code'],
      [['today'], 'code'],
      [['today', '--new'], 'code'],
      [['today', '--json', '--fields', 'id,title'], 'same'],
      [['search', 'model'], 'code'],
      [['search', 'model', '--json=id'], 'same'],
      [['grep', '-c', 'model'], 'same'],
      [['grep', '-l', 'model'], 'same'],
      [['grep', 'model', '--json', '--fields', 'id'], 'code'],
      [['similar', '2403.06634'], 'code'],
      [['trend', 'model', '--since', '2024-03-01'], 'same'],
      [['show', '2403.06634', '--json'], 'code'],
      [['open', '--print', '2403.06634'], 'same'],
      [['export'], 'code'],
      [['export', '--format', 'tsv'], 'same'],
      [['watch', 'ls'], 'code'],
      [['cache', 'path'], 'same'],
      [['cache', 'stats', '--json'], 'code'],
      [['completion', 'bash'], 'same'],
      [['help', 'list'], 'same'],
      [['fetch'], 'same'],
      [['import', hf('hfdp-zh_2024-03-12.json')], 'code'],
      [['star', '2403.06634'], 'code'],
      [['unstar', '2403.06634'], 'code'],
      [['read', '2403.06634'], 'code'],
      [['unread', '2403.06634'], 'code'],
      [['seen', '2403.06634'], 'code'],
      [['unseen', '2403.06634'], 'code'],
    ];
    for (const [args, check] of commands) {
      const plain = await run(args);
      const configured = await run(args, { env });
      expect(configured.code, args.join(' ')).toBe(plain.code);
      expect(configured.stderr, args.join(' ')).not.toMatch(/need --date|unknown option|invalid/);
      if (check === 'same') expect(configured.stdout, args.join(' ')).toBe(plain.stdout);
    }
    // `export` writes everything; the watch terms are added to what it exports, nothing removed.
    const exported = await run(['export'], { env });
    expect(exported.stdout.trimEnd().split('\n')).toHaveLength(21);
    // maxAge is a default, not a flag: `list --starred` (no range) never complains about it.
    expect((await run(['list', '--starred'], { env })).stderr).toBe('papers: no starred papers yet: `papers star ID` stars one\n');
  }, 90_000); // ~40 runs of the CLI: 25 s on an idle machine

  it('color: the flag beats the environment, which beats the config', async () => {
    writeFileSync(file, JSON.stringify({ color: 'never' }));
    const env = { PAPERS_CONFIG: file, PAPERS_FORCE_TTY: '1' };
    expect((await run(['list', '--date', '2024-03-12'], { env })).stdout).not.toMatch(/\x1b\[/);
    expect((await run(['list', '--date', '2024-03-12'], { env: { ...env, FORCE_COLOR: '1' } })).stdout).toMatch(/\x1b\[/);
    expect((await run(['list', '--date', '2024-03-12', '--color', 'always'], { env })).stdout).toMatch(/\x1b\[/);
  });

  it.each([
    ['{"colour": "never"}', /config\.json: unknown key "colour" \(valid: /],
    ['{"limit": -1}', /config\.json: "limit" must be/],
    ['{"limit": 2', /config\.json: /],
  ])('%s is a usage error naming the file and the key', async (content, message) => {
    writeFileSync(file, content);
    const r = await run(['list'], { env: { PAPERS_CONFIG: file } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });
});

describe('cache', () => {
  it('path, stats, check, vacuum', async () => {
    expect((await run(['cache', 'path'])).stdout).toBe(db + '\n');
    const stats = JSON.parse((await run(['cache', 'stats', '--json'])).stdout);
    expect(stats).toMatchObject({ path: db, papers: 21, listings: 21 });
    expect(stats.bySource).toEqual([{ source: 'hf', days: 2, papers: 21, first: '2024-03-12', last: '2025-06-09' }]);
    const check = await run(['cache', 'check']);
    expect(check).toMatchObject({ code: 0, stderr: `${db}: ok (database and search index)\n` });
    const vacuum = await run(['cache', 'vacuum']);
    expect(vacuum.code).toBe(0);
    expect(vacuum.stderr).toMatch(/^compacted .* MB → .* MB\n$/);
    expect((await run(['search', 'stealing'])).code).toBe(0);
  });
});
