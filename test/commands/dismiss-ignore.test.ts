/** Dismissals and ignore rules: what `--new` hides, what search still finds, what survives a refetch. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);
const ids = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
const DAY = ['--date', '2025-06-09'];

async function setup() {
  const s = withDb();
  await s.run(['import', hf('hfdp-ml_2025-06-09.json')]);
  return s;
}

describe('dismiss', () => {
  it('hides papers from --new, keeps them in a plain listing, and undismiss brings them back', async () => {
    const { run } = await setup();
    const all = ids((await run(['list', ...DAY])).stdout);
    expect(all).toContain('2506.01111');
    const r = await run(['dismiss', '2506.01111', '2506.05984', '2506.01111']);
    expect(r).toMatchObject({ code: 0, stderr: 'dismissed 2 papers\n' });
    expect((await run(['dismiss', '2506.01111'])).stderr).toBe('dismissed 1 paper (1 already dismissed)\n');
    expect(ids((await run(['list', ...DAY, '--new'])).stdout)).toEqual(all.filter((id) => id !== '2506.01111' && id !== '2506.05984'));
    expect(ids((await run(['list', ...DAY])).stdout)).toEqual(all);
    expect((await run(['undismiss', '2506.01111', '2506.05573'])).stderr).toBe('undismissed 2 papers (1 not dismissed)\n');
    expect(ids((await run(['list', ...DAY, '--new'])).stdout)).toContain('2506.01111');
  });

  it('one unknown paper changes nothing; a dismissal survives a re-import', async () => {
    const { run } = await setup();
    const bad = await run(['dismiss', '2506.01111', '2401.99999']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/2401\.99999 is not in the database/);
    expect(ids((await run(['list', ...DAY, '--new'])).stdout)).toContain('2506.01111');
    await run(['dismiss', '2506.01111']);
    await run(['import', hf('hfdp-ml_2025-06-09.json')]);
    expect(ids((await run(['list', ...DAY, '--new'])).stdout)).not.toContain('2506.01111');
  });
});

describe('ignore rules', () => {
  it('a term, an author and a category hide papers from --new; search still finds them', async () => {
    const { run } = await setup();
    const all = ids((await run(['list', ...DAY, '--new'])).stdout);
    const r = await run(['ignore', 'add', 'audio', 'author:jiatao gu', 'category:cs.RO']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('ignoring "audio"\nignoring author:jiatao gu\nignoring category:cs.RO\n');
    const left = ids((await run(['list', ...DAY, '--new'])).stdout);
    // Audio papers (by their text) and STARFlow (by its author) are gone, nothing else is.
    expect(left).not.toContain('2506.01111');
    expect(left).not.toContain('2506.05984');
    expect(left).not.toContain('2506.06276');
    expect(left).toContain('2506.05433');
    expect(left.length).toBeLessThan(all.length);
    expect(ids((await run(['search', 'audio', 'captioning'])).stdout)).toContain('2506.01111');
    expect((await run(['ignore', 'ls'])).stdout).toBe('audio\nauthor:jiatao gu\ncategory:cs.RO\n');
    expect(JSON.parse((await run(['ignore', 'ls', '--json'])).stdout)).toEqual([
      { kind: 'term', value: 'audio' },
      { kind: 'author', value: 'jiatao gu' },
      { kind: 'category', value: 'cs.RO' },
    ]);
    expect((await run(['ignore', 'add', 'AUDIO'])).stderr).toBe('already ignoring "AUDIO"\n');
    expect((await run(['ignore', 'rm', 'audio', 'author:Jiatao Gu'])).stderr).toBe('removed 2 rules\n');
    expect(ids((await run(['list', ...DAY, '--new'])).stdout)).toContain('2506.01111');
    const missing = await run(['ignore', 'rm', 'nothing']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('papers: no such ignore rule: "nothing"\n');
  });

  it('refuses a rule that names nothing', async () => {
    const { run } = await setup();
    expect(await run(['ignore', 'add', 'author:'])).toMatchObject({ code: 2, stderr: 'papers: "author:" names no author\n' });
    expect((await run(['ignore', 'add', '--', '--'])).code).toBe(2);
    expect(await run(['ignore', 'ls'])).toMatchObject({ code: 1, stdout: '' });
  });
});
