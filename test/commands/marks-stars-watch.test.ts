/** Read marks, stars, the watch list and the pager, in TTY-like and piped modes. */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, stripAnsi } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);
const TTY = { PAPERS_FORCE_TTY: '1', NO_COLOR: '1', COLUMNS: '100' };
const ids = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);

async function setup() {
  const s = withDb();
  await s.run(['import', hf('hfdp-ml_2025-06-09.json'), hf('hfdp-zh_2024-03-12.json')]);
  return s;
}

describe('read marks', () => {
  it('a terminal listing marks papers as seen; a piped one never does', async () => {
    const { run } = await setup();
    const all = ids((await run(['list'])).stdout);
    expect(all).toHaveLength(12);
    // Piped output, twice: nothing is marked.
    await run(['list']);
    expect(ids((await run(['list', '--new'])).stdout)).toEqual(all);
    // On a terminal, the first 5 are shown and so marked.
    await run(['list', '--limit', '5'], { env: TTY });
    expect(ids((await run(['list', '--new'])).stdout)).toEqual(all.slice(5));
    // `papers read` and `unread` by number and id.
    await run(['read', all[5]!, all[6]!]);
    expect(ids((await run(['list', '--new'])).stdout)).toEqual(all.slice(7));
    const r = await run(['unread', all[0]!]);
    expect(r.stderr).toBe('marked unread 1 paper\n');
    expect(ids((await run(['list', '--new'])).stdout)).toEqual([all[0], ...all.slice(7)]);
  });

  it('everything read: --new is exit 1 with a message', async () => {
    const { run } = await setup();
    // A screen tall enough for all 12: a longer listing marks only the pager's first screen (test/e2e/seen.test.ts).
    await run(['list'], { env: { ...TTY, LINES: '100' } });
    const r = await run(['list', '--new']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/nothing new since 08:00 UTC \(all 12 papers of 2025-06-09 were shown or marked read/);
  });

  it('one unknown reference changes nothing', async () => {
    const { run } = await setup();
    const r = await run(['read', '2403.06634', '2401.99999']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2401\.99999 is not in the database/);
    expect(ids((await run(['list', '--date', '2024-03-12', '--new'])).stdout)).toContain('2403.06634');
  });
});

describe('stars', () => {
  it('star by number from the last terminal listing; --starred alone lists every starred paper', async () => {
    const { run } = await setup();
    const listed = stripAnsi((await run(['list', '--date', '2024-03-12', '--sort', 'title'], { env: TTY })).stdout);
    const second = /^ +2 .*?(\d{4}\.\d{5})/m.exec(listed)![1]!;
    expect((await run(['star', '2', '2506.01111'])).stderr).toBe('starred 2 papers\n');
    expect((await run(['star', '2'])).stderr).toBe('starred 1 paper (1 already starred)\n');
    expect(ids((await run(['list', '--starred'])).stdout).sort()).toEqual([second, '2506.01111'].sort());
    const tty = await run(['list', '--starred'], { env: TTY });
    expect(tty.stdout).toMatch(/^Starred · 2 papers/);
    await run(['unstar', second]);
    expect(ids((await run(['list', '--starred'])).stdout)).toEqual(['2506.01111']);
  });

  it('stars survive a refetch of the same day', async () => {
    const { run } = await setup();
    await run(['star', '2403.06634']);
    await run(['import', hf('hfdp-zh_2024-03-12.json')]);
    expect(ids((await run(['list', '--starred'])).stdout)).toEqual(['2403.06634']);
  });
});

describe('watch list', () => {
  it('marks and highlights watched papers on a terminal, with a one-line summary on stderr', async () => {
    const { run } = await setup();
    await run(['watch', 'add', 'language model', 'stealing']);
    expect((await run(['watch', 'ls'])).stdout).toBe('language model\nstealing\n');
    const r = await run(['list', '--date', '2024-03-12', '--color', 'always'], { env: { ...TTY, NO_COLOR: '' } });
    expect(r.stderr).toMatch(/^\d+ papers match your watch list: language model ×\d+, stealing ×1\n$/);
    expect(r.stdout).toMatch(/\x1b\[31mStealing\x1b\[39m/);
    expect(stripAnsi(r.stdout)).toMatch(/◆ language model, stealing/);
  });

  it('piped: no summary; --watched filters; JSON carries watched terms', async () => {
    const { run } = await setup();
    await run(['watch', 'add', 'stealing']);
    const piped = await run(['list', '--date', '2024-03-12']);
    expect(piped.stderr).toBe('');
    expect(ids((await run(['list', '--date', '2024-03-12', '--watched'])).stdout)).toEqual(['2403.06634']);
    const json = JSON.parse((await run(['list', '--date', '2024-03-12', '--json'])).stdout) as Array<{ id: string; watched: string[] }>;
    expect(json.find((p) => p.id === '2403.06634')!.watched).toEqual(['stealing']);
    expect(json.filter((p) => p.watched.length > 0)).toHaveLength(1);
    const shown = JSON.parse((await run(['show', '2403.06634', '--json'])).stdout);
    expect(shown.watched).toEqual(['stealing']);
  });

  it('an empty watch list: --watched matches nothing (exit 1); rm of an unknown term is exit 1', async () => {
    const { run } = await setup();
    expect((await run(['list', '--watched'])).code).toBe(1);
    expect((await run(['watch', 'ls'])).code).toBe(1);
    const rm = await run(['watch', 'rm', 'nope']);
    expect(rm.code).toBe(1);
    expect(rm.stderr).toBe('papers: not on the watch list: "nope"\n');
    expect((await run(['watch', 'add', '***'])).code).toBe(2);
  });

  it('r14_watch_cap: the watch list holds at most 100 terms; a command that would pass it adds nothing (exit 2), and so does a config with more', async () => {
    const { run } = withDb();
    const terms = Array.from({ length: 99 }, (_, i) => `term${i}`);
    expect((await run(['watch', 'add', ...terms])).code).toBe(0);
    const over = await run(['watch', 'add', 'one more', 'and another', 'TERM1']);
    expect(over).toMatchObject({ code: 2, stdout: '' });
    expect(over.stderr).toBe('papers: the watch list holds at most 100 terms (it has 99, 2 more asked for); remove some with `papers watch rm TERM`\n');
    expect((await run(['watch', 'ls'])).stdout.trim().split('\n')).toHaveLength(99);
    expect((await run(['watch', 'add', 'one more', 'TERM1'])).code).toBe(0);
    const config = join(mkdtempSync(join(tmpdir(), 'papers-watch-')), 'config.json');
    writeFileSync(config, JSON.stringify({ watch: Array.from({ length: 101 }, (_, i) => `w${i}`) }));
    const fromConfig = await run(['watch', 'ls'], { env: { PAPERS_CONFIG: config } });
    expect(fromConfig.code).toBe(2);
    expect(fromConfig.stderr).toMatch(/"watch".*must hold at most 100 terms/);
  });
});

describe('pager', () => {
  const dir = mkdtempSync(join(tmpdir(), 'papers-pager-'));
  const log = join(dir, 'paged.txt');
  const pager = join(dir, 'pager.sh');
  writeFileSync(pager, `#!/bin/sh\ncat > ${log}\n`);
  chmodSync(pager, 0o755);

  it('terminal output goes through $PAGER; --no-pager and pipes bypass it', async () => {
    const { run } = await setup();
    writeFileSync(log, '');
    const paged = await run(['list'], { env: { ...TTY, PAGER: pager } });
    expect(paged.stdout).toBe('');
    expect(readFileSync(log, 'utf8')).toMatch(/^Daily Papers · 2025-06-09 · 12 papers/);
    writeFileSync(log, '');
    const direct = await run(['--no-pager', 'list'], { env: { ...TTY, PAGER: pager } });
    expect(direct.stdout).toMatch(/^Daily Papers/);
    const piped = await run(['list'], { env: { PAGER: pager } });
    expect(piped.stdout.split('\n')).toHaveLength(13);
    expect(readFileSync(log, 'utf8')).toBe('');
  });

  it('a pager that is not installed falls back to printing', async () => {
    const { run } = await setup();
    const r = await run(['show', '2403.06634'], { env: { ...TTY, PAGER: 'no-such-pager-xyz' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Stealing Part of a Production Language Model/);
  });
});

describe('a database busy with another writer', () => {
  // Another process's write transaction, held open while papers runs (as during an import).
  async function whileLocked<T>(db: string, body: () => Promise<T>): Promise<T> {
    const { default: Database } = await import('better-sqlite3');
    const other = new Database(db);
    other.exec('BEGIN IMMEDIATE');
    try {
      return await body();
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  }

  it('a terminal listing still prints, and says its numbers were not saved (PAPERS_BUSY_TIMEOUT)', async () => {
    const { db, run } = await setup();
    await run(['list', '--date', '2024-03-12', '--limit', '3'], { env: TTY });
    const first = ids((await run(['list', '--date', '2024-03-12', '--limit', '3'])).stdout);
    const r = await whileLocked(db, () => run(['list', '--date', '2025-06-09', '--limit', '3'], { env: { ...TTY, PAPERS_BUSY_TIMEOUT: '0.2' } }));
    expect(r.code).toBe(0);
    expect(stripAnsi(r.stdout)).toMatch(/^ *1 /m);
    expect(r.stderr).toBe('papers: note: the database is busy (another papers is writing), so these numbers were not saved: `papers show N` still means the previous list\n');
    // Number 1 is still the first paper of the earlier list, as the note says.
    expect((await run(['show', '1', '--json'])).stdout).toContain(`"id": "${first[0]}"`);
  });

  it('a write waits PAPERS_BUSY_TIMEOUT seconds, then fails with exit 5; a bad value is a usage error', async () => {
    const { db, run } = await setup();
    const r = await whileLocked(db, () => run(['star', '2403.06634'], { env: { PAPERS_BUSY_TIMEOUT: '0.2' } }));
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^papers: .* is locked by another papers process; try again in a moment\n$/);
    const bad = await run(['list'], { env: { PAPERS_BUSY_TIMEOUT: 'soon' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('papers: invalid PAPERS_BUSY_TIMEOUT "soon": expected seconds, e.g. 10 or 0.5 (0: do not wait)\n');
  });
});
