/**
 * `papers show` and the Hugging Face repositories citing a paper: fetched when missing or a
 * day old, never offline; a failed fetch (404, an HTML page, a hang) is one note and the
 * show goes on with what is stored; `--has-model` filters on what is stored.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { faults, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { runInProcess } from '../support/in-process.js';
import { FIXTURES, tempDb } from '../support/run.js';

const ID = '2403.06634';
const KINDS = ['models', 'datasets', 'spaces'] as const;
const answer = (kind: string) => readFileSync(join(FIXTURES, 'hf-linked', `${kind}-${ID}.json`));
const NOW = '2025-06-12T10:00:00Z';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer({
    routes: (_req, url) => {
      const kind = /^\/api\/(models|datasets|spaces)$/.exec(url.pathname)?.[1];
      if (!kind) return undefined;
      // Any other paper: cited by nothing, as HF answers.
      const body = url.searchParams.get('filter') === `arxiv:${ID}` ? answer(kind) : '[]';
      return { headers: { 'content-type': 'application/json; charset=utf-8' }, body };
    },
  });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** A database holding the 2024-03-12 listing, and a runner online against the server. */
async function online() {
  const db = tempDb();
  const run = (args: string[], env: Record<string, string | undefined> = {}) =>
    runInProcess(args, { env: { PAPERS_DB: db, HF_ENDPOINT: server.url, PAPERS_OFFLINE: undefined, PAPERS_NOW: NOW, PAPERS_RETRIES: '0', PAPERS_TIMEOUT: '2', ...env } });
  expect((await run(['import', join(FIXTURES, 'hf-api', 'hfdp-zh_2024-03-12.json')], { PAPERS_OFFLINE: '1' })).code).toBe(0);
  return run;
}
const linkedRequests = () => server.requests.filter((r) => /^\/api\/(models|datasets|spaces)\?/.test(r.url)).map((r) => r.url).sort();

