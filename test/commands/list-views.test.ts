/** `list --fields` and the forced terminal view (`PAPERS_FORCE_TTY`). */
import { describe, expect, it } from 'vitest';
import { importedDb } from '../support/papers.js';

const { run } = importedDb();

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
