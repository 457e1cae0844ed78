/** The config file: defaults that flags override, and the files it refuses. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';
import { hf, importedDb } from '../support/papers.js';

const { run } = importedDb();

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
