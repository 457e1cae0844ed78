/**
 * Output integrity and files that are not ours, through the built binary:
 * - standard output that fails (a full disk: /dev/full; a file size limit: `ulimit -f`) is
 *   one line on stderr and exit 74, in every format and command; a reader that left
 *   (`| head -1`) is a quiet exit 0;
 * - a database that would keep nothing (`:memory:`, an empty path) is refused;
 * - `export -o FILE` never replaces a read-only file, writes through a dangling link, and
 *   cleans up the temp files of exports that were killed;
 * - input is capped by what is read, not by what stat says (a huge line, /dev/zero, a FIFO).
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusId, range, writeCorpus } from '../support/corpus.js';
import { papersEnv } from '../support/kill.js';
import { BIN, ROOT, runPapers, type RunResult } from '../support/run.js';

const MINUTE = 60_000;
let dir: string;
let db: string;
/** 400 papers listed 2023-05-01 … 2023-05-10. */
const RANGE = ['--since', '2023-05-01', '--until', '2023-05-10'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'papers-output-'));
  db = join(dir, 'papers.db');
  const corpus = writeCorpus(join(dir, 'corpus.jsonl'), range(0, 400));
  const r = await runPapers(['import', corpus.file], { env: { PAPERS_DB: db } });
  expect(r.code, r.stderr).toBe(0);
}, MINUTE);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Run `papers ARGS` with standard output sent to the file `out` (opened for writing) and collect stderr. */
function runTo(out: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const fd = openSync(out, 'w');
  try {
    const child = spawn(process.execPath, [BIN, ...args], { env: papersEnv({ PAPERS_DB: db, ...env }), cwd: ROOT, stdio: ['ignore', fd, 'pipe'] });
    return new Promise((done, fail) => {
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
      child.on('error', fail);
      child.on('close', (code, signal) => done({ stdout: '', stderr, code, signal }));
    });
  } finally {
    closeSync(fd);
  }
}

/** Run `papers ARGS > out` under `ulimit -f kib` (the kernel refuses to grow a file past it: EFBIG). */
function runLimited(kib: number, out: string, args: string[]): Promise<RunResult> {
  const child = spawn('bash', ['-c', `ulimit -f ${kib} && exec "$@" > "$OUT"`, 'papers-ulimit', process.execPath, BIN, ...args], {
    env: papersEnv({ PAPERS_DB: db, OUT: out }),
    cwd: ROOT,
  });
  return new Promise((done, fail) => {
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ stdout: '', stderr, code, signal }));
  });
}

/** Exit 74, its one line last on stderr (after any note) naming the cause, and no stack trace. */
function expectOutputError(r: RunResult, cause: RegExp): void {
  expect(r.code, r.stderr).toBe(74);
  expect(r.stderr).toMatch(/(^|\n)papers: cannot write output: [^\n]+\n$/);
  expect(r.stderr.match(/cannot write/g)).toHaveLength(1);
  expect(r.stderr).toMatch(cause);
  expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
}

describe('standard output that fails is exit 74, never success', () => {
  const commands: Array<[string, string[]]> = [
    ...['jsonl', 'json', 'csv', 'tsv', 'md', 'bibtex'].map((f): [string, string[]] => [`export --format ${f}`, ['export', '--format', f]]),
    ['list --json', ['list', ...RANGE, '--json']],
    ['list --jsonl', ['list', ...RANGE, '--jsonl']],
    ['list (text)', ['list', ...RANGE]],
    ['list --format csv', ['list', ...RANGE, '--format', 'csv']],
    ['search --json', ['search', 'the', ...RANGE, '--json']],
    ['search (text)', ['search', 'the', ...RANGE]],
    ['grep --jsonl', ['grep', 'the', ...RANGE, '--jsonl']],
    ['grep (text)', ['grep', 'the', ...RANGE]],
    ['grep -c', ['grep', '-c', 'the', ...RANGE]],
    ['today --json', ['today', '--offline', '--json']],
    ['today (text)', ['today', '--offline']],
    ['show --json', ['show', corpusId(3), '--json']],
    ['show (text)', ['show', corpusId(3)]],
    ['help exit-codes', ['help', 'exit-codes']],
    ['--help', ['--help']],
  ];

  it.each(commands)('%s > /dev/full: exit 74, one line', async (_name, args) => {
    expectOutputError(await runTo('/dev/full', args), /no space left on device/);
  });

  it('the same commands into a file succeed (the failure above is the output, not the command)', async () => {
    for (const [name, args] of commands) {
      const r = await runTo(join(dir, 'out.txt'), args);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
    }
  }, 2 * MINUTE);

  it('export > file under `ulimit -f`: exit 74 naming the size limit, not a silently short file', async () => {
    for (const format of ['jsonl', 'csv', 'md', 'bibtex']) {
      const r = await runLimited(64, join(dir, `limited.${format}`), ['export', '--format', format]);
      expectOutputError(r, /file too large/);
    }
  });

  it('an export written in one block that the limit cuts short is exit 74, not exit 0 with a truncated file', async () => {
    // About 90 KB in one write: the kernel takes the first 48 KiB and says so, and Node's own
    // stdout ignores the byte count.
    const r = await runLimited(48, join(dir, 'short.csv'), ['export', '--format', 'csv', '--json', 'id,title,authors']);
    expectOutputError(r, /file too large/);
  });

  it('a reader that leaves (`| head -1`) ends every streamed format quietly with status 0', async () => {
    for (const args of [['export'], ['export', '--format', 'csv'], ['list', ...RANGE, '--jsonl'], ['grep', 'the', ...RANGE]]) {
      const child = spawn('bash', ['-c', '"$@" | head -1 > /dev/null; echo "${PIPESTATUS[0]}" >&2', 'pipe', process.execPath, BIN, ...args], { env: papersEnv({ PAPERS_DB: db }), cwd: ROOT });
      const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        child.on('close', (code) => done({ code, stderr }));
      });
      // bash prints papers' own status last; papers itself printed nothing.
      expect(r.stderr, args.join(' ')).toBe('0\n');
    }
  });
});

describe('a database that would keep nothing is refused', () => {
  it.each([
    ['--db :memory:', ['--db', ':memory:'], {}, /^papers: --db :memory: would keep nothing: name a database file\n$/],
    ["--db ''", ['--db', ''], {}, /^papers: --db is empty: name a database file\n$/],
    ['--db=', ['--db='], {}, /^papers: --db is empty: name a database file\n$/],
    ['PAPERS_DB=:memory:', [], { PAPERS_DB: ':memory:' }, /^papers: PAPERS_DB=:memory: would keep nothing: name a database file\n$/],
  ])('%s: exit 2, one line, and no database anywhere gets the import', async (_name, global, env, message) => {
    // Outside test mode, so that falling back to the default database would be possible (and seen).
    const home = mkdtempSync(join(dir, 'xdg-'));
    const r = await runPapers([...global, 'import', join(dir, 'corpus.jsonl')], { env: { PAPERS_TEST: undefined, XDG_DATA_HOME: home, HOME: home, ...env } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(home)).toEqual([]);
  });
});
