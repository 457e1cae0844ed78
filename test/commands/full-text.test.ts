/**
 * `papers show --full` and what it stores: the markdown fetched once from `/papers/{id}.md`,
 * raw into a pipe, rendered on a terminal, shown offline; `search --in body`, `grep --in body`,
 * `cache stats` and `cache prune --bodies`; 404, HTML instead of markdown and huge bodies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { faults, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { FIXTURES, runPapers, stripAnsi, tempDb } from '../support/run.js';
import { runInProcess } from '../support/in-process.js';
import { displayWidth } from '../../src/render/width.js';

const ID = '2607.11886';
const RECORD = readFileSync(join(FIXTURES, 'hf-paper', `${ID}.json`), 'utf8');
const MARKDOWN = readFileSync(join(FIXTURES, 'hf-md', `${ID}.md`), 'utf8');
const MD_PATH = `/papers/${ID}.md`;

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer({
    routes: (_req, url) =>
      url.pathname === `/api/papers/${ID}` ? { headers: { 'content-type': 'application/json; charset=utf-8' }, body: RECORD }
      : url.pathname === MD_PATH ? { headers: { 'content-type': 'text/markdown; charset=utf-8' }, body: MARKDOWN }
      : undefined,
  });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const online = (db = tempDb()) => (args: string[], opts: { env?: Record<string, string | undefined>; tty?: boolean; columns?: number } = {}) =>
  runInProcess(args, { ...opts, env: { PAPERS_DB: db, HF_ENDPOINT: server.url, PAPERS_OFFLINE: undefined, PAPERS_RETRIES: '0', ...opts.env } });

const mdRequests = () => server.requests.filter((q) => q.url === MD_PATH).length;

describe('show --full', () => {
  it('fetches the markdown once, prints it raw into a pipe, and shows the stored copy offline', async () => {
    const run = online();
    const r = await run(['show', ID, '--full']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(MARKDOWN);
    expect(mdRequests()).toBe(1);
    expect((await run(['show', ID, '--full'])).stdout).toBe(MARKDOWN);
    expect((await run(['show', ID, '--full', '--offline'])).stdout).toBe(MARKDOWN);
    expect(mdRequests()).toBe(1);
    const json = JSON.parse((await run(['show', ID, '--full', '--json', '--offline'])).stdout);
    expect(json).toMatchObject({ id: ID, fullText: MARKDOWN });
    const stats = JSON.parse((await run(['cache', 'stats', '--json'])).stdout);
    expect(stats.bodies.count).toBe(1);
    expect(stats.bodies.bytes).toBe(Buffer.byteLength(MARKDOWN));
    // Markdown compresses: the stored copy is deflated.
    expect(stats.bodies.storedBytes).toBeLessThan(stats.bodies.bytes * 0.9);
  });

  it('renders on a terminal: headings, emphasis, code, table; no line wider than the terminal; no markdown syntax left', async () => {
    const run = online();
    const r = await run(['show', ID, '--full'], { tty: true, columns: 72 });
    expect(r.code).toBe(0);
    const text = stripAnsi(r.stdout);
    expect(text.split('\n')[0]).toBe('Read It Back: Pretrained MLLMs Are Zero-Shot Reward Models for');
    for (const line of text.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(72);
    // Code keeps its characters (`**inputs`); everything else loses the markdown syntax.
    const prose = text.split('\n').filter((l) => !l.startsWith('    '));
    for (const line of prose) expect(line).not.toMatch(/^#|\*\*|```|\]\(/);
    expect(text).toMatch(/^Reward +│ Backbone +│ GenEval │ DPG-Bench$/m);
    expect(text).toMatch(/^ {4}def spectra_reward\(mllm, image, prompt\):$/m);
    expect(text).toMatch(/^• SpectraReward, a training-free reward/m);
    expect(text).toMatch(/^│ Note: all numbers/m);
    const colored = await online()(['show', ID, '--full', '--color', 'always'], { tty: true });
    expect(colored.stdout).toMatch(/\x1b\[1m\x1b\[4mRead It Back/);
  });

  it('offline with nothing stored: exit 1 naming the way to fetch it, no request', async () => {
    const run = online();
    expect((await run(['show', ID])).code).toBe(0);
    server.reset();
    const r = await run(['show', ID, '--full', '--offline']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/full text of 2607\.11886 is not stored yet; run `papers show 2607\.11886 --full` without --offline/);
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['404', 1, faults.status(404), /Hugging Face has no full text for 2607\.11886/],
    ['HTML instead of markdown', 4, faults.reply({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><html><body>Sign in</body></html>' }), /an HTML page, not markdown; nothing stored/],
    ['HTML labelled as markdown', 4, faults.reply({ headers: { 'content-type': 'text/markdown' }, body: '<!DOCTYPE html>\n<html lang="en">' }), /an HTML page/],
    ['a huge body', 3, faults.reply({ headers: { 'content-type': 'text/markdown' }, body: Buffer.alloc(9 * 1024 * 1024, 'a') }), /larger than 8 MB; not stored/],
    ['a server error', 3, faults.unavailable(), /503/],
  ])('%s: exit %i, one line, nothing stored', async (_what, code, fault, message) => {
    const run = online();
    server.setFault(MD_PATH, fault, 1);
    const r = await run(['show', ID, '--full']);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(JSON.parse((await run(['cache', 'stats', '--json'])).stdout).bodies.count).toBe(0);
  });
});

describe('searching stored full texts', () => {
  const db = tempDb();
  const run = online(db);
  beforeAll(async () => {
    expect((await run(['show', ID, '--full'])).code).toBe(0);
  });

  it('search --in body finds words only the body has; a normal search does not', async () => {
    expect((await run(['search', 'GenEval'])).code).toBe(1);
    const r = await run(['search', '--in', 'body', 'GenEval', 'benchmark']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\t')[0]).toBe(ID);
    expect((await run(['search', '--in', 'body', 'nonexistentword'])).code).toBe(1);
    expect((await run(['search', '--in', 'abstract', 'x'])).code).toBe(2);
    expect((await run(['search', '--in', 'body', '--remote', 'x'])).code).toBe(2);
  });

  it('grep --in body looks in the stored text; the default fields do not', async () => {
    expect((await run(['grep', 'DPG-Bench'])).code).toBe(1);
    const r = await run(['grep', '--in', 'title,body', '-c', 'DPG-Bench']);
    expect(r).toMatchObject({ code: 0, stdout: '1\n' });
    const j = JSON.parse((await run(['grep', '--in', 'body', '-F', 'spectra_reward', '--json'])).stdout);
    expect(j[0].matches[0]).toMatchObject({ field: 'body', text: 'spectra_reward' });
  });

  it('cache prune --bodies drops them and their index', async () => {
    const other = online();
    expect((await other(['show', ID, '--full'])).code).toBe(0);
    const r = await other(['cache', 'prune', '--bodies']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/dropped 1 full text/);
    expect((await other(['search', '--in', 'body', 'GenEval'])).code).toBe(1);
    expect(JSON.parse((await other(['cache', 'stats', '--json'])).stdout).bodies).toEqual({ count: 0, bytes: 0, storedBytes: 0 });
    expect((await other(['cache', 'prune'])).code).toBe(2);
  });
});

describe('the built binary', () => {
  it('fetches a paper by id, its full text and its citation, then shows them offline', async () => {
    const env = { PAPERS_DB: tempDb(), HF_ENDPOINT: server.url, PAPERS_OFFLINE: undefined, PAPERS_RETRIES: '0' };
    const full = await runPapers(['show', ID, '--full'], { env });
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toBe(MARKDOWN);
    const cite = await runPapers(['cite', ID, '--offline'], { env });
    expect(cite.code, cite.stderr).toBe(0);
    expect(cite.stdout).toMatch(/^@misc\{huang2026read,\n[\s\S]*  month = jul,\n[\s\S]*  doi = \{10\.48550\/arXiv\.2607\.11886\}\n\}\n$/);
    const body = await runPapers(['search', '--in', 'body', 'GenEval'], { env: { ...env, PAPERS_OFFLINE: '1' } });
    expect(body.stdout.split('\t')[0]).toBe(ID);
    expect(server.requests.map((q) => q.url)).toEqual([`/api/papers/${ID}`, MD_PATH]);
  });
});
