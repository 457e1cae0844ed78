/**
 * Input at and past its bounds — huge numbers, malformed URLs, config paths that are not
 * files, impossible dates, compatibility characters — is a usage error (exit 2) in one
 * line, or works; never a database error, an internal error, a hang or gigabytes of memory.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runPapers, spawnPapers, type RunOptions } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);
const tempDir = () => mkdtempSync(join(tmpdir(), 'papers-bounds-'));

async function setup() {
  const s = withDb();
  const r = await s.run(['import', hf('hfdp-ml_2025-06-09.json')]);
  expect(r.code).toBe(0);
  return s;
}

/** `papers ARGS`, killed after `ms`: a run that would hang (or eat memory) fails its test instead of outliving it. */
async function runBounded(args: string[], opts: RunOptions, ms = 8_000) {
  const { child, result } = spawnPapers(args, opts);
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  try {
    return await result;
  } finally {
    clearTimeout(timer);
  }
}

/** One line on stderr, `papers: …`, and nothing on stdout. */
function expectUsage(r: { code: number | null; stdout: string; stderr: string }, message: RegExp) {
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^papers: [^\n]*\n$/);
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(2);
}

describe('numbers past what a count can hold', () => {
  it.each([
    ['--limit', '99999999999999999999'],
    ['--limit', '9223372036854775807'],
    ['--limit', '9007199254740992'],
    ['--min-upvotes', '99999999999999999999'],
  ])('%s %s is a usage error naming the largest value', async (flag, value) => {
    const { run } = await setup();
    expectUsage(await run(['list', flag, value]), new RegExp(`invalid ${flag} "${value}": expected a whole number from [01] to 9007199254740991`));
  });

  it('the largest value itself works', async () => {
    const { run } = await setup();
    const r = await run(['list', '--limit', '9007199254740991']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(12);
  });

  it.each([
    ['{"limit": 1e20}', /"limit" must be a whole number from 1 to 9007199254740991 \(got 100000000000000000000\)/],
    ['{"limit": 1e400}', /"limit" must be a whole number from 1 to 9007199254740991 \(got Infinity\)/],
    ['{"limit": -1}', /"limit" must be a whole number from 1/],
    ['{"maxAge": 1e20}', /"maxAge" must be a duration .* at most 36500d/],
    ['{"maxAge": "99999999999999999999999999999d"}', /"maxAge" must be a duration .* at most 36500d/],
  ])('config %s is a usage error naming the key', async (json, message) => {
    const { run } = await setup();
    const config = join(tempDir(), 'config.json');
    writeFileSync(config, json);
    expectUsage(await run(['list'], { env: { PAPERS_CONFIG: config } }), message);
  });

  it('imported counts that are negative or past 2^53−1 are unknown (null), never stored as they came', async () => {
    const { run } = withDb();
    const file = join(tempDir(), 'listing.json');
    writeFileSync(file, JSON.stringify([{ paper: { id: '2506.00001v99999999999999999999', title: 'T', upvotes: 1e20, githubStars: -5, githubRepo: 'https://github.com/a/b' }, numComments: 1e308 }]));
    expect((await run(['import', file, '--date', '2025-06-09'])).code).toBe(0);
    const [paper] = JSON.parse((await run(['list', '--json'])).stdout);
    expect([paper.upvotes, paper.comments, paper.githubStars, paper.version]).toEqual([null, null, null, null]);
  });

  it.each(['-5', '1e9', 'Infinity', '99999999'])('COLUMNS=%s is ignored: lines keep the default width', async (columns) => {
    const { run } = await setup();
    const r = await run(['list'], { env: { PAPERS_FORCE_TTY: '1', NO_COLOR: '1', COLUMNS: columns } });
    expect(r.code).toBe(0);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(r.stdout.split('\n').length).toBeLessThan(60);
  });

  it.each(['99999999999999999999999999999d', '36501d'])('--max-age %s is a usage error', async (age) => {
    const { run } = await setup();
    expectUsage(await run(['today', '--max-age', age]), /invalid --max-age .* at most 36500d/);
    expectUsage(await run(['today'], { env: { PAPERS_MAX_AGE: age } }), /invalid PAPERS_MAX_AGE .* at most 36500d/);
  });
});

describe('malformed URLs', () => {
  it.each([
    ['show', 'https://arxiv.org/abs/%ZZ'],
    ['show', 'https://huggingface.co/papers/%E0%A4%A'],
    ['similar', 'https://arxiv.org/abs/%ZZ'],
    ['star', 'https://arxiv.org/abs/%'],
    ['open', 'https://arxiv.org/pdf/%ZZ'],
  ])('papers %s %s is a usage error, not an internal one', async (command, url) => {
    const { run } = await setup();
    expectUsage(await run([command, url], { env: { BROWSER: 'true' } }), /is not a valid URL: a malformed %-escape in its path/);
  });

  it('a well-formed %-escape still resolves', async () => {
    const { run } = await setup();
    const id = (await run(['list'])).stdout.split('\t')[0]!;
    const r = await run(['show', `https://arxiv.org/abs/${id.replace('.', '%2E')}`, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).id).toBe(id);
  });
});

describe('config paths that are not a readable file', () => {
  /** A fresh home folder; `env` runs papers with it and the default config path (PAPERS_TEST would skip it). */
  function home() {
    const dir = tempDir();
    return { dir, env: { HOME: dir, PAPERS_TEST: undefined } };
  }

  it.each([
    ['/dev/zero', /config file \/dev\/zero is a character device, not a file/],
    ['a directory', /config file \S+ is a directory, not a file/],
    ['a FIFO with no writer', /config file \S+ is a FIFO, not a file/],
    ['a 2 MB file', /config file \S+ is larger than 1 MB: not a config file/],
  ])('PAPERS_CONFIG naming %s is refused in one line, at once', async (what, message) => {
    const { db } = await setup();
    const dir = tempDir();
    let path = join(dir, 'config.json');
    if (what === '/dev/zero') path = '/dev/zero';
    else if (what === 'a directory') mkdirSync(path);
    else if (what === 'a FIFO with no writer') execFileSync('mkfifo', [path]);
    else writeFileSync(path, `{"limit": 5, "pager": "${'x'.repeat(2 * 1024 * 1024)}"}`);
    expectUsage(await runBounded(['list'], { env: { PAPERS_DB: db, PAPERS_CONFIG: path } }), message);
    // The same path as the default config file: still refused (it is there, and not a config).
    if (path !== '/dev/zero') {
      const h = home();
      mkdirSync(join(h.dir, '.config', 'papers'), { recursive: true });
      renameSync(path, join(h.dir, '.config', 'papers', 'config.json'));
      expectUsage(await runBounded(['list'], { env: { PAPERS_DB: db, ...h.env }, cwd: dir }), message);
    }
  }, 30_000);

  it.each([
    ['HOME is a file', (dir: string) => ({ HOME: join(dir, 'file') })],
    ['XDG_CONFIG_HOME is a file', (dir: string) => ({ XDG_CONFIG_HOME: join(dir, 'file') })],
    ['~/.config is a file', (dir: string) => (writeFileSync(join(dir, '.config'), ''), { HOME: dir })],
  ])('a default config path that cannot exist (%s) is no config', async (_what, env) => {
    const { run } = await setup();
    const h = home();
    writeFileSync(join(h.dir, 'file'), '');
    const r = await run(['list', '--limit', '2'], { env: { ...h.env, ...env(h.dir) } });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.code).toBe(0);
  });

  it('PAPERS_CONFIG=/dev/null is no config file', async () => {
    const { run } = await setup();
    const r = await run(['list', '--limit', '2'], { env: { PAPERS_CONFIG: '/dev/null' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('PAPERS_CONFIG under a file is still an error: it was asked for', async () => {
    const { run } = await setup();
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    expectUsage(await run(['list'], { env: { PAPERS_CONFIG: join(dir, 'file', 'config.json') } }), /cannot read config file \S+: ENOTDIR/);
  });

  const asUser = process.getuid?.() === 0 ? 65534 : undefined;
  it.skipIf(process.platform === 'win32')('an unreadable home is no config; an unreadable config file that is there is an error', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    const db = join(dir, 'papers.db');
    const h = home();
    mkdirSync(join(h.dir, '.config', 'papers'), { recursive: true });
    writeFileSync(join(h.dir, '.config', 'papers', 'config.json'), '{"limit": 1}');
    chmodSync(join(h.dir, '.config', 'papers', 'config.json'), 0o000);
    const env = { ...h.env, PAPERS_DB: db };
    const opts = { env, cwd: dir, ...(asUser !== undefined ? { uid: asUser } : {}) };
    // Home searchable: the file is there and unreadable, so its settings would be lost.
    chmodSync(h.dir, 0o755);
    expectUsage(await runPapers(['list'], opts), /cannot read config file ~\/\.config\/papers\/config\.json: EACCES/);
    // Home unreadable: nothing can be seen there, so there is no config.
    chmodSync(h.dir, 0o000);
    try {
      const r = await runPapers(['list'], opts);
      expect(r.stderr).toMatch(/^papers: no papers yet/);
      expect(r.code).toBe(1);
    } finally {
      chmodSync(h.dir, 0o755);
    }
  });
});

describe('inputs that never end', () => {
  it.skipIf(process.platform === 'win32')('import /dev/zero stops at the 256 MB cap with a usage error, not at the end of memory', async () => {
    const { db } = withDb();
    // Reading 256 MB takes a second or two; the kill is only for a run that would never end.
    expectUsage(await runBounded(['import', '/dev/zero'], { env: { PAPERS_DB: db } }, 25_000), /^papers: \/dev\/zero is larger than 256 MB, the limit for one listing\b/);
  }, 40_000);
});

describe('dates: one calendar, years 0001–9999, days that exist', () => {
  const item = (submittedOnDailyAt: string) => JSON.stringify([{ paper: { id: '2502.00001', title: 'A title', submittedOnDailyAt } }]);

  it.each(['2025-02-30T00:00:00.000Z', '2025-02-30', '0000-01-01T00:00:00.000Z', '9999-12-31T23:00:00-05:00'])(
    'imported JSON listed on %s is refused naming the paper and the date, and stores nothing',
    async (at) => {
      const { run } = withDb();
      const file = join(tempDir(), 'listing.json');
      writeFileSync(file, item(at));
      expectUsage(await run(['import', file, '--date', '2025-06-09']), new RegExp(`paper 2502\\.00001 has "submittedOnDailyAt" "${at.replace(/[.+]/g, '\\$&')}", not a day on the calendar \\(years 0001–9999\\)`));
      expect((await run(['list', '--since', '0001-01-01'])).code).toBe(1);
    },
  );

  it.each(['+010000-01-01T00:00:00Z', '0000-06-01T00:00:00Z'])('PAPERS_NOW=%s, off the calendar, is a usage error', async (now) => {
    const { run } = await setup();
    expectUsage(await run(['list'], { env: { PAPERS_NOW: now } }), /^papers: PAPERS_NOW is not a valid date \(years 0001–9999\)\n$/);
  });

  it('a real day imports under that day', async () => {
    const { run } = withDb();
    const file = join(tempDir(), 'listing.json');
    writeFileSync(file, item('2024-02-29T10:00:00.000Z'));
    expect((await run(['import', file])).code).toBe(0);
    expect((await run(['list', '--date', '2024-02-29'])).stdout).toMatch(/^2502\.00001\t/);
  });

  it('--week and --month agree at the end of the calendar; year 0000 is refused by every flag', async () => {
    const { run } = await setup();
    for (const args of [['--month', '9999-12'], ['--week', '9999-W52'], ['--date', '9999-12-31'], ['--since', '9999-12-27', '--until', '9999-12-31']]) {
      const r = await run(['list', ...args]);
      expect(r.stderr).toMatch(/^papers: no papers listed (on|from) 9999-12-\d\d( to 9999-12-31)?\n$/);
      expect(r.code).toBe(1);
    }
    for (const args of [['--month', '0000-12'], ['--week', '0000-W52'], ['--date', '0000-12-31'], ['--since', '0000-12-31']]) {
      expectUsage(await run(['list', ...args]), /^papers: invalid --(month|week|date|since) "0000-/);
    }
  });
});

describe('compatibility characters (ligatures, full-width letters): typed or stored, they match', () => {
  const ids = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t')[0]);

  /** Two papers: one written with ligatures (as PDF text is), one in plain letters. */
  async function ligatures() {
    const s = withDb();
    const file = join(tempDir(), 'listing.json');
    writeFileSync(file, JSON.stringify([
      { paper: { id: '2506.00001', title: 'Eﬃcient ﬁne-tuning of small models', summary: 'We study ﬂows.', authors: [{ name: 'Ada Griﬃn' }] } },
      { paper: { id: '2506.00002', title: 'Parameter-efficient fine-tuning revisited', summary: 'GPT adapters.', authors: [{ name: 'Alan Griffin' }] } },
    ]));
    expect((await s.run(['import', file, '--date', '2025-06-09'])).code).toBe(0);
    return s;
  }

  it('search: a ligature or full-width query finds plain text; a plain query finds text stored with ligatures', async () => {
    const { run } = await ligatures();
    for (const query of ['ﬁne-tuning', 'fine-tuning', 'FINE-TUNING', '"ﬁne tuning"', 'ﬁne*']) {
      const r = await run(['search', query]);
      expect(r.code, query).toBe(0);
      expect(ids(r.stdout).sort(), query).toEqual(['2506.00001', '2506.00002']);
    }
    expect(ids((await run(['search', 'ＧＰＴ'])).stdout)).toEqual(['2506.00002']);
    expect(ids((await run(['search', 'eﬃcient'])).stdout).sort()).toEqual(['2506.00001', '2506.00002']);
  });

  it('stored text has letters where the source had ligatures (they look the same)', async () => {
    const { run } = await ligatures();
    const paper = JSON.parse((await run(['show', '2506.00001', '--json'])).stdout);
    expect(paper.title).toBe('Efficient fine-tuning of small models');
    expect(paper.abstract).toBe('We study flows.');
    expect(paper.authors).toEqual(['Ada Griffin']);
  });

  it('grep, --author and the watch list match the same way', async () => {
    const { run } = await ligatures();
    for (const args of [['ﬁne-tun'], ['-F', 'ﬁne-tuning'], ['-i', 'ＦＩＮＥ'], ['fine-tun'], ['(ﬁne|xyz)-tuning']]) {
      const r = await run(['grep', ...args]);
      expect(r.code, args.join(' ')).toBe(0);
      expect(ids(r.stdout).sort(), args.join(' ')).toEqual(['2506.00001', '2506.00002']);
    }
    expect(ids((await run(['list', '--author', 'Griﬃn'])).stdout).sort()).toEqual(['2506.00001', '2506.00002']);
    expect((await run(['watch', 'add', 'ﬂows'])).code).toBe(0);
    expect(ids((await run(['list', '--watched'])).stdout)).toEqual(['2506.00001']);
    expect(JSON.parse((await run(['show', '2506.00001', '--json'])).stdout).watched).toEqual(['flows']);
    // The same term from the config file is that one term, not a second.
    const config = join(tempDir(), 'config.json');
    writeFileSync(config, '{"watch": ["ﬂows"]}');
    expect((await run(['watch', 'ls'], { env: { PAPERS_CONFIG: config } })).stdout).toBe('flows\n');
  });
});
