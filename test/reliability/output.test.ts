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
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusId, range, writeCorpus } from '../support/corpus.js';
import { fileSizeLimit, papersEnv, runPapersVia, unprivileged } from '../support/kill.js';
import { BIN, ROOT, runPapers, tempDb, type RunResult } from '../support/run.js';

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

/** The environment of spawnPapers for processes started here by hand: no user config, no pager. */
const testEnv = (extra: Record<string, string>) => papersEnv({ PAPERS_CONFIG: undefined, XDG_CONFIG_HOME: undefined, PAGER: undefined, LINES: undefined, ...extra });

/** Run `papers ARGS` with standard output sent to the file `out` (opened for writing) and collect stderr. */
function runTo(out: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const fd = openSync(out, 'w');
  try {
    const child = spawn(process.execPath, [BIN, ...args], { env: testEnv({ PAPERS_DB: db, ...env }), cwd: ROOT, stdio: ['ignore', fd, 'pipe'] });
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
    env: testEnv({ PAPERS_DB: db, OUT: out }),
    cwd: ROOT,
  });
  return new Promise((done, fail) => {
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ stdout: '', stderr, code, signal }));
  });
}

/**
 * Measure a papers process's peak RSS: `env` preloads a hook that writes
 * process.resourceUsage().maxRSS (the kernel's high-water mark, not a sample) at exit; `mb()` reads it.
 */
function peakRss(): { env: Record<string, string>; mb: () => number } {
  const hook = join(dir, 'peak-hook.cjs');
  const file = join(dir, `peak-${Math.random().toString(36).slice(2)}`);
  writeFileSync(hook, `process.on('exit', () => require('fs').writeFileSync(process.env.PAPERS_PEAK_FILE, String(process.resourceUsage().maxRSS)));\n`);
  return { env: { NODE_OPTIONS: `--require ${hook}`, PAPERS_PEAK_FILE: file }, mb: () => Number(readFileSync(file, 'utf8')) / 1024 };
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
    ['--version', ['--version']],
  ];

  it.each(commands)('%s > /dev/full: exit 74, one line', async (_name, args) => {
    expectOutputError(await runTo('/dev/full', args), /no space left on device/);
  });

  it('stderr on a full disk too: the exit code still says what happened (74; 2 for a usage error), no crash', async () => {
    const both = (args: string[]) =>
      new Promise<number | null>((done, fail) => {
        const fd = openSync('/dev/full', 'w');
        const child = spawn(process.execPath, [BIN, ...args], { env: testEnv({ PAPERS_DB: db }), cwd: ROOT, stdio: ['ignore', fd, fd] });
        closeSync(fd);
        child.on('error', fail);
        child.on('close', (code) => done(code));
      });
    expect(await both(['list', '--offline', '--all-days'])).toBe(2);
    expect(await both(['export', '--format', 'jsonl'])).toBe(74);
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
    const r = await runLimited(48, join(dir, 'short.csv'), ['export', '--format', 'csv', '--fields', 'id,title,authors']);
    expectOutputError(r, /file too large/);
  });

  it('a reader that leaves (`| head -1`) ends every streamed format quietly with status 0', async () => {
    for (const args of [['export'], ['export', '--format', 'csv'], ['list', ...RANGE, '--jsonl'], ['grep', 'the', ...RANGE]]) {
      const child = spawn('bash', ['-c', '"$@" | head -1 > /dev/null; echo "${PIPESTATUS[0]}" >&2', 'pipe', process.execPath, BIN, ...args], { env: testEnv({ PAPERS_DB: db }), cwd: ROOT });
      const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        child.on('close', (code) => done({ code, stderr }));
      });
      // bash prints papers' own status last; papers itself printed nothing.
      expect(r.stderr, args.join(' ')).toBe('0\n');
    }
  });

  it('a closed pipe ends quietly with status 0', async () => {
    const db = tempDb();
    await runPapers(['import', '--date', '2025-01-01', '-'], {
      env: { PAPERS_DB: db },
      input: Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `2501.${String(i).padStart(5, '0')}`, title: `Paper number ${i} `.repeat(8), listedOn: '2025-01-01', abstract: 'x '.repeat(500) })).join('\n'),
    });
    const result = await new Promise<{ code: number | null; stderr: string; first: string }>((done) => {
      const child = spawn(process.execPath, [BIN, 'list', '--jsonl'], { env: { ...process.env, PAPERS_DB: db, PAPERS_TEST: '1' } });
      let stderr = '';
      let first = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.once('data', (d: Buffer) => {
        first = d.toString().split('\n')[0]!;
        child.stdout.destroy(); // like `head -1` exiting after the first line of a large listing
      });
      child.on('close', (code) => done({ code, stderr, first }));
    });
    expect(JSON.parse(result.first).listedOn).toBe('2025-01-01');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
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

