/**
 * The one printer (render/printer.ts): every format through printPapers is formatRows's bytes,
 * `--fields` selects, data is written a record (or a block) at a time as the rows are read,
 * the heading counts "N of M", and marks are the command's: the printer only says what was displayed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { emptyPaper, type PaperRow } from '../../src/model.js';
import { formatRows, type DataFormat } from '../../src/render/formats.js';
import { countLabel, listingHeader, printPaper, printPapers, type PrintTarget } from '../../src/render/printer.js';

const row = (i: number, over: Partial<PaperRow> = {}): PaperRow => ({
  ...emptyPaper(`2506.${String(10000 + i)}`, `Paper number ${i}`),
  abstract: `Abstract of paper ${i}.`,
  authors: ['Ada Lovelace', 'Alan Turing'],
  upvotes: 100 - i,
  listedOn: '2025-06-09',
  source: 'hf',
  rank: i + 1,
  ...over,
});

/** A target whose stdout records each write; `pulled` is read at each write by the streaming tests. */
function target(opts: { tty?: boolean; height?: number } = {}) {
  const writes: string[] = [];
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (b: Buffer) => (err += b.toString()));
  const ctx: Context = {
    stdout: { write: async (chunk: string) => void writes.push(chunk), flush: async () => {} },
    stderr,
    stdoutIsTTY: opts.tty === true,
    stderrIsTTY: false,
    color: 0,
    width: 100,
    height: opts.height ?? 24,
    now: new Date('2025-06-09T12:00:00Z'),
    env: {},
    stdin: (async function* () {})(),
  };
  const t: PrintTarget = { ctx, pager: { use: false } };
  return { t, writes, stderr: () => err };
}

const rows = [row(0, { githubRepo: 'https://github.com/a/b', keywords: ['agents'] }), row(1), row(2, { title: 'A "quoted", title' })];

describe('printPapers: data formats', () => {
  const formats: DataFormat[] = ['json', 'jsonl', 'csv', 'tsv', 'md', 'bibtex'];
  it.each(formats)('%s: the same bytes as formatRows', async (format) => {
    const { t, writes } = target();
    await printPapers(t, rows, { mode: format, header: 'Digest' });
    expect(writes.join('')).toBe(await formatRows(rows, format, null, { title: 'Digest' }));
  });

  it.each([
    ['json', '[\n  {\n    "id": "2506.10000",\n    "title": "Paper number 0"\n  }\n]\n'],
    ['jsonl', '{"id":"2506.10000","title":"Paper number 0"}\n'],
    ['csv', 'id,title\r\n2506.10000,Paper number 0\r\n'],
    ['tsv', 'id\ttitle\n2506.10000\tPaper number 0\n'],
  ] as const)('--fields id,title in %s', async (format, expected) => {
    const { t, writes } = target();
    await printPapers(t, rows.slice(0, 1), { mode: format, fields: ['id', 'title'] });
    expect(writes.join('')).toBe(expected);
  });

  it('extra fields (grep matches) join each JSON object and are selectable', async () => {
    const { t, writes } = target();
    await printPapers(t, rows.slice(0, 2), { mode: 'jsonl', fields: ['id', 'matches'], extra: (r) => ({ matches: [r.rank] }) });
    expect(writes).toEqual(['{"id":"2506.10000","matches":[1]}\n', '{"id":"2506.10001","matches":[2]}\n']);
  });

  it('on a terminal, data cannot drive it: control characters are escaped', async () => {
    const { t, writes } = target({ tty: true });
    await printPapers(t, [row(0, { title: 'Evil \u001b]0;owned\u0007 title' })], { mode: 'jsonl', fields: ['title'] });
    expect(writes.join('')).not.toContain('\u001b');
    expect(writes.join('')).toContain('\\u001b');
  });
});

