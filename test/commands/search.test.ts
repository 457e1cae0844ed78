/**
 * `papers search`: ranking, stemming, highlights, empty and refused queries.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { stripAnsi } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';
import { hf } from '../support/papers.js';

describe('search', () => {
  const { run } = withDb();
  beforeAll(async () => {
    await run(['import', hf('hfdp-ml_2025-06-09.json'), hf('hfdp-zh_2024-03-12.json')]);
  });

  it('ranks by bm25 and prints id, upvotes, day, title when piped', async () => {
    const r = await run(['search', 'stealing', 'production', 'model']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^2403\.06634\t\d+\t2024-03-12\tStealing Part of a Production Language Model$/);
  });

  it('stems: "steal" finds "Stealing"', async () => {
    const r = await run(['search', 'steal']);
    expect(r.stdout).toMatch(/^2403\.06634\t/m);
  });

  it('highlights matches in title and snippet on a TTY', async () => {
    const r = await run(['search', 'stealing', '--color', 'always'], { env: { PAPERS_FORCE_TTY: '1', COLUMNS: '100' } });
    expect(r.stdout).toMatch(/\x1b\[1m\x1b\[31mStealing\x1b\[39m\x1b\[22m/);
    expect(stripAnsi(r.stdout)).toMatch(/^1 paper matching "stealing"/);
  });

  it('nothing found: exit 1, nothing on stdout', async () => {
    const r = await run(['search', 'qqqxyzzy']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'papers: no papers match "qqqxyzzy"\n' });
  });

  it.each([['"'], ['NEAR('], [')'], ["'; DROP TABLE papers; --"], ['\\'], ['AND'], ['model*'], ['"language model']])(
    'user text %j is data, never syntax',
    async (q) => {
      const r = await run(['search', q]);
      // 0/1: searched; 2: nothing searchable was left ("nothing to search for").
      expect([0, 1, 2]).toContain(r.code);
      if (r.code === 2) expect(r.stderr).toMatch(/^papers: nothing to search for/);
      expect(r.stderr).not.toMatch(/syntax|SQLITE|unexpected/i);
    },
  );

  it('only punctuation is a usage error', async () => {
    const r = await run(['search', '***']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to search for/);
  });

  it('r14_repeated_prefix_terms: a term typed many times is searched once, with the same results', async () => {
    const once = await run(['search', 'mod*', 'language']);
    const many = await run(['search', ...Array(100).fill('mod*'), 'Language', 'language', 'MOD*']);
    expect(once.code).toBe(0);
    expect(many).toMatchObject({ code: 0, stdout: once.stdout, stderr: '' });
  });

  it.each([
    ['5 different prefix terms', ['a*', 'b*', 'c*', 'd*', 'e*'], /^papers: the search has 5 different terms, 5 of them ending in \*; at most 64 terms and 4 ending in \* are searched\n$/],
    ['65 different terms', Array.from({ length: 65 }, (_, i) => `w${i}`), /^papers: the search has 65 different terms, 0 of them ending in \*; at most 64 terms and 4 ending in \* are searched\n$/],
    ['1,001 characters', ['x'.repeat(1001)], /^papers: the search text is 1,001 characters long; at most 1,000 are searched\n$/],
  ])('r14_query_cap: %s is a usage error (exit 2) naming the cap', async (_name, terms, message) => {
    const r = await run(['search', ...terms]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(message);
  });

  it('r14_query_cap: a watched term over the cap is refused too, and trend series together obey the caps', async () => {
    const r = await run(['watch', 'add', 'x'.repeat(1001)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at most 1,000 are searched/);
    const trend = await run(['trend', 'a*', 'b*', 'c*', 'd*', 'e*', 'a*']);
    expect(trend).toMatchObject({ code: 2, stdout: '' });
    expect(trend.stderr).toMatch(/^papers: the search has 5 different terms, 5 of them ending in \*; at most 64 terms and 4 ending in \* are searched\n$/);
  });
});