describe('export -o FILE: files that are not ours to replace', () => {
  /** A fresh folder under the suite's folder, open to everyone (for the run as `nobody`). */
  const folder = (name: string) => {
    const f = join(dir, name);
    mkdirSync(f);
    chmodSync(f, 0o777);
    return f;
  };

  it('a file marked read-only (0444) is left as it is, even by root: exit 2, one line, no temp file', async () => {
    const out = folder('ro');
    const file = join(out, 'keep.jsonl');
    writeFileSync(file, 'precious\n');
    chmodSync(file, 0o444);
    const r = await runPapers(['export', '-o', file], { env: { PAPERS_DB: db } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(`papers: cannot write ${file}: it is read-only, so it was left as it is (make it writable to replace it)\n`);
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
    expect(readdirSync(out)).toEqual(['keep.jsonl']);
  });

  it("another user's file in a folder anyone may write is not replaced (renaming over it would be allowed)", async (t) => {
    const wrapper = unprivileged();
    if (wrapper === null) return t.skip(); // root without setpriv: nothing to drop to
    chmodSync(dir, 0o755);
    // The database, a copy `nobody` owns in a folder it may write (WAL needs its -shm file).
    const own = folder('nobody-db');
    copyFileSync(db, join(own, 'papers.db'));
    if (process.getuid?.() === 0) chownSync(join(own, 'papers.db'), 65534, 65534);
    const out = folder('shared');
    const file = join(out, 'theirs.jsonl');
    writeFileSync(file, 'not yours\n');
    chmodSync(file, 0o644);
    const r = await runPapersVia(wrapper, ['export', '-o', file], { env: { PAPERS_DB: join(own, 'papers.db') } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/it is read-only, so it was left as it is/);
    expect(readFileSync(file, 'utf8')).toBe('not yours\n');
    expect(readdirSync(out)).toEqual(['theirs.jsonl']);
  });

  it('a dangling symlink is written through: its target is created and the link stays a link', async () => {
    const out = folder('dangling');
    mkdirSync(join(out, 'real'));
    symlinkSync(join('real', 'papers.jsonl'), join(out, 'link.jsonl'));
    const r = await runPapers(['export', '-o', join(out, 'link.jsonl')], { env: { PAPERS_DB: db } });
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(join(out, 'link.jsonl')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(out, 'real', 'papers.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(400);
    expect(readdirSync(join(out, 'real'))).toEqual(['papers.jsonl']);
  });

  it('temp files of a killed export (dead PID) are removed by the next export to the folder; a live one stays', async () => {
    const out = folder('stale');
    // A PID that certainly ended: a child that has exited (as a kill -9 leaves its temp file).
    const dead = await new Promise<number>((done) => {
      const c = spawn(process.execPath, ['-e', '0']);
      c.on('close', () => done(c.pid!));
    });
    const stale = [`.all.jsonl.tmp-${dead}-0123456789ab`, `.other.csv.tmp-${dead}-abcdef012345`];
    const live = `.all.jsonl.tmp-${process.pid}-0123456789ab`;
    for (const name of [...stale, live, 'notes.tmp-1-x']) writeFileSync(join(out, name), 'half an export');
    const r = await runPapers(['export', '-o', join(out, 'all.jsonl')], { env: { PAPERS_DB: db } });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([live, 'all.jsonl', 'notes.tmp-1-x'].sort());
  });

  it('a full disk or a size limit while writing -o FILE: exit 74, the old file as it was, no temp file', async () => {
    const full = await runPapers(['export', '-o', '/dev/full'], { env: { PAPERS_DB: db } });
    expect(full.code, full.stderr).toBe(74);
    expect(full.stderr).toBe('papers: cannot write /dev/full: no space left on device; the file was left as it was\n');
    const out = folder('limit');
    const file = join(out, 'old.jsonl');
    writeFileSync(file, 'old\n');
    const r = await runPapersVia(fileSizeLimit(64), ['export', '-o', file], { env: { PAPERS_DB: db } });
    expect(r.code, r.stderr).toBe(74);
    expect(r.stderr).toMatch(/^papers: cannot write .+: file too large .+\n$/);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(out)).toEqual(['old.jsonl']);
  });
});

describe('input is capped by what is read, not by what stat says', () => {
  /** Run `papers ARGS` and also return its peak RSS in MB. */
  async function runMeasured(args: string[], env: Record<string, string> = {}): Promise<RunResult & { peakMb: number }> {
    const peak = peakRss();
    const r = await runPapers(args, { env: { PAPERS_DB: db, ...peak.env, ...env } });
    return { ...r, peakMb: peak.mb() };
  }

  it('a 9 MB line in our JSONL is skipped and reported by its line number; the other lines are imported', async () => {
    const file = join(dir, 'long-line.jsonl');
    const paper = (id: string, title: string) => JSON.stringify({ id, title, listedOn: '2024-01-02', abstract: 'An abstract.' });
    writeFileSync(file, [paper('2401.00001', 'First'), paper('2401.00002', 'x'.repeat(9 << 20)), paper('2401.00003', 'Third')].join('\n') + '\n');
    const target = join(dir, 'long-line.db');
    const r = await runMeasured(['import', file], { PAPERS_DB: target });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `papers: ${file}:2: longer than 8388608 bytes; not a papers JSONL record\n` +
        `imported ${file} (jsonl): 2 read, 2 new, 0 updated, 0 unchanged; listed 2024-01-02; 1 malformed line skipped\n`,
    );
    const strict = await runPapers(['import', '--strict', file], { env: { PAPERS_DB: join(dir, 'long-line-strict.db') } });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toBe(`papers: ${file}:2: longer than 8388608 bytes; not a papers JSONL record (--strict)\n`);
  });

  it('import /dev/zero (stat says 0 bytes) stops at the 256 MB cap: exit 2, one line, bounded memory', async () => {
    const r = await runMeasured(['import', '/dev/zero']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('papers: /dev/zero is larger than 256 MB, the limit for one listing (only JSONL files stream)\n');
    // The cap's worth of chunks, and no more (unbounded, this read grows until memory runs out).
    expect(r.peakMb).toBeLessThan(700);
  }, MINUTE);

  it('a FIFO whose writer never closes is capped the same way', async () => {
    const fifo = join(dir, 'listing.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // `yes` writes for ever; it ends (SIGPIPE) once papers closes the reading end.
    const writer = spawn('bash', ['-c', 'exec yes "not a listing" > "$0"', fifo], { stdio: 'ignore' });
    try {
      const r = await runMeasured(['import', fifo]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toBe(`papers: ${fifo} is larger than 256 MB, the limit for one listing (only JSONL files stream)\n`);
      expect(r.peakMb).toBeLessThan(700);
    } finally {
      writer.kill();
    }
  }, MINUTE);
});

describe('export streams every format, and waits for a slow reader', () => {
  const FULL = process.env.RELIABILITY_FULL === '1';
  const N = FULL ? 60_000 : 12_000;
  let big: string;

  beforeAll(async () => {
    big = join(dir, 'big.db');
    const corpus = writeCorpus(join(dir, 'big.jsonl'), range(0, N));
    const r = await runPapers(['import', corpus.file], { env: { PAPERS_DB: big } });
    expect(r.code, r.stderr).toBe(0);
    rmSync(corpus.file);
  }, 5 * MINUTE);

  /** Peak RSS (MB) and output size of `papers export ARGS` into /dev/null (written directly, nothing queues). */
  async function toDevNull(args: string[]): Promise<number> {
    const peak = peakRss();
    const r = await runPapers(['export', ...args, '-o', '/dev/null'], { env: { PAPERS_DB: big, ...peak.env } });
    expect(r.code, r.stderr).toBe(0);
    return peak.mb();
  }

  /** Peak RSS (MB) of `papers export ARGS` into a pipe read slowly, a little every few ms, and the bytes read. */
  async function toSlowPipe(args: string[]): Promise<{ mb: number; bytes: number }> {
    const peak = peakRss();
    const child = spawn(process.execPath, [BIN, 'export', ...args], { env: testEnv({ PAPERS_DB: big, ...peak.env }), cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const reader = setInterval(() => {
      const chunk = child.stdout.read() as Buffer | null;
      if (chunk) bytes += chunk.length;
    }, 5);
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    clearInterval(reader);
    for (let chunk: Buffer | null; (chunk = child.stdout.read() as Buffer | null); ) bytes += chunk.length;
    expect(code, stderr).toBe(0);
    return { mb: peak.mb(), bytes };
  }

  it('md and bibtex, built whole before, peak no higher than jsonl (records a block at a time)', async () => {
    const jsonl = await toDevNull(['--format', 'jsonl']);
    for (const format of ['md', 'bibtex']) {
      expect(await toDevNull(['--format', format]), format).toBeLessThan(jsonl + 40);
    }
  }, 5 * MINUTE);

  it('a reader slower than the export costs no memory: writes wait for the pipe to drain', async () => {
    for (const format of ['jsonl', 'md']) {
      const direct = await toDevNull(['--format', format]);
      const slow = await toSlowPipe(['--format', format]);
      expect(slow.bytes, format).toBeGreaterThan(N * 500);
      expect(slow.mb, format).toBeLessThan(direct + 40);
    }
  }, 5 * MINUTE);
});