describe('printPapers: streaming', () => {
  /** Rows read lazily, noting how many were read by the time of each write. */
  function counted(n: number, writes: string[], seenAt: number[], size = 0): Iterable<PaperRow> {
    return {
      *[Symbol.iterator]() {
        for (let i = 0; i < n; i++) {
          seenAt.push(writes.length);
          yield row(i, size ? { abstract: 'x'.repeat(size) } : {});
        }
      },
    };
  }

  it('JSONL and plain: one write per record, each before the next row is read', async () => {
    for (const mode of ['jsonl', 'plain'] as const) {
      const { t, writes } = target();
      const seenAt: number[] = [];
      await printPapers(t, counted(5, writes, seenAt), { mode });
      expect(writes).toHaveLength(5);
      // Row i is read after i records were written: nothing is gathered first.
      expect(seenAt).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it('bulk data (an export): written in blocks of about 1 MB while the rows are read, never one string', async () => {
    for (const mode of ['json', 'jsonl', 'csv'] as const) {
      const { t, writes } = target();
      const seenAt: number[] = [];
      await printPapers(t, counted(150, writes, seenAt, 10_000), { mode, bulk: true });
      expect(writes.length).toBeGreaterThanOrEqual(2);
      for (const w of writes) expect(w.length).toBeLessThan((1 << 20) + 20_000);
      // The first block was written before the last row was read.
      expect(seenAt.at(-1)).toBeGreaterThan(0);
      expect(writes.join('')).toBe(await formatRows([...counted(150, [], [], 10_000)], mode, null));
    }
  });
});

describe('the heading: N of M', () => {
  it.each([
    [12, 12, '12 papers'],
    [1, 1, '1 paper'],
    [20, 117, '20 of 117 papers'],
    [20, '117+', '20 of 117+ papers'],
    [1500, 1500, '1,500 papers'],
  ] as const)('countLabel(%s, %s) = %s', (shown, total, expected) => {
    expect(countLabel(shown, total)).toBe(expected);
  });

  it('listingHeader names the day or the range', () => {
    expect(listingHeader({ from: '2025-06-09', to: '2025-06-09' }, 3)).toBe('Daily Papers · 2025-06-09 · 3 papers');
    expect(listingHeader({ from: '2025-06-02', to: '2025-06-08' }, '20 of 117 papers')).toBe('Daily Papers · 2025-06-02 … 2025-06-08 · 20 of 117 papers');
  });

  it('a terminal listing: the heading with its freshness, then the rows, plain when there is no color', async () => {
    const { t, writes } = target({ tty: true });
    await printPapers(t, rows, { mode: 'tty', header: 'Daily Papers · 2025-06-09 · 3 of 40 papers', freshness: 'fetched 5 min ago' });
    const text = writes.join('');
    expect(text.startsWith('Daily Papers · 2025-06-09 · 3 of 40 papers · fetched 5 min ago\n\n')).toBe(true);
    for (const r of rows) expect(text).toContain(r.id);
  });
});

describe('marks are the command’s', () => {
  it('on a terminal, beforeWrite gets the displayed ids once, before anything is written', async () => {
    const { t, writes } = target({ tty: true });
    const calls: Array<{ displayed: string[]; written: number }> = [];
    await printPapers(t, rows, { mode: 'tty', beforeWrite: (displayed) => calls.push({ displayed, written: writes.length }) });
    expect(calls).toEqual([{ displayed: rows.map((r) => r.id), written: 0 }]);
  });

  it('in a pipe or a data format, the printer calls nothing back', async () => {
    for (const mode of ['plain', 'json', 'jsonl', 'csv'] as const) {
      let called = false;
      const { t } = target();
      await printPapers(t, rows, { mode, beforeWrite: () => (called = true) });
      expect(called).toBe(false);
    }
  });

  it('the printer cannot write marks: it imports nothing from store/', () => {
    const source = readFileSync(resolve(__dirname, '../../src/render/printer.ts'), 'utf8');
    expect(source).not.toMatch(/from '\.\.\/store\/|import\('\.\.\/store\//);
  });

  it('the watch-list summary goes to stderr, never stdout', async () => {
    const { t, writes, stderr } = target({ tty: true });
    await printPapers(t, [row(0, { watched: ['agents'] }), row(1)], { mode: 'tty' });
    expect(stderr()).toBe('1 paper matches your watch list: agents ×1\n');
    expect(writes.join('')).not.toContain('watch list');
  });
});

describe('printPaper (show)', () => {
  it('--json: one object with the selected fields', async () => {
    const { t, writes } = target();
    await printPaper(t, row(0), { json: true, fields: ['id', 'upvotes'] });
    expect(writes.join('')).toBe('{\n  "id": "2506.10000",\n  "upvotes": 100\n}\n');
  });

  it('the full view names the paper and its authors', async () => {
    const { t, writes } = target();
    await printPaper(t, row(0), { json: false });
    expect(writes.join('')).toContain('Paper number 0');
    expect(writes.join('')).toContain('Ada Lovelace');
  });
});
