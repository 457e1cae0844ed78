/**
 * `papers cite` (stdout, --append) and any paper by id: `show`, `open`, `star` and `cite` of a
 * paper the database lacks fetch `/api/papers/{id}` from the loopback server and store it.
 */
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { faults, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { FIXTURES, tempDb } from '../support/run.js';
import { runInProcess } from '../support/in-process.js';
import { hf, sample2025 } from '../support/papers.js';

const RECORD = readFileSync(join(FIXTURES, 'hf-paper', '2607.11886.json'), 'utf8');
const ID = '2607.11886';
const PAPER = '/api/papers/';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer({
    routes: (_req, url) =>
      url.pathname === `${PAPER}${ID}` ? { headers: { 'content-type': 'application/json; charset=utf-8' }, body: RECORD } : undefined,
  });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const online = (db = tempDb()) => (args: string[], env: Record<string, string | undefined> = {}) =>
  runInProcess(args, { env: { PAPERS_DB: db, HF_ENDPOINT: server.url, PAPERS_OFFLINE: undefined, PAPERS_RETRIES: '0', ...env } });

const keys = (text: string) => [...text.matchAll(/^@misc\{([^,]+),$/gm)].map((m) => m[1]);

describe('papers cite', () => {
  const db = tempDb();
  const run = online(db);
  beforeAll(async () => {
    expect((await run(['import', hf('hfdp-ml_2025-06-09.json')])).code).toBe(0);
  });

  it('prints @misc entries with year and month from the id and arXiv DOI, keys deduplicated in order', async () => {
    const id = sample2025[0]!.paper.id;
    const r = await run(['cite', id, id, `https://arxiv.org/abs/${id}v2`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const k = keys(r.stdout);
    expect(k).toHaveLength(3);
    expect(k[1]).toBe(`${k[0]}a`);
    expect(r.stdout).toContain(`  year = {20${id.slice(0, 2)}},\n  month = ${['jan', 'feb', 'mar', 'apr', 'may', 'jun'][Number(id.slice(2, 4)) - 1]},\n`);
    expect(r.stdout).toContain(`  eprint = {${id}},\n  archivePrefix = {arXiv},\n`);
    expect(r.stdout).toContain(`  doi = {10.48550/arXiv.${id}}`);
    expect(server.requests).toHaveLength(0);
  });

  it('--append adds only what the file lacks, keeps its bytes, and says what it skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-cite-'));
    const bib = join(dir, 'refs.bib');
    const [a, b] = [sample2025[0]!.paper.id, sample2025[1]!.paper.id];
    const before = `% mine\n@article{x, doi = "10.48550/arXiv.${a}"}`;
    writeFileSync(bib, before);
    const r = await run(['cite', a, b, '--append', bib]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`added 1 entry to .*refs\\.bib \\(1 already there: ${a.replace('.', '\\.')}\\)`));
    const after = readFileSync(bib, 'utf8');
    expect(after.startsWith(`${before}\n\n@misc{`)).toBe(true);
    expect(after).toContain(`eprint = {${b}}`);
    // Again: nothing to add, the file untouched, no temp file left.
    const again = await run(['cite', a, b, '--append', bib]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already cites all 2 papers; left as it was/);
    expect(readFileSync(bib, 'utf8')).toBe(after);
    expect(readdirSync(dir)).toEqual(['refs.bib']);
  });

  it('--append creates a missing file; a read-only one is left as it is (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-cite-'));
    const bib = join(dir, 'new.bib');
    expect((await run(['cite', sample2025[0]!.paper.id, '--append', bib])).code).toBe(0);
    expect(readFileSync(bib, 'utf8')).toMatch(/^@misc\{/);
    chmodSync(bib, 0o444);
    const r = await run(['cite', sample2025[1]!.paper.id, '--append', bib]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/read-only/);
    expect(readdirSync(dir)).toEqual(['new.bib']);
  });
});

describe('any paper by id', () => {
  it('show fetches a paper the database lacks, stores it with no listing, and lists it under its arXiv date', async () => {
    const run = online();
    const r = await run(['show', ID, '--json']);
    expect(r.code).toBe(0);
    const obj = JSON.parse(r.stdout);
    expect(obj).toMatchObject({ id: ID, title: expect.stringMatching(/^Read It Back/), upvotes: 24, listings: [] });
    // The paper once; then, as for any shown paper, the repositories citing it (models, datasets, Spaces).
    const urls = server.requests.map((q) => q.url);
    expect(urls[0]).toBe(`${PAPER}${ID}`);
    expect(urls.slice(1).map((u) => u.split('?')[0]).sort()).toEqual(['/api/datasets', '/api/models', '/api/spaces']);
    // Stored: offline it is there, and under its arXiv date (2026-07-13), with no request.
    expect((await run(['show', ID, '--offline'])).code).toBe(0);
    const listed = await run(['list', '--date', '2026-07-13', '--offline']);
    expect(listed.stdout.split('\t')[0]).toBe(ID);
    expect(server.requests).toHaveLength(urls.length);
  });

  it('cite and star fetch it too; open --print fetches it and prints its HF page', async () => {
    const run = online();
    const c = await run(['cite', ID]);
    expect(c.code).toBe(0);
    expect(keys(c.stdout)).toEqual(['huang2026read']);
    const s = await online()(['star', ID]);
    expect(s.code).toBe(0);
    const o = await online()(['open', ID, '--print']);
    expect(o.stdout).toBe(`https://huggingface.co/papers/${ID}\n`);
    expect(server.requests.filter((q) => q.url === `${PAPER}${ID}`)).toHaveLength(3);
  });

  it('HF_TOKEN goes to the HF host as a bearer token, and never into a message', async () => {
    const secret = 'hf_secret_token_value';
    const r = await online()(['show', '2607.99999'], { HF_TOKEN: secret });
    expect(r.code).toBe(1);
    expect(server.requests[0]!.headers['authorization']).toBe(`Bearer ${secret}`);
    expect(r.stderr).not.toContain(secret);
  });

  it('HF has no such paper: exit 1, one line, nothing stored', async () => {
    const db = tempDb();
    const run = online(db);
    const r = await run(['show', '2607.99999']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('papers: paper 2607.99999 is not in the database, and Hugging Face has no paper 2607.99999\n');
    expect((await run(['cite', '2607.99999'])).code).toBe(1);
  });

  it('never with --offline or PAPERS_OFFLINE: a clear message, no request', async () => {
    for (const env of [{}, { PAPERS_OFFLINE: '1' }]) {
      const r = await online()(['cite', ID, ...(Object.keys(env).length ? [] : ['--offline'])], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/not in the database; without --offline \(and PAPERS_OFFLINE\) it is fetched from Hugging Face/);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('a server error is exit 3; a record that is not one is exit 4; nothing stored', async () => {
    const db = tempDb();
    const run = online(db);
    server.setFault(`${PAPER}${ID}`, faults.unavailable(), 1);
    const r = await run(['show', ID]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    server.setFault(`${PAPER}${ID}`, faults.invalidJson(), 1);
    expect((await run(['show', ID])).code).toBe(4);
    expect((await run(['show', ID, '--offline'])).code).toBe(1);
  });
});
