import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ExitCode, InputError } from '../../src/errors.js';
import type { Paper } from '../../src/model.js';
import {
  arxivMetadata,
  isMetadataRecord,
  latexAccents,
  parseMetadataLine,
  readMetadata,
  sniffMetadata,
  splitAuthors,
  type MetadataStats,
  type ReadMetadataOptions,
} from '../../src/sources/arxiv-metadata.js';

const text = readFileSync(new URL('../../fixtures/arxiv/metadata-first5.jsonl', import.meta.url), 'utf8');
const lines = text.split('\n').filter((l) => l !== '');
const opts = { day: null, origin: 'snapshot.jsonl', now: new Date('2026-03-12T12:00:00Z') };

/** Run the reader to the end: the batches it yielded and the stats it returned. */
async function readAll(
  input: AsyncIterable<Buffer | string>,
  o: Partial<ReadMetadataOptions> = {},
): Promise<{ batches: Paper[][]; stats: MetadataStats }> {
  const gen = readMetadata(input, { batchSize: 2, strict: false, ...o });
  const batches: Paper[][] = [];
  for (let r = await gen.next(); ; r = await gen.next()) {
    if (r.done) return { batches, stats: r.value };
    batches.push(r.value);
  }
}

/** An async iterable of `text` cut into Buffers of `size` bytes (cutting through characters). */
async function* chunks(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** The error `fn` throws, failing the test when none is. */
function thrown(fn: () => unknown): Error & { exitCode?: number } {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('parseMetadataLine: the first lines of the snapshot', () => {
  const papers = lines.map((line, i) => parseMetadataLine(line, i + 1));

  it.each([
    // id, version, publishedAt (v1), updatedAt (last version), categories (primary first)
    ['0704.0001', 2, '2007-04-02T19:18:42.000Z', '2007-07-24T20:10:27.000Z', ['hep-ph']],
    ['0704.0002', 2, '2007-03-31T02:26:18.000Z', '2008-12-13T17:26:00.000Z', ['math.CO', 'cs.CG']],
    ['0704.0003', 3, '2007-04-01T20:46:54.000Z', '2008-01-13T00:36:28.000Z', ['physics.gen-ph']],
    ['0704.0004', 1, '2007-03-31T03:16:14.000Z', '2007-03-31T03:16:14.000Z', ['math.CO']],
    ['0704.0005', 1, '2007-04-02T18:09:58.000Z', '2007-04-02T18:09:58.000Z', ['math.CA', 'math.FA']],
  ])('%s: v%i, published %s, updated %s, %j', (id, version, published, updated, categories) => {
    const paper = papers.find((p) => p.id === id)!;
    expect(paper.version).toBe(version);
    expect(paper.publishedAt).toBe(published);
    expect(paper.updatedAt).toBe(updated);
    expect(paper.categories).toEqual(categories);
    expect(paper.primaryCategory).toBe(categories[0]);
  });

  it.each([
    ['0704.0001', ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C.-P. Yuan']],
    ['0704.0002', ['Ileana Streinu', 'Louis Theran']],
    ['0704.0003', ['Hongjun Pan']],
    ['0704.0004', ['David Callan']],
    ['0704.0005', ['Wael Abu-Shammala', 'Alberto Torchinsky']],
  ])('%s: authors %j', (id, authors) => {
    expect(papers.find((p) => p.id === id)!.authors).toEqual(authors);
  });

  it('gives the same authors from the `authors` string when `authors_parsed` is missing', () => {
    for (const [i, line] of lines.entries()) {
      const record = JSON.parse(line) as Record<string, unknown>;
      delete record.authors_parsed;
      expect(parseMetadataLine(JSON.stringify(record), i + 1).authors).toEqual(papers[i]!.authors);
    }
  });

  it.each([
    ['0704.0001', '10.1103/PhysRevD.76.013009', 'Phys.Rev.D76:013009,2007', '37 pages, 15 figures; published version'],
    ['0704.0002', null, null, 'To appear in Graphs and Combinatorics'],
    ['0704.0005', null, 'Illinois J. Math. 52 (2008) no.2, 681-689', null],
  ])('%s: DOI %s, journal ref %s, comment %s', (id, doi, journalRef, comment) => {
    const paper = papers.find((p) => p.id === id)!;
    expect(paper.doi).toBe(doi);
    expect(paper.journalRef).toBe(journalRef);
    expect(paper.arxivComments).toBe(comment);
  });

  it('normalizes the whitespace of titles and abstracts and keeps their TeX', () => {
    expect(papers[0]!.title).toBe('Calculation of prompt diphoton production cross sections at Tevatron and LHC energies');
    expect(papers[4]!.title).toBe('From dyadic $\\Lambda_{\\alpha}$ to $\\Lambda_{\\alpha}$');
    expect(papers[1]!.abstract.startsWith('We describe a new algorithm, the $(k,\\ell)$-pebble game with colors, and use it obtain')).toBe(true);
    for (const paper of papers) expect(paper.abstract).toMatch(/^\S[^\n]*\S$/);
  });

  it('leaves what the snapshot does not carry unknown', () => {
    for (const paper of papers) {
      expect([paper.upvotes, paper.comments, paper.githubRepo, paper.aiSummary]).toEqual([null, null, null, null]);
    }
  });

  it('reads an old-style id and falls back to update_date without versions', () => {
    const record = { ...JSON.parse(lines[3]!), id: 'hep-th/9901001', versions: [] };
    const paper = parseMetadataLine(JSON.stringify(record), 1);
    expect([paper.id, paper.version, paper.publishedAt, paper.updatedAt]).toEqual(['hep-th/9901001', null, null, '2007-05-23T00:00:00.000Z']);
  });

  it.each([
    ['truncated JSON', '{"id":"0704.0001","title":"x"', /^line 7: not valid JSON \(/],
    ['not an object', '["0704.0001"]', /^line 7: not an arXiv metadata record \(no "id"\)$/],
    ['a numeric id', '{"id":704.0001,"title":"x"}', /^line 7: not an arXiv metadata record/],
    ['not an arXiv id', '{"id":"paper-1","title":"x"}', /^line 7: "paper-1" is not an arXiv id$/],
    ['no title', '{"id":"0704.0001","title":"  "}', /^line 7: paper 0704.0001 has no title$/],
  ])('%s → InputError (exit 2) naming the line', (_, line, message) => {
    const err = thrown(() => parseMetadataLine(line, 7));
    expect(err).toBeInstanceOf(InputError);
    expect(err.exitCode).toBe(ExitCode.Usage);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
  });
});

describe('author names', () => {
  it.each([
    ["Bal\\'azs", 'Balázs'],
    ["Bal\\'{a}zs", 'Balázs'],
    ['Schr\\"odinger', 'Schrödinger'],
    ['Erd\\H{o}s', 'Erdős'],
    ['{\\"O}zt{\\"u}rk', 'Öztürk'],
    ['Pe\\~na', 'Peña'],
    ['\\v{C}ech', 'Čech'],
    ['Fran\\c cois', 'François'],
    ["D\\'{\\i}az", 'Díaz'],
    ['S{\\o}ren', 'Søren'],
    ['Gro\\ss e', 'Große'],
    ['St\\r{a}hl', 'Ståhl'],
    ['Ko\\l{}odziej', 'Kołodziej'],
    ['Jonas Hübotter', 'Jonas Hübotter'],
    ['$\\alpha$ Collaboration', '$\\alpha$ Collaboration'],
  ])('latexAccents(%j) → %s', (tex, name) => {
    expect(latexAccents(tex)).toBe(name);
  });

  it.each([
    ['Ileana Streinu and Louis Theran', ['Ileana Streinu', 'Louis Theran']],
    ['A. One, B. Two and C. Three', ['A. One', 'B. Two', 'C. Three']],
    ['A. One, B. Two, and C. Three', ['A. One', 'B. Two', 'C. Three']],
    ['Alexandra Anderson and Brandon Sanders', ['Alexandra Anderson', 'Brandon Sanders']],
    ['Ximeng Tao (Texas A&M University, College Station), Pardis Taghavi', ['Ximeng Tao', 'Pardis Taghavi']],
    ['X. Author (Lab A and Lab B), Y. Author', ['X. Author', 'Y. Author']],
    ['John Smith, Jr., Jane Roe', ['John Smith Jr.', 'Jane Roe']],
    ['ATLAS Collaboration', ['ATLAS Collaboration']],
    ['  ', []],
  ])('splitAuthors(%j) → %j', (authors, names) => {
    expect(splitAuthors(authors)).toEqual(names);
  });
});

describe('recognizing the snapshot', () => {
  it.each([
    ['a snapshot line', lines[0]!, true],
    ['a snapshot line after blank lines', `\n\n${lines[1]}\n`, true],
    ['the first 200 bytes of a snapshot', lines[0]!.slice(0, 200), true],
    ['our own JSONL', '{"id":"2603.08706","title":"Agentic Critical Training","listedOn":"2026-03-10","source":"hf"}', false],
    ['an HF API listing', '[{"paper":{"id":"2603.08706"}}]', false],
    ['XML', '<rss version="2.0">', false],
    ['nothing', '', false],
  ])('sniffMetadata: %s → %s', (_, sample, expected) => {
    expect(sniffMetadata(sample)).toBe(expected);
    expect(arxivMetadata.sniff(sample)).toBe(expected);
  });

  it.each([
    [JSON.parse(lines[0]!), true],
    [{ id: '2603.08706', title: 'x', listedOn: '2026-03-10' }, false],
    [{ id: '2603.08706', submitter: 'x', versions: [], listedOn: '2026-03-10' }, false],
    [null, false],
  ])('isMetadataRecord %#', (value, expected) => {
    expect(isMetadataRecord(value)).toBe(expected);
  });
});

describe('readMetadata: streaming', () => {
  const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id);

  it('yields batches of at most batchSize, in file order', async () => {
    const { batches, stats } = await readAll(chunks(text, 1000), { batchSize: 2 });
    expect(batches.map((b) => b.map((p) => p.id))).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    expect(stats).toEqual({ lines: 5, papers: 5, bad: 0 });
  });

  it('reads a Node stream', async () => {
    const { batches } = await readAll(Readable.from(chunks(text, 4096)), { batchSize: 10 });
    expect(batches.flat().map((p) => p.id)).toEqual(ids);
  });

  it('handles a BOM, CRLF, blank lines and a last line without a newline', async () => {
    const crlf = `\uFEFF${lines.join('\r\n\r\n')}`;
    const { batches, stats } = await readAll(chunks(crlf, 333), { batchSize: 100 });
    expect(batches.flat().map((p) => p.id)).toEqual(ids);
    expect(batches.flat()[4]!.title).toBe('From dyadic $\\Lambda_{\\alpha}$ to $\\Lambda_{\\alpha}$');
    expect(stats).toEqual({ lines: 9, papers: 5, bad: 0 });
  });

  it('decodes characters cut between chunks', async () => {
    // The snapshot escapes non-ASCII (\u00e1); a raw UTF-8 line must survive 1-byte chunks too.
    const raw = lines[0]!.replace('"authors_parsed":[["Bal\\u00e1zs"', '"authors_parsed":[["Balázs"').replace('Calculation of', 'Calculación of');
    expect(raw).toContain('Balázs');
    const { batches } = await readAll(chunks(`${raw}\n${raw}`, 1), { batchSize: 5 });
    expect(batches.flat().map((p) => [p.authors[0], p.title.slice(0, 12)])).toEqual([
      ['C. Balázs', 'Calculación '],
      ['C. Balázs', 'Calculación '],
    ]);
  });

  it('counts and reports malformed lines, and skips them', async () => {
    const mixed = [lines[0], '{"id":"0704.0002",', lines[1], 'not json', lines[2]].join('\n');
    const bad: Array<[number, string]> = [];
    const { batches, stats } = await readAll(chunks(mixed, 64), { onBadLine: (n, m) => bad.push([n, m]) });
    expect(batches.flat().map((p) => p.id)).toEqual(ids.slice(0, 3));
    expect(stats).toEqual({ lines: 5, papers: 3, bad: 2 });
    expect(bad.map(([n]) => n)).toEqual([2, 4]);
    expect(bad[0]![1]).toMatch(/^line 2: not valid JSON/);
  });

  it('stops at the first malformed line in strict mode, naming it', async () => {
    const mixed = [lines[0], lines[1], '{"id":"0704.0003"'].join('\n');
    const err = await readAll(chunks(mixed, 64), { strict: true, origin: 'snapshot.jsonl' }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(ExitCode.Usage);
    expect((err as Error).message).toMatch(/^snapshot\.jsonl: line 3: not valid JSON/);
  });

  it('skips an over-long line without holding it (a binary or corrupt file)', async () => {
    const junk = 'x'.repeat(5000);
    const bad: number[] = [];
    const input = [lines[0], junk, lines[1], junk].join('\n');
    const { batches, stats } = await readAll(chunks(input, 512), { maxLineLength: 3000, onBadLine: (n) => bad.push(n) });
    expect(batches.flat().map((p) => p.id)).toEqual(ids.slice(0, 2));
    expect(stats).toEqual({ lines: 4, papers: 2, bad: 2 });
    expect(bad).toEqual([2, 4]);
    const err = await readAll(chunks(input, 512), { maxLineLength: 3000, strict: true }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toBe('line 2: longer than 3000 bytes; not a metadata record');
  });

  it('refuses a batch size that is not a positive integer', async () => {
    await expect(readAll(chunks(text, 100), { batchSize: 0 })).rejects.toThrow(RangeError);
  });

  it('streams a 200,000-line snapshot in batches, pulling input only as batches are taken', async () => {
    const N = 200_000;
    const batchSize = 5_000;
    let pulled = 0;
    let pulledAtFirstBatch = -1;
    // 64 KiB Buffers cut through lines, built from the sample lines as they are consumed.
    async function* source(): AsyncGenerator<Buffer> {
      const block = Buffer.from(`${lines.join('\n')}\n`.repeat(100), 'utf8'); // 500 lines
      let pending = Buffer.alloc(0);
      for (let made = 0; made < N; made += 500) {
        pending = Buffer.concat([pending, block]);
        while (pending.length >= 65_536) {
          pulled += 1;
          yield pending.subarray(0, 65_536);
          pending = pending.subarray(65_536);
        }
      }
      pulled += 1;
      yield pending;
    }
    let count = 0;
    let batches = 0;
    const gen = readMetadata(source(), { batchSize, strict: true });
    let r = await gen.next();
    for (; !r.done; r = await gen.next()) {
      if (batches === 0) pulledAtFirstBatch = pulled;
      batches += 1;
      expect(r.value.length).toBeLessThanOrEqual(batchSize);
      expect(r.value[0]!.id).toBe(ids[(count % 5)]);
      count += r.value.length;
    }
    expect(count).toBe(N);
    expect(batches).toBe(N / batchSize);
    expect(r.value).toEqual({ lines: N, papers: N, bad: 0 });
    // The first batch came after a few chunks, not after the whole input.
    expect(pulledAtFirstBatch).toBeGreaterThan(0);
    expect(pulledAtFirstBatch).toBeLessThan(pulled / 10);
  }, 60_000);
});

describe('arxivMetadata.parse: a whole (small) snapshot', () => {
  it('imports every line, with no listing', () => {
    const result = arxivMetadata.parse(text, opts);
    expect(result.format).toBe('arxiv-metadata');
    expect(result.items.map((x) => x.paper.id)).toEqual(['0704.0001', '0704.0002', '0704.0003', '0704.0004', '0704.0005']);
    expect(result.items.every((x) => x.listing === null)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it('skips malformed lines with one warning naming them', () => {
    const result = arxivMetadata.parse([lines[0], 'oops', lines[1], '{'].join('\r\n'), opts);
    expect(result.items).toHaveLength(2);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^snapshot\.jsonl: skipped 2 malformed line\(s\): 2, 4 \(first: line 2: not valid JSON/);
  });

  it('fails when no line is a record', () => {
    const err = thrown(() => arxivMetadata.parse('{"id":"x"}\n', opts));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/^snapshot\.jsonl: no arXiv metadata records \(line 1: "x" is not an arXiv id\)$/);
  });
});
