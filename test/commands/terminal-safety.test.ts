/**
 * Bytes from outside (files, network, argv) are data: exact in machine output that goes to a
 * pipe or file, neutralized whenever the destination is a terminal — stdout on a terminal
 * (PAPERS_FORCE_TTY=1 makes the test's pipe count as one) and stderr always, in every format
 * and in error messages, notes and `--verbose` stacks too.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faults, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { FIXTURES, type RunResult } from '../support/run.js';
import { runInProcess as runPapers, inProcessWithDb as withDb } from '../support/in-process.js';

/** Window title (OSC 0), clipboard write (OSC 52), full reset, clear screen, 8-bit CSI, a bidi override, zero-width space, tag characters, DEL. */
const HOSTILE = '\x1b]0;pwned\x07 \x1b]52;c;cHduZWQ=\x07 \x1bc \x1b[2J \u009b31m \u202egnp.exe \u200bzw \u{E0041}\u{E0042} \x7f end';
/** What a terminal must never be sent: C0 but \n \t (and \r only before \n), DEL, C1, bidi, zero-width, invisible format, tag characters, lone surrogates, U+2028/9. */
const FORBIDDEN = /\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}\ud800-\udfff]/u;
const TTY = { PAPERS_FORCE_TTY: '1', NO_COLOR: '1' };

