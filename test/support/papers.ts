/** Real Hugging Face fixtures and the documented shape of a printed paper, shared by the command tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { inProcessWithDb } from './in-process.js';
import { FIXTURES } from './run.js';

export const hf = (name: string) => join(FIXTURES, 'hf-api', name);

/** A temp database into which the file's `beforeAll` imports these HF API fixtures (default: two days, 21 papers). */
export function importedDb(names = ['hfdp-zh_2024-03-12.json', 'hfdp-ml_2025-06-09.json']) {
  const db = inProcessWithDb();
  beforeAll(async () => {
    expect((await db.run(['import', ...names.map(hf)])).code).toBe(0);
  });
  return db;
}
export const sample2025 = JSON.parse(readFileSync(hf('hfdp-ml_2025-06-09.json'), 'utf8')) as Array<{
  paper: { id: string; title: string; upvotes: number };
}>;

/** The documented JSON fields (README "JSON output") and their types. */
export const JSON_FIELDS: Record<string, (v: unknown) => boolean> = {
  id: (v) => typeof v === 'string',
  title: (v) => typeof v === 'string',
  authors: (v) => Array.isArray(v) && v.every((a) => typeof a === 'string'),
  abstract: (v) => typeof v === 'string',
  publishedAt: (v) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v))),
  listedOn: (v) => v === null || (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)),
  source: (v) => v === null || typeof v === 'string',
  rank: (v) => v === null || Number.isInteger(v),
  upvotes: (v) => v === null || Number.isInteger(v),
  comments: (v) => v === null || Number.isInteger(v),
  githubRepo: (v) => v === null || typeof v === 'string',
  githubStars: (v) => v === null || Number.isInteger(v),
  projectPage: (v) => v === null || typeof v === 'string',
  aiSummary: (v) => v === null || typeof v === 'string',
  keywords: (v) => Array.isArray(v) && v.every((a) => typeof a === 'string'),
  organization: (v) => v === null || typeof v === 'string',
  submittedBy: (v) => v === null || typeof v === 'string',
  categories: (v) => Array.isArray(v) && v.every((a) => typeof a === 'string'),
  primaryCategory: (v) => v === null || typeof v === 'string',
  doi: (v) => v === null || typeof v === 'string',
  journalRef: (v) => v === null || typeof v === 'string',
  arxivComments: (v) => v === null || typeof v === 'string',
  version: (v) => v === null || Number.isInteger(v),
  updatedAt: (v) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v))),
  urls: (v) => typeof v === 'object' && v !== null && ['hf', 'arxiv', 'pdf'].every((k) => k in v),
  watched: (v) => Array.isArray(v) && v.every((a) => typeof a === 'string'),
};

export function expectPaperShape(obj: Record<string, unknown>) {
  expect(Object.keys(obj).sort()).toEqual(Object.keys(JSON_FIELDS).sort());
  for (const [k, ok] of Object.entries(JSON_FIELDS)) expect(ok(obj[k]), `${k} = ${JSON.stringify(obj[k])}`).toBe(true);
}
