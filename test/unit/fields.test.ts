import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { emptyPaper } from '../../src/model.js';
import { FIELD_PATHS, fieldValue, flatColumns, PAPER_FIELDS, parseFieldList, selectFields } from '../../src/render/fields.js';
import { paperJson } from '../../src/render/json.js';

const obj = paperJson({ ...emptyPaper('2506.05176', 'Qwen3 Embedding'), upvotes: 42, listedOn: '2025-06-09', source: 'hf', rank: 1 });
const VALID = 'id, title, authors, abstract, publishedAt, listedOn, source, rank, upvotes, comments, githubRepo, githubStars, projectPage, aiSummary, keywords, organization, submittedBy, categories, primaryCategory, doi, journalRef, arxivComments, version, updatedAt, watched, urls, urls.hf, urls.arxiv, urls.pdf';

describe('field names', () => {
  test('PAPER_FIELDS are the keys of paperJson, in its order (README "JSON output")', () => {
    expect(PAPER_FIELDS).toEqual(Object.keys(obj));
    expect(PAPER_FIELDS.slice(0, 4)).toEqual(['id', 'title', 'authors', 'abstract']);
    expect(PAPER_FIELDS.at(-1)).toBe('urls');
  });
  test('FIELD_PATHS add the sub-fields of urls', () => {
    expect(FIELD_PATHS.join(', ')).toBe(VALID);
  });
  test('flatColumns spreads urls over its sub-fields', () => {
    expect(flatColumns(['id', 'urls', 'urls.pdf', 'title'])).toEqual(['id', 'urls.hf', 'urls.arxiv', 'urls.pdf', 'title']);
    expect(flatColumns().slice(-3)).toEqual(['urls.hf', 'urls.arxiv', 'urls.pdf']);
    expect(flatColumns()).toHaveLength(PAPER_FIELDS.length + 2);
  });
});

describe('parseFieldList', () => {
  // [spec, fields]
  test.each<[string, string[]]>([
    ['id', ['id']],
    ['id,title,upvotes', ['id', 'title', 'upvotes']],
    [' id , title ,', ['id', 'title']],
    ['title,id,title', ['title', 'id']],
    ['urls.pdf,urls', ['urls.pdf', 'urls']],
  ])('%j → %j', (spec, fields) => {
    expect(parseFieldList(spec)).toEqual(fields);
  });

  // [spec, message]
  test.each<[string, string]>([
    ['id,foo', `unknown field "foo" in --fields; valid fields: ${VALID}`],
    ['Title', `unknown field "Title" in --fields; valid fields: ${VALID}`],
    ['urls.github', `unknown field "urls.github" in --fields; valid fields: ${VALID}`],
    ['title.x', `unknown field "title.x" in --fields; valid fields: ${VALID}`],
    ['', `--fields needs a comma-separated list of fields; valid fields: ${VALID}`],
    [' , ', `--fields needs a comma-separated list of fields; valid fields: ${VALID}`],
  ])('%j is a usage error', (spec, message) => {
    expect(() => parseFieldList(spec)).toThrow(new UsageError(message));
    expect(() => parseFieldList(spec)).toThrow(UsageError);
  });

  test('a command can accept fields of its own and name its flag', () => {
    expect(parseFieldList('id,listings', [...FIELD_PATHS, 'listings'])).toEqual(['id', 'listings']);
    expect(() => parseFieldList('nope', ['id'], '--fields')).toThrow('unknown field "nope" in --fields; valid fields: id');
  });
});

describe('selectFields', () => {
  // [fields, result]
  test.each<[string[], Record<string, unknown>]>([
    [['id'], { id: '2506.05176' }],
    [['upvotes', 'id'], { upvotes: 42, id: '2506.05176' }],
    [['doi'], { doi: null }],
    [['urls.pdf'], { urls: { pdf: 'https://arxiv.org/pdf/2506.05176' } }],
    [['urls.hf', 'urls.pdf'], { urls: { hf: 'https://huggingface.co/papers/2506.05176', pdf: 'https://arxiv.org/pdf/2506.05176' } }],
    [['urls.pdf', 'urls'], { urls: obj.urls }],
  ])('%j', (fields, expected) => {
    const out = selectFields(obj, fields);
    expect(out).toEqual(expected);
    expect(Object.keys(out)).toEqual(Object.keys(expected));
  });

  test('never shares or changes the nested object of the input', () => {
    const before = JSON.stringify(obj);
    const out = selectFields(obj, ['urls.pdf']);
    (out.urls as Record<string, unknown>).pdf = 'changed';
    expect(JSON.stringify(obj)).toBe(before);
  });

  test('fieldValue reads dotted paths', () => {
    expect(fieldValue(obj, 'urls.arxiv')).toBe('https://arxiv.org/abs/2506.05176');
    expect(fieldValue(obj, 'title.length')).toBeUndefined();
    expect(fieldValue(obj, 'rank')).toBe(1);
  });
});