const forbiddenIn = (s: string): string | null => {
  const m = FORBIDDEN.exec(s);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(s.slice(Math.max(0, m.index - 30), m.index + 30))}` : null;
};
/** Neither stream carries a byte that could drive a terminal. */
const clean = (r: RunResult, what: string, streams: Array<'stdout' | 'stderr'> = ['stdout', 'stderr']) => {
  for (const s of streams) expect(forbiddenIn(r[s]), `${what}: ${s}`).toBeNull();
};

/** A JSON document, or JSON Lines as an array. */
const parse = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return s.trim().split('\n').map((l) => JSON.parse(l) as unknown);
  }
};
const tmp = () => mkdtempSync(join(tmpdir(), 'papers-hostile-'));

/** A database holding one paper whose every text field is hostile. */
async function hostileDb() {
  const it = withDb();
  // Our JSONL keeps text exact (U+2028 included), as an export made it.
  const body = JSON.stringify({ id: '2506.00001', title: `T ${HOSTILE}`, abstract: `abs ${HOSTILE}`, authors: [`A ${HOSTILE}`], keywords: [`k ${HOSTILE}`], aiSummary: 'one\u2028two', listedOn: '2025-06-09', upvotes: 1 }) + '\n';
  const r = await it.run(['import', '--date', '2025-06-09', '-'], { input: body });
  expect(r.code).toBe(0);
  return it;
}

describe('stderr: every diagnostic escapes what it quotes', () => {
  it('a malformed JSONL line quoted by JSON.parse: escaped visibly, not sent raw (ours and the arXiv snapshot)', async () => {
    const { run } = withDb();
    const dir = tmp();
    const ours = join(dir, 'ours.jsonl');
    writeFileSync(ours, `{"id":"2501.00001","title":"ok","listedOn":"2025-01-01"}\n{"id": ${HOSTILE}}\n`);
    const snapshot = join(dir, 'snapshot.jsonl');
    writeFileSync(snapshot, readFileSync(join(FIXTURES, 'arxiv', 'metadata-first5.jsonl'), 'utf8') + `{"id": ${HOSTILE}}\n`);
    for (const file of [ours, snapshot]) {
      const r = await run(['import', file]);
      expect(r.code, file).toBe(0);
      expect(r.stderr, file).toContain('\\x1b]0;pwned\\x07');
      clean(r, file);
      const strict = await run(['--verbose', 'import', '--strict', file]);
      expect(strict.code, file).toBe(2);
      expect(strict.stderr, file).toMatch(/^papers: .*not valid JSON.*\\x1b\]0;pwned\\x07/);
      expect(strict.stderr, file).toMatch(/\n {4}at /); // the stack, escaped too
      clean(strict, `${file} --strict --verbose`);
    }
  });

  it('file names in "imported X" and "exported … to X" are escaped', async () => {
    const { run } = withDb();
    const dir = tmp();
    const name = join(dir, `x\x1b]0;pwned\x07\u202e.json`);
    writeFileSync(name, readFileSync(join(FIXTURES, 'hf-api', 'hfdp-ml_2025-06-09.json')));
    const imported = await run(['import', '--date', '2025-06-09', name]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(/^imported .*x\\x1b\]0;pwned\\x07\\u202e\.json/);
    clean(imported, 'import');
    const exported = await run(['export', '-o', join(dir, `out\x1bc\u009b2J.jsonl`)]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/ to .*out\\x1bc\\x9b2J\.jsonl\n$/);
    clean(exported, 'export -o');
  });

  it("commander's unknown-option and unknown-command echoes of argv are escaped", async () => {
    const { run } = withDb();
    for (const args of [[`--x\x1b]52;c;cHduZWQ=\x07`], [`lis\x1b[2J`], ['list', `--\u202eevil`]]) {
      const r = await run(args);
      expect(r.code, JSON.stringify(args)).toBe(2);
      expect(r.stderr, JSON.stringify(args)).toMatch(/^papers: /);
      expect(r.stderr, JSON.stringify(args)).toMatch(/\\x1b|\\u202e/);
      clean(r, JSON.stringify(args));
    }
  });

  it('watch add echoes the term escaped; watch ls escapes it on a terminal and keeps it exact in a pipe', async () => {
    const { run } = withDb();
    const term = `diffusion \x1b]0;pwned\x07\u202e\u{E0041}`;
    const added = await run(['watch', 'add', term]);
    expect(added.code).toBe(0);
    expect(added.stderr).toContain('\\x1b]0;pwned\\x07\\u202e\\u{e0041}');
    clean(added, 'watch add');
    const piped = await run(['watch', 'ls']);
    expect(piped.stdout).toBe(`${term}\n`);
    const tty = await run(['watch', 'ls'], { env: TTY });
    expect(tty.stdout).toBe('diffusion \\x1b]0;pwned\\x07\\u202e\\u{e0041}\n');
    const json = await run(['watch', 'ls', '--json'], { env: TTY });
    clean(json, 'watch ls --json');
    expect(JSON.parse(json.stdout)).toEqual([term]);
    expect((await run(['watch', 'ls', '--json'])).stdout).toBe(JSON.stringify([term]) + '\n');
  });
});

describe('stdout: data formats on a terminal', () => {
  it.each([['tsv'], ['csv'], ['md'], ['bibtex']])('--format %s: neutralized on a terminal, exact bytes into a pipe', async (format) => {
    const { run } = await hostileDb();
    const tty = await run(['list', '--date', '2025-06-09', '--format', format], { env: TTY });
    expect(tty.code).toBe(0);
    clean(tty, format);
    if (format === 'tsv' || format === 'csv') {
      expect(tty.stdout).toContain('\\x1b]0;pwned\\x07');
      const piped = await run(['list', '--date', '2025-06-09', '--format', format]);
      expect(piped.stdout).toContain(HOSTILE);
      const exported = await run(['export', '--format', format], { env: TTY });
      clean(exported, `export --format ${format}`);
      expect(exported.stdout).toBe(tty.stdout);
    }
  });

  it('--json and --jsonl on a terminal: \\u escapes, the same data; into a pipe or file, the same bytes as always', async () => {
    const { run } = await hostileDb();
    const dir = tmp();
    for (const args of [['list', '--date', '2025-06-09', '--json'], ['list', '--date', '2025-06-09', '--jsonl'], ['show', '2506.00001', '--json'], ['search', 'abs', '--jsonl'], ['grep', 'abs', '--json'], ['export']]) {
      const what = args.join(' ');
      const tty = await run(args, { env: TTY });
      const piped = await run(args);
      expect(tty.code, what).toBe(0);
      clean(tty, what);
      expect(tty.stdout, what).toContain('\\u009b31m \\u202egnp.exe \\u200bzw \\udb40\\udc41');
      expect(piped.stdout, what).toContain(JSON.stringify(HOSTILE).slice(1, -1));
      if (args[0] !== 'grep') {
        expect(tty.stdout, what).toContain('one\\u2028two');
        expect(piped.stdout, what).toContain('one\u2028two');
      }
      expect(parse(tty.stdout), what).toEqual(parse(piped.stdout));
    }
    // -o FILE is a file even when stdout is a terminal: exact bytes.
    const file = join(dir, 'out.jsonl');
    expect((await run(['export', '-o', file], { env: TTY })).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe((await run(['export'])).stdout);
  });
});

describe('--verbose: remote text in a stack', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer({ fixturesDir: join(FIXTURES, 'arxiv'), arxivDir: join(FIXTURES, 'arxiv') });
  });
  afterAll(async () => server?.close());
  /** `papers --verbose fetch --source arxiv:cs.CL --date DATE` online against the server, at `now`. */
  const fetchArxiv = (date: string, now: string) =>
    runPapers(['--verbose', 'fetch', '--source', 'arxiv:cs.CL', '--date', date], {
      env: { PAPERS_DB: join(tmp(), 'p.db'), HF_ENDPOINT: server.url, PAPERS_ARXIV_RSS: `${server.url}/rss`, PAPERS_ARXIV_API: `${server.url}/api/query`, PAPERS_ARXIV_DELAY_MS: '0', PAPERS_OFFLINE: undefined, PAPERS_NOW: now, PAPERS_RETRIES: '0', PAPERS_TIMEOUT: '5' },
    });

  it("an RSS feed's error description with escape bytes is escaped in the message and the stack", async () => {
    const rss = readFileSync(join(FIXTURES, 'arxiv', 'rss-cs.LG-2026-03-10.xml'), 'utf8')
      .replace('<title>cs.LG updates on arXiv.org</title>', '<title>Feed error for query: cs.XX</title>')
      .replace(/<description>[^<]*<\/description>/, `<description>Invalid category \u009b2J\u202eevil\u200b\u{E0041} \x1b]0;pwned\x07</description>`);
    server.setFault('/rss/cs.CL', faults.reply({ headers: { 'content-type': 'application/rss+xml' }, body: rss }));
    const r = await fetchArxiv('today', '2026-03-10T12:00:00Z');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Invalid category \\x9b2J\\u202eevil\\u200b\\u{e0041}');
    expect(r.stderr).toMatch(/\n {4}at /);
    clean(r, 'fetch --verbose');
  });

  it("the arXiv API's error entry with escape bytes is escaped in the message and the stack", async () => {
    const feed = readFileSync(join(FIXTURES, 'arxiv', 'atom-error-example.xml'), 'utf8').replace('incorrect id format for 1234.12345', `bad id \u009b2J\u202eevil \x1b]52;c;cHduZWQ=\x07`);
    server.setFault('/api/query', faults.reply({ headers: { 'content-type': 'application/atom+xml' }, body: feed }));
    const r = await fetchArxiv('2026-03-10', '2026-03-12T10:00:00Z');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('bad id \\x9b2J\\u202eevil');
    expect(r.stderr).toMatch(/\n {4}at /);
    clean(r, 'fetch --verbose (API error feed)');
  });
});
