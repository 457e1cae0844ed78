/**
 * docs/paper.schema.json against real output: fixtures imported through the store, read
 * back with listPapers, printed by paperJson. The validator is a small one written here
 * for the subset of JSON Schema the file uses (no ajv dependency for one test).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { emptyPaper, paperUrls } from '../../src/model.js';
import { FIELD_PATHS_WITH_LISTINGS, PAPER_FIELDS } from '../../src/render/fields.js';
import { paperJson } from '../../src/render/json.js';
import { hfJson } from '../../src/sources/hf-json.js';
import { pageText } from '../../src/sources/page-text.js';
import { openDatabase } from '../../src/store/db.js';
import { getPaper, listingsReader, listPapers, searchPapers } from '../../src/store/query.js';
import { storeListing } from '../../src/store/write.js';

const root = join(import.meta.dirname, '../..');
const schema = JSON.parse(readFileSync(join(root, 'docs/paper.schema.json'), 'utf8')) as Schema;

interface Schema {
  type?: string | string[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  format?: string;
}

const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  'date-time': /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  uri: /^https?:\/\/[^\s]+$/,
};

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;

/** Errors of `value` against `s` (the subset: type incl. arrays of types, required, properties, items, enum, pattern, minimum, format). */
function validate(s: Schema, value: unknown, at = '$'): string[] {
  const errors: string[] = [];
  const t = typeOf(value);
  if (s.type !== undefined) {
    const allowed = Array.isArray(s.type) ? s.type : [s.type];
    // JSON Schema: an integer is also a number.
    if (!allowed.includes(t) && !(t === 'integer' && allowed.includes('number'))) {
      return [`${at}: ${t} is not ${allowed.join(' | ')}`];
    }
  }
  if (s.enum && !s.enum.some((e) => e === value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'string') {
    if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) errors.push(`${at}: ${JSON.stringify(value)} does not match ${s.pattern}`);
    if (s.format) {
      const re = FORMATS[s.format];
      if (!re) errors.push(`${at}: unknown format ${s.format} (extend the test's validator)`);
      else if (!re.test(value)) errors.push(`${at}: ${JSON.stringify(value)} is not a ${s.format}`);
    }
  }
  if (typeof value === 'number' && s.minimum !== undefined && value < s.minimum) errors.push(`${at}: ${value} < ${s.minimum}`);
  if (t === 'array' && s.items) (value as unknown[]).forEach((v, i) => errors.push(...validate(s.items!, v, `${at}[${i}]`)));
  if (t === 'object') {
    const obj = value as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in obj)) errors.push(`${at}: missing ${k}`);
    for (const [k, sub] of Object.entries(s.properties ?? {})) if (k in obj) errors.push(...validate(sub, obj[k], `${at}.${k}`));
    if (s.additionalProperties === false) {
      for (const k of Object.keys(obj)) if (!(k in (s.properties ?? {}))) errors.push(`${at}: unexpected ${k}`);
    }
  }
  return errors;
}

const now = new Date('2026-07-20T00:00:00Z');
const tempDb = () => openDatabase(join(mkdtempSync(join(tmpdir(), 'papers-schema-')), 'papers.db'));
const ALL_DAYS = { from: '0001-01-01', to: '9999-12-31' };

/** Every hf-api fixture through parse → store → listPapers → paperJson. */
function hfRows() {
  const db = tempDb();
  const dir = join(root, 'fixtures/hf-api');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const day = /\d{4}-\d{2}-\d{2}/.exec(name)?.[0] ?? null;
    storeListing(db, hfJson.parse(readFileSync(join(dir, name), 'utf8'), { day, origin: name, now }), { now });
  }
  return db;
}

/** Papers known only by their titles (copied page text): null upvotes, null arXiv links. Own database, or they would merge into the arXiv ids. */
function titleOnlyRows() {
  const db = tempDb();
  const text = readFileSync(join(root, 'fixtures/page-text/aug-20.txt'), 'utf8');
  storeListing(db, pageText.parse(text, { day: null, origin: 'aug-20.txt', now }), { now });
  return listPapers(db, { range: ALL_DAYS });
}

describe('the validator itself', () => {
  // [schema, value, valid?]
  test.each<[Schema, unknown, boolean]>([
    [{ type: 'string' }, 'x', true],
    [{ type: 'string' }, null, false],
    [{ type: ['string', 'null'] }, null, true],
    [{ type: ['integer', 'null'] }, 1.5, false],
    [{ type: 'integer', minimum: 1 }, 0, false],
    [{ type: 'array', items: { type: 'string' } }, ['a', 1], false],
    [{ type: 'object', required: ['a'] }, {}, false],
    [{ type: 'object', properties: { a: { type: 'string' } } }, { a: 1 }, false],
    [{ enum: ['hf'] }, 'arxiv', false],
    [{ type: 'string', format: 'date' }, '2025-06-09', true],
    [{ type: 'string', format: 'date' }, '2025-6-9', false],
    [{ type: 'string', format: 'date-time' }, '2025-06-05T17:59:58.000Z', true],
    [{ type: 'string', format: 'date-time' }, '2025-06-05', false],
    [{ type: 'string', pattern: '^a' }, 'ba', false],
  ])('%j ∋ %j: %s', (s, value, valid) => {
    expect(validate(s, value).length === 0).toBe(valid);
  });
});

