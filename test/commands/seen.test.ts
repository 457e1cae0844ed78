/**
 * Seen marks tell the truth: a terminal listing marks seen only what was displayed, so
 * `--new` never hides a paper the pager kept off screen; `papers seen`/`unseen` and
 * `--mark-seen` set the marks by hand or from a script.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, stripAnsi } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';

const TTY = { PAPERS_FORCE_TTY: '1', NO_COLOR: '1', COLUMNS: '100' };
/** A screen tall enough for the whole listing (12 papers, 33 lines at 100 columns). */
const TALL = { ...TTY, LINES: '200' };
/** A 20-line screen: the pager's first screen holds 19 lines. */
const SHORT = { ...TTY, LINES: '20' };
const ids = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);

// A pager that shows nothing itself: it records what it was given, so a test sees the text
// went through it (stdout stays empty) and what its first screen held.
const dir = mkdtempSync(join(tmpdir(), 'papers-seen-'));
const log = join(dir, 'paged.txt');
const PAGER = join(dir, 'pager.sh');
writeFileSync(PAGER, `#!/bin/sh\ncat > ${log}\n`);
chmodSync(PAGER, 0o755);

async function setup() {
  const s = withDb();
  const imported = await s.run(['import', join(FIXTURES, 'hf-api', 'hfdp-ml_2025-06-09.json')]);
  expect(imported.code, imported.stderr).toBe(0);
  const all = ids((await s.run(['list'])).stdout);
  expect(all).toHaveLength(12);
  return { ...s, all };
}

/** The ids whose whole entry lies within the first `lines` lines of a terminal listing, read off the text itself. */
function wholeWithin(text: string, lines: number): string[] {
  const rows = stripAnsi(text).split('\n');
  const starts = rows.flatMap((l, i) => (/^ +\d+ +▲ +\d+ +\S+ /.test(l) ? [i] : []));
  const out: string[] = [];
  starts.forEach((start, k) => {
    // An entry runs to the line before the next one starts (or to the last line of the text).
    const end = k + 1 < starts.length ? starts[k + 1]! : rows.length - 1;
    if (end <= lines) out.push(/^ +\d+ +▲ +\d+ +(\S+)/.exec(rows[start]!)![1]!);
  });
  return out;
}