describe('show: linked models, datasets and Spaces', () => {
  it('fetches them once a day, lists the most liked few with counts', async () => {
    const run = await online();
    const r = await run(['show', ID]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(linkedRequests()).toEqual(KINDS.map((k) => `/api/${k}?filter=arxiv%3A${ID}&sort=likes&direction=-1&limit=100`).sort());
    const section = r.stdout.slice(r.stdout.indexOf('On Hugging Face'));
    expect(section.split('\n').slice(0, 4)).toEqual([
      'On Hugging Face',
      '  Models (4): acme-research/logit-extractor-7b (♥ 412, ↓ 18k), someone/stolen-embedding-proj (♥ 37, ↓ 1.2k), lab-x/projection-probe (♥ 5, ↓ 88), …',
      '  Datasets (1): acme-research/logit-queries (♥ 21, ↓ 640)',
      '  Spaces (2): acme-research/logit-demo (♥ 58), someone/stealing-explained (♥ 2)',
    ]);
    // Within a day: from the database, no request.
    server.reset();
    expect((await run(['show', ID], { PAPERS_NOW: '2025-06-13T09:59:00Z' })).stdout).toContain('Models (4)');
    expect(linkedRequests()).toEqual([]);
    // A day later: asked again.
    expect((await run(['show', ID], { PAPERS_NOW: '2025-06-13T10:01:00Z' })).code).toBe(0);
    expect(linkedRequests()).toHaveLength(3);
  });

  it('--json has `linked`, each kind most liked first; --fields selects it', async () => {
    const run = await online();
    const obj = JSON.parse((await run(['show', ID, '--json'])).stdout);
    expect(obj.linked.models[0]).toEqual({ id: 'acme-research/logit-extractor-7b', likes: 412, downloads: 18234 });
    expect(obj.linked.models.map((m: { likes: number }) => m.likes)).toEqual([412, 37, 5, 0]);
    expect(obj.linked.datasets).toEqual([{ id: 'acme-research/logit-queries', likes: 21, downloads: 640 }]);
    expect(obj.linked.spaces).toEqual([{ id: 'acme-research/logit-demo', likes: 58 }, { id: 'someone/stealing-explained', likes: 2 }]);
    expect(obj.linked.fetchedAt).toBe(NOW.replace('Z', '.000Z'));
    const other = JSON.parse((await run(['show', '2403.06504', '--json=id,linked'])).stdout);
    expect(other).toEqual({ id: '2403.06504', linked: { models: [], datasets: [], spaces: [], fetchedAt: expect.any(String) } });
  });

  it('never fetches with --offline (or PAPERS_OFFLINE): `linked` is null when never fetched', async () => {
    const run = await online();
    for (const [args, env] of [[['--offline'], {}], [[], { PAPERS_OFFLINE: '1' }]] as const) {
      const r = await run(['show', ID, '--json', ...args], env);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).linked).toBeNull();
    }
    expect(server.requests).toEqual([]);
  });

  it.each([
    ['a 404', faults.status(404), /HTTP 404/],
    ['an HTML page', faults.reply({ headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Hugging Face</title>' }), /expected a JSON array of datasets, got an HTML page/],
    ['an object', faults.reply({ headers: { 'content-type': 'application/json' }, body: '{"error":"Invalid filter"}' }), /got an object/],
    ['a hang', faults.delayHeaders(10_000), /no response from 127\.0\.0\.1:\d+ within 500 ms/],
  ])('%s: the paper is shown, one note, nothing stored', async (_what, fault, reason) => {
    const run = await online();
    server.setFault('/api/datasets', fault);
    const r = await run(['show', ID], { PAPERS_TIMEOUT: '0.5' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Stealing Part of a Production Language Model');
    expect(r.stdout).not.toContain('On Hugging Face');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^papers: could not fetch the models, datasets and Spaces citing ${ID} \\(.*\\); none are stored$`));
    expect(lines[0]).toMatch(reason);
    expect(JSON.parse((await run(['show', ID, '--json', '--offline'])).stdout).linked).toBeNull();
  });

  it('a failed refetch shows what was stored, and says when it was fetched', async () => {
    const run = await online();
    expect((await run(['show', ID])).code).toBe(0);
    server.setFault(/^\/api\/models/, faults.unavailable());
    const r = await run(['show', ID], { PAPERS_NOW: '2025-06-14T10:00:00Z' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Models (4)');
    expect(r.stderr).toMatch(/^papers: could not fetch .*\(.*503.*\); showing those fetched 2025-06-12\n$/);
  });

  it('a host that failed a moment ago is not asked again (--refresh asks)', async () => {
    const run = await online();
    // A listing finds HF down: it remembers the host.
    server.setFault(/^\/(api\/daily_papers|papers\/date\/)/, faults.unavailable());
    expect((await run(['list', '--date', '2025-06-11'])).code).toBe(3);
    server.reset();
    const r = await run(['show', ID], { PAPERS_NOW: '2025-06-12T10:03:00Z' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^papers: the models, datasets and Spaces citing 2403\.06634 were not fetched: 127\.0\.0\.1:\d+ failed 3 min ago \(HTTP 503.*\); none are stored\n$/);
    expect(linkedRequests()).toEqual([]);
    expect((await run(['show', ID, '--refresh'], { PAPERS_NOW: '2025-06-12T10:03:00Z' })).stdout).toContain('Models (4)');
    expect(linkedRequests()).toHaveLength(3);
  });

  it('--has-model lists only papers a stored model cites; it never fetches', async () => {
    const run = await online();
    const before = await run(['list', '--has-model']);
    expect(before.code).toBe(1);
    await run(['show', ID]);
    await run(['show', '2403.06504']);
    server.reset();
    const after = await run(['list', '--has-model']);
    expect(after.code).toBe(0);
    expect(after.stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual([ID]);
    expect((await run(['search', 'language', '--has-model'])).stdout.split('\t')[0]).toBe(ID);
    expect(server.requests).toEqual([]);
  });
});
