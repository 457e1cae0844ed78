/** `papers inbox` and `--sort fit`: what reaches the inbox, in which order, and what a run changes. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, stripAnsi } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);
const ids = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
const NOW = { env: { PAPERS_NOW: '2025-06-10T08:00:00Z' } };
const TTY = { env: { ...NOW.env, PAPERS_FORCE_TTY: '1', NO_COLOR: '1', COLUMNS: '100', LINES: '200' } };

interface Pick {
  id: string;
  title: string;
  score: number;
  why: string[];
}

async function setup() {
  const s = withDb();
  await s.run(['import', hf('hfdp-ml_2025-06-09.json'), hf('hfdp-zh_2024-03-12.json')]);
  return s;
}

describe('inbox', () => {
  it('with no feedback: the latest day by upvotes; with stars: papers like them first, with score and why', async () => {
    const { run } = await setup();
    const cold = await run(['inbox'], NOW);
    expect(cold.code).toBe(0);
    expect(ids(cold.stdout)[0]).toBe('2505.21115');
    expect(ids(cold.stdout)).toHaveLength(12);
    // Two audio papers starred; the GRPO paper dismissed.
    await run(['star', '2506.01111', '2506.05984']);
    await run(['dismiss', '2506.05433']);
    const picks = JSON.parse((await run(['inbox', '--json'], NOW)).stdout) as Pick[];
    const got = picks.map((p) => p.id);
    expect(got).not.toContain('2506.01111');
    expect(got).not.toContain('2506.05433');
    expect(got).toHaveLength(9);
    for (const p of picks) {
      expect(typeof p.score).toBe('number');
      expect(p.why.every((w) => /^[+-]/.test(w))).toBe(true);
    }
    expect([...picks].sort((a, b) => b.score - a.score).map((p) => p.id)).toEqual(got);
    // Deterministic: the same database ranks the same way.
    expect(JSON.parse((await run(['inbox', '--json'], NOW)).stdout)).toEqual(picks);
    const fields = JSON.parse((await run(['inbox', '--json=id,why', '--limit', '2'], NOW)).stdout) as object[];
    expect(fields.map((o) => Object.keys(o))).toEqual([['id', 'why'], ['id', 'why']]);
  });

  it('watched terms rank first before any star; ignored papers never appear', async () => {
    const { run } = await setup();
    await run(['watch', 'add', 'audio']);
    await run(['ignore', 'add', 'author:Jiatao Gu']);
    const picks = JSON.parse((await run(['inbox', '--json'], NOW)).stdout) as Pick[];
    expect(picks.slice(0, 2).map((p) => p.id).sort()).toEqual(['2506.01111', '2506.05984']);
    expect(picks[0]!.why[0]).toBe('+watch: audio');
    expect(picks.map((p) => p.id)).not.toContain('2506.06276');
  });

  it('on a terminal: a why line per paper, numbers for star/dismiss N, and the next inbox starts later; piped changes nothing', async () => {
    const { run } = await setup();
    await run(['star', '2506.01111']);
    const before = (await run(['inbox'], NOW)).stdout;
    expect((await run(['inbox'], NOW)).stdout).toBe(before);
    const tty = await run(['inbox'], TTY);
    const screen = stripAnsi(tty.stdout);
    expect(screen).toMatch(/^Inbox · from 2025-06-09 to 2025-06-10 · 11 papers\n\n +1 +▲/);
    expect(screen).toMatch(/\n {10,}[+-]\S/);
    expect(tty.stderr).toMatch(/^papers: ranked by a model of your 1 starred or read papers/);
    const first = ids(before)[0]!;
    expect((await run(['dismiss', '1'])).stderr).toBe('dismissed 1 paper\n');
    expect(ids((await run(['inbox'], NOW)).stdout)).not.toContain(first);
    // Days later the window starts at the last inbox's day, not before it.
    const later = await run(['inbox', '--json'], { env: { PAPERS_NOW: '2025-06-20T08:00:00Z' } });
    expect(later.code).toBe(0);
  });

  it('--source arxiv without a category: the default window is the latest day of any arXiv category, not today', async () => {
    const { run } = withDb();
    await run(['import', join(FIXTURES, 'arxiv', 'rss-cs.LG-2026-03-10.xml')]);
    const later = { env: { PAPERS_NOW: '2026-03-12T08:00:00Z' } };
    const r = await run(['inbox', '--source', 'arxiv', '--json=id,listedOn'], later);
    expect(r.code).toBe(0);
    const days = (JSON.parse(r.stdout) as Array<{ listedOn: string }>).map((p) => p.listedOn);
    expect(days.length).toBeGreaterThan(0);
    expect(new Set(days)).toEqual(new Set(['2026-03-10']));
    expect((await run(['inbox', '--source', 'arxiv:cs.LG', '--json=id'], later)).stdout).toBe((await run(['inbox', '--source', 'arxiv', '--json=id'], later)).stdout);
  });

  it('an empty window is exit 1 with a reason; a bad window is a usage error', async () => {
    const { run } = await setup();
    const r = await run(['inbox', '--since', '2025-06-01', '--until', '2025-06-02'], NOW);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^papers: nothing in the inbox from 2025-06-01 to 2025-06-02/);
    expect((await run(['inbox', '--until', '2025-06-02'], NOW)).code).toBe(2);
    expect((await run(['inbox', '--json', '--jsonl'], NOW)).code).toBe(2);
  });
});

describe('--sort fit', () => {
  it('orders list and search by the same ranking as the inbox', async () => {
    const { run } = await setup();
    await run(['watch', 'add', 'audio']);
    // Before any star: watched papers first, then upvotes, as the inbox does.
    const fit = ids((await run(['list', '--date', '2025-06-09', '--sort', 'fit'])).stdout);
    expect(fit.slice(0, 2).sort()).toEqual(['2506.01111', '2506.05984']);
    expect(fit.at(-1)).toBe('2506.05433');
    expect(ids((await run(['inbox'], NOW)).stdout)).toEqual(fit);
    // With a star, the other audio paper comes first among the listing's.
    await run(['watch', 'rm', 'audio']);
    await run(['star', '2506.01111']);
    expect(ids((await run(['list', '--date', '2025-06-09', '--sort', 'fit', '--limit', '3'])).stdout)).toContain('2506.05984');
    const found = ids((await run(['search', 'models', '--sort', 'fit', '--limit', '3'])).stdout);
    expect(found).toHaveLength(3);
  });
});