describe('a terminal listing marks seen what was displayed', () => {
  it('a listing that fits the screen marks every paper', async () => {
    const { run } = await setup();
    const r = await run(['list'], { env: { ...TALL, PAGER } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(log, 'utf8')).toMatch(/^Daily Papers · 2025-06-09 · 12 papers/);
    expect((await run(['list', '--new'])).code).toBe(1);
  });

  it('through a pager and longer than the screen: only the papers whose whole entry is on its first screen; --new shows the rest', async () => {
    const { run, all } = await setup();
    writeFileSync(log, '');
    const r = await run(['list'], { env: { ...SHORT, PAGER } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout, 'went through the pager').toBe('');
    const paged = readFileSync(log, 'utf8');
    expect(paged.split('\n').length - 1, 'longer than the screen').toBeGreaterThan(19);
    const firstScreen = wholeWithin(paged, 19);
    // At 100 columns entry 6 ends on line 17 and entry 7 on line 20 (header: 2 lines).
    expect(firstScreen).toEqual(all.slice(0, 6));
    expect(ids((await run(['list', '--new'])).stdout)).toEqual(all.slice(6));
    // PAGER=cat is a pager as far as papers can tell: the same rule (its output, in this
    // process, would go to the test's own terminal).
    const { run: run2, all: all2 } = await setup();
    await run2(['list'], { env: { ...SHORT, PAGER: 'cat > /dev/null' } });
    expect(ids((await run2(['list', '--new'])).stdout)).toEqual(all2.slice(6));
  });

  it('the screen height comes from LINES; without it (and no terminal to ask) 24 lines', async () => {
    const { run, all } = await setup();
    const r = await run(['list'], { env: { ...TTY, PAGER } });
    expect(r.code, r.stderr).toBe(0);
    const seen = wholeWithin(readFileSync(log, 'utf8'), 23);
    expect(seen.length).toBeGreaterThan(6);
    expect(seen.length).toBeLessThan(12);
    expect(ids((await run(['list', '--new'])).stdout)).toEqual(all.slice(seen.length));
  });

  it.each([
    ['--no-pager', ['--no-pager', 'list'], { PAGER }],
    ["PAGER=''", ['list'], { PAGER: '' }],
    ['a pager that is not installed', ['list'], { PAGER: 'no-such-pager-xyz' }],
  ])('printed without a pager (%s): every printed paper counts as displayed', async (_, args, env) => {
    const { run } = await setup();
    const r = await run(args, { env: { ...SHORT, ...env } });
    expect(r.stdout).toMatch(/^Daily Papers · 2025-06-09 · 12 papers/);
    expect((await run(['list', '--new'])).code).toBe(1);
  });

  it('a piped listing marks nothing; --mark-seen marks what it printed, in a pipe and as JSON', async () => {
    const { run, all } = await setup();
    await run(['list']);
    await run(['list', '--json']);
    expect(ids((await run(['list', '--new'])).stdout)).toEqual(all);
    const three = await run(['list', '--limit', '3', '--mark-seen']);
    expect(ids(three.stdout)).toEqual(all.slice(0, 3));
    expect(ids((await run(['list', '--new'])).stdout)).toEqual(all.slice(3));
    // The notifier pattern: each run passes on what is new, once.
    const jsonl = await run(['today', '--new', '--mark-seen', '--jsonl']);
    expect(jsonl.code, jsonl.stderr).toBe(0);
    expect(jsonl.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(all.slice(3));
    const again = await run(['today', '--new', '--mark-seen', '--jsonl']);
    expect(again).toMatchObject({ code: 1, stdout: '' });
  });

  it('--mark-seen on a terminal marks every printed paper, past the first screen too', async () => {
    const { run } = await setup();
    await run(['list', '--mark-seen'], { env: { ...SHORT, PAGER } });
    expect((await run(['list', '--new'])).code).toBe(1);
  });
});

describe('papers seen and unseen', () => {
  it('seen --last marks the rest of the last listing; unseen --last removes exactly the marks it made', async () => {
    const { run, all } = await setup();
    // Seen before the listing: one that will be on the first screen, one that will not; one read by hand.
    expect((await run(['seen', all[0]!, all[10]!])).stderr).toBe('marked 2 papers seen\n');
    expect((await run(['read', all[8]!])).code).toBe(0);
    await run(['list'], { env: { ...SHORT, PAGER } });
    const rest = all.slice(6).filter((id) => id !== all[8] && id !== all[10]);
    expect(ids((await run(['list', '--new'])).stdout)).toEqual(rest);
    const seen = await run(['seen', '--last']);
    expect(seen).toMatchObject({ code: 0, stdout: '' });
    expect(seen.stderr).toBe(`marked 12 papers of the last list seen (${12 - rest.length} already seen)\n`);
    expect((await run(['list', '--new'])).code).toBe(1);
    const unseen = await run(['unseen', '--last']);
    expect(unseen.code, unseen.stderr).toBe(0);
    expect(unseen.stderr).toMatch(/^marked 9 papers of the last list unseen \(the 3 others/);
    // As before the listing: the papers seen or read before it are still hidden by --new.
    expect(ids((await run(['list', '--new'])).stdout)).toEqual(all.filter((id) => ![all[0], all[8], all[10]].includes(id)));
    // Nothing left to undo.
    expect((await run(['unseen', '--last'])).stderr).toMatch(/^marked 0 papers of the last list unseen/);
  });

  it('seen - reads references from standard input, one a line (piped listing lines too)', async () => {
    const { run, all } = await setup();
    const r = await run(['seen', '-'], { input: `${all[0]}\n\n${all[1]}\n` });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'marked 2 papers seen\n' });
    const piped = (await run(['list', '--new'])).stdout;
    const rest = await run(['seen', '-'], { input: piped });
    expect(rest.stderr).toBe('marked 10 papers seen\n');
    expect((await run(['list', '--new'])).code).toBe(1);
    // What was already seen is counted as such.
    expect((await run(['seen', '-', all[2]!], { input: `${all[1]}\n` })).stderr).toBe('marked 2 papers seen (2 already seen)\n');
  });

  it('seen by number from the last terminal list; unseen removes seen marks, never a read mark', async () => {
    const { run, all } = await setup();
    await run(['list', '--limit', '3', '--date', '2025-06-09'], { env: { ...TALL, PAGER } });
    await run(['read', all[0]!]);
    const r = await run(['unseen', '1', '2', all[5]!]);
    expect(r.stderr).toBe('marked 2 papers unseen (1 already unseen); 1 paper marked read by hand stays read: `papers unread` removes that mark\n');
    expect(ids((await run(['list', '--new'])).stdout)).toEqual([all[1], ...all.slice(3)]);
    expect((await run(['seen', '2'])).stderr).toBe('marked 1 paper seen\n');
    expect(ids((await run(['list', '--new'])).stdout)).toEqual(all.slice(3));
  });

  it('one bad reference changes nothing; no papers, or papers and --last, are usage errors', async () => {
    const { run, all } = await setup();
    const missing = await run(['seen', all[0]!, '2401.99999']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe('papers: paper 2401.99999 is not in the database\n');
    const bad = await run(['seen', '-', 'not-a-paper'], { input: `${all[1]}\n` });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^papers: "not-a-paper" is not a paper id/);
    expect(ids((await run(['list', '--new'])).stdout)).toEqual(all);
    expect((await run(['seen'])).code).toBe(2);
    expect((await run(['unseen', '--last', '3'])).code).toBe(2);
    const noList = await run(['seen', '--last']);
    expect(noList.code).toBe(2);
    expect(noList.stderr).toMatch(/^papers: no last list/);
  });
});

describe('nothing new', () => {
  it('today --new with everything seen says since when, and exits 1', async () => {
    const { run } = await setup();
    await run(['today'], { env: TALL });
    const r = await run(['today', '--new']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^papers: no papers listed on 2025-06-10 .*showing 2025-06-09/);
    expect(r.stderr).toMatch(
      /\npapers: nothing new since 08:00 UTC \(all 12 papers of 2025-06-09 were shown or marked read; `papers today` shows them again\)\n$/,
    );
    const list = await run(['list', '--date', '2025-06-09', '--new']);
    expect(list.stderr).toBe('papers: nothing new since 08:00 UTC (all 12 papers of 2025-06-09 were shown or marked read; `papers list --date 2025-06-09` shows them again)\n');
  });

  it('seen on an earlier day: the date; with other filters that match: says so; empty for them anyway: the old message', async () => {
    const { run } = await setup();
    await run(['list'], { env: { ...TALL, PAPERS_NOW: '2025-06-09T21:30:00Z' } });
    const r = await run(['list', '--new', '--min-upvotes', '9']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('papers: nothing new since 2025-06-09 (all 5 papers of 2025-06-09 that match the filters were shown or marked read; `papers list --date 2025-06-09` shows them again)\n');
    const one = await run(['list', '--new', '--min-upvotes', '40']);
    expect(one.stderr).toBe('papers: nothing new since 2025-06-09 (the 1 paper of 2025-06-09 that matches the filters was shown or marked read; `papers list --date 2025-06-09` shows it again)\n');
    const range = await run(['list', '--new', '--since', '2025-06-08', '--until', '2025-06-09']);
    expect(range).toMatchObject({ code: 1, stdout: '' });
    expect(range.stderr).toBe('papers: nothing new since 2025-06-09 (all 12 papers listed from 2025-06-08 to 2025-06-09 were shown or marked read; `papers list --since 2025-06-08 --until 2025-06-09` shows them again)\n');
    const none = await run(['list', '--new', '--min-upvotes', '1000']);
    expect(none).toMatchObject({ code: 1, stderr: 'papers: no papers listed on 2025-06-09 that match the filters\n' });
    const today = await run(['today', '--new', '--min-upvotes', '1000']);
    expect(today.stderr).toMatch(/\npapers: no papers listed on 2025-06-09 that match the filters\n$/);
  });
});
