/** `papers export`: every format, to stdout or a file. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importedDb } from '../support/papers.js';

const { run } = importedDb();

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
