/** `papers export` streams its output a record at a time: the same bytes as the whole string, in every format. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatChunks, formatRows, type DataFormat } from '../../src/render/formats.js';
import { hfJson } from '../../src/sources/hf-json.js';
import { openDatabase } from '../../src/store/db.js';
import { iteratePapers, listingsReader, listPapers } from '../../src/store/query.js';
import { storeListing } from '../../src/store/write.js';

const now = new Date('2025-06-10T08:00:00Z');
const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'papers-export-')), 'papers.db'));
const text = readFileSync(join(import.meta.dirname, '../../fixtures/hf-api/hfdp-ml_2025-06-09.json'), 'utf8');
storeListing(db, hfJson.parse(text, { day: '2025-06-09', origin: 'hf', now }), { now });
const listingsOf = listingsReader(db);
const rows = listPapers(db, { range: null }).map((r) => ({ ...r, listings: listingsOf(r.id) }));

async function streamed(format: DataFormat, fields: string[] | null, input = rows): Promise<string> {
  let out = '';
  for await (const chunk of formatChunks(input, format, fields, { summary: true })) out += chunk;
  return out;
}

describe('formatChunks', () => {
  it.each<[DataFormat, string[] | null]>([
    ['jsonl', null],
    ['json', null],
    ['json', ['id', 'urls.pdf', 'listings']],
    ['csv', null],
    ['csv', ['id', 'authors', 'urls']],
    ['tsv', null],
    ['md', null],
    ['bibtex', null],
  ])('%s %j: the bytes formatRows makes', async (format, fields) => {
    expect(rows.length).toBeGreaterThan(5);
    expect(await streamed(format, fields)).toBe(await formatRows(rows, format, fields, { summary: true }));
  });

  it('json of one row and of none: as JSON.stringify(array, null, 2)', async () => {
    expect(await streamed('json', null, rows.slice(0, 1))).toBe(await formatRows(rows.slice(0, 1), 'json', null));
    expect(await streamed('json', null, [])).toBe(await formatRows([], 'json', null));
  });

  it('iteratePapers yields the rows listPapers returns', () => {
    expect([...iteratePapers(db, { range: null })]).toEqual(listPapers(db, { range: null }));
  });
});
