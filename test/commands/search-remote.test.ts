/** `papers search --remote` — Hugging Face's search, stored and printed like any papers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faults, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { FIXTURES, tempDb } from '../support/run.js';
import { runInProcess as runPapers } from '../support/in-process.js';

const items = JSON.parse(readFileSync(join(FIXTURES, 'hf-api', 'hfdp-ml_2025-06-09.json'), 'utf8')) as Array<{ paper: Record<string, unknown> }>;
// The search answers with daily-papers items and, to be safe, also bare paper objects.
const results = [items[3], items[1]!.paper, items[7]];
const SEARCH = '/api/papers/search';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer({
    routes: (_req, url) =>
      url.pathname === SEARCH ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(url.searchParams.get('q') === 'nothing' ? [] : results) } : undefined,
  });
});
afterAll(() => server.close());

const online = (db = tempDb()) => (args: string[], env: Record<string, string | undefined> = {}) =>
  runPapers(args, { env: { PAPERS_DB: db, HF_ENDPOINT: server.url, PAPERS_OFFLINE: undefined, PAPERS_RETRIES: '0', ...env } });

describe('papers search --remote', () => {
  it('asks HF, stores the results as hf-search, prints them in HF order', async () => {
    const run = online();
    const r = await run(['search', '--remote', 'sparse', 'attention']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ids = r.stdout.trim().split('\n').map((l) => l.split('\t')[0]);
    expect(ids).toEqual([items[3]!.paper.id, items[1]!.paper.id, items[7]!.paper.id]);
    const req = server.requests.find((q) => q.url.startsWith(SEARCH))!;
    expect(req.url).toBe(`${SEARCH}?q=sparse%20attention`);
    // Stored: shown offline afterwards, under its own source, never as the default listing day.
    const stored = await run(['list', '--source', 'hf-search', '--since', '2025-01-01', '--offline']);
    expect(stored.stdout.trim().split('\n')).toHaveLength(3);
    expect((await run(['show', String(items[1]!.paper.id)])).code).toBe(0);
    expect((await run(['list', '--offline'])).code).toBe(1);
  });

  it('nothing found is exit 1; a query over 250 characters is a usage error', async () => {
    const run = online();
    expect((await run(['search', '--remote', 'nothing'])).code).toBe(1);
    const long = await run(['search', '--remote', 'x'.repeat(251)]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/at most 250 characters/);
  });

  it('a server error is exit 3 with one line, and nothing is stored', async () => {
    const run = online();
    server.setFault(SEARCH, faults.unavailable(), 1);
    const r = await run(['search', '--remote', 'sparse']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/503/);
    expect((await run(['list', '--source', 'hf-search', '--since', '2020-01-01', '--offline'])).code).toBe(1);
  });

  it('--offline refuses --remote', async () => {
    const r = await online()(['search', '--remote', 'x', '--offline']);
    expect(r.code).toBe(2);
  });
});