describe('docs/paper.schema.json', () => {
  test('lists exactly the fields paperJson emits, all required but those of some commands (`listings`, `fullText`, `linked`, `upvotesGained`; the inbox\'s `score`, `why`), in the same order', () => {
    expect(Object.keys(schema.properties!)).toEqual([...PAPER_FIELDS, 'listings', 'fullText', 'linked', 'upvotesGained', 'score', 'why']);
    expect(schema.required).toEqual([...PAPER_FIELDS]);
    expect(FIELD_PATHS_WITH_LISTINGS.at(-1)).toBe('listings');
    const urls = schema.properties!.urls!;
    expect(Object.keys(urls.properties!)).toEqual(Object.keys(paperUrls('2506.05176')));
    expect(urls.required).toEqual(Object.keys(paperUrls('2506.05176')));
  });

  test('every row of every hf-api fixture validates (list, search and show rows)', () => {
    const db = hfRows();
    const rows = listPapers(db, { range: ALL_DAYS });
    expect(rows.length).toBeGreaterThan(50);
    const found = searchPapers(db, 'model', { limit: 50 });
    expect(found.length).toBeGreaterThan(0);
    const shown = getPaper(db, rows[0]!.id)!;
    for (const row of [...rows, ...found, shown]) {
      expect(validate(schema, paperJson(row)), row.id).toEqual([]);
    }
    // The fixtures exercise both branches of the nullable fields that matter.
    const out = rows.map(paperJson);
    expect(out.some((o) => o.githubRepo === null) && out.some((o) => o.githubRepo !== null)).toBe(true);
    expect(out.some((o) => o.aiSummary === null) && out.some((o) => o.aiSummary !== null)).toBe(true);
  });

  test('rows with their listings (export, show --json) validate, and so do papers no listing carried', () => {
    const db = hfRows();
    storeListing(db, { format: 'test', warnings: [], items: [{ paper: { ...emptyPaper('0704.0001', 'Unlisted'), publishedAt: '2007-04-02T19:18:42.000Z' }, listing: null }] }, { now });
    const twice = emptyPaper(listPapers(db, { range: null })[0]!.id, 'Listed twice');
    storeListing(db, { format: 'test', warnings: [], items: [{ paper: twice, listing: { source: 'arxiv:cs.LG', day: '2026-07-20', rank: 3, upvotes: null } }] }, { now });
    const listingsOf = listingsReader(db);
    const rows = listPapers(db, { range: null }).map((r) => ({ ...r, listings: listingsOf(r.id) }));
    expect(rows.some((r) => r.listings.length > 1)).toBe(true);
    const unlisted = rows.find((r) => r.id === '0704.0001')!;
    expect(paperJson(unlisted)).toMatchObject({ listedOn: null, source: null, rank: null, listings: [] });
    for (const row of rows) expect(validate(schema, paperJson(row)), row.id).toEqual([]);
    const entry = paperJson(rows[0]!).listings as object[];
    expect(validate(schema, { ...paperJson(rows[0]!), listings: [{ ...entry[0], day: '2025-6-9' }] })).toEqual(['$.listings[0].day: "2025-6-9" is not a date']);
  });

  test('`linked` of show --json validates, null or filled; a Space has no downloads', () => {
    const good = paperJson(listPapers(hfRows(), { range: ALL_DAYS })[0]!);
    const linked = {
      models: [{ id: 'acme/m', likes: 412, downloads: 18234 }, { id: 'acme/n', likes: null, downloads: null }],
      datasets: [],
      spaces: [{ id: 'acme/demo', likes: 58 }],
      fetchedAt: '2025-06-12T10:00:00.000Z',
    };
    expect(validate(schema, { ...good, linked: null })).toEqual([]);
    expect(validate(schema, { ...good, linked })).toEqual([]);
    expect(validate(schema, { ...good, linked: { ...linked, models: [{ id: 'acme/m', likes: 3 }] } })).toEqual(['$.linked.models[0]: missing downloads']);
  });

  test('upvotesGained of --sort rising validates: an integer or null', () => {
    const row = listPapers(hfRows(), { range: ALL_DAYS, sort: 'rising', gainSince: '2026-07-20T00:00:00.000Z' })[0]!;
    expect(paperJson(row)).toHaveProperty('upvotesGained');
    expect(validate(schema, paperJson(row))).toEqual([]);
    expect(validate(schema, { ...paperJson(row), upvotesGained: '3' })).toEqual(['$.upvotesGained: string is not integer | null']);
  });

  test('title-only papers (null upvotes, no arXiv links) validate', () => {
    const rows = titleOnlyRows();
    expect(rows.length).toBe(9);
    for (const row of rows) {
      const obj = paperJson(row);
      expect(obj.urls).toEqual({ hf: null, arxiv: null, pdf: null });
      expect(validate(schema, obj), row.id).toEqual([]);
    }
  });

  test('catches what it should: a wrong type, a missing field, a bad date', () => {
    const good = paperJson(listPapers(hfRows(), { range: ALL_DAYS })[0]!);
    expect(validate(schema, { ...good, upvotes: '3' })).toEqual(['$.upvotes: string is not integer | null']);
    const { title: _omit, ...noTitle } = good;
    expect(validate(schema, noTitle)).toEqual(['$: missing title']);
    expect(validate(schema, { ...good, listedOn: '09/06/2025' })).toEqual(['$.listedOn: "09/06/2025" is not a date']);
    expect(validate(schema, { ...good, urls: { ...(good.urls as object), pdf: 3 } })).toEqual(['$.urls.pdf: integer is not string | null']);
  });
});
