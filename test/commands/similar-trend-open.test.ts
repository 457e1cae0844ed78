/** `papers similar`, `trend` and `open`, in both terminal and piped modes. */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, stripAnsi } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';
import { bar } from '../../src/render/chart.js';
import { openerFor } from '../../src/commands/open.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);
const { run } = withDb();
beforeAll(async () => {
  await run(['import', hf('hfdp-ml_2025-06-09.json'), hf('hfdp-zh_2024-03-12.json'), hf('hfdp-zh_2024-03-13.json'), hf('hfdp-zh_2024-04-04.json')]);
});

describe('papers similar', () => {
  it('finds related papers and never the paper itself', async () => {
    const r = await run(['similar', '2403.06634', '--jsonl']);
    expect(r.code).toBe(0);
    const ids = r.stdout.trim().split('\n').map((l) => JSON.parse(l).id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThanOrEqual(10);
    expect(ids).not.toContain('2403.06634');
    expect(r.stderr).toMatch(/^papers: papers like 2403\.06634, by: /);
  });

  it('--limit and a TTY listing with the terms in the header', async () => {
    const r = await run(['similar', '2403.06634', '--limit', '2'], { env: { PAPERS_FORCE_TTY: '1', NO_COLOR: '1' } });
    expect(r.stdout).toMatch(/^Papers like 2403\.06634 · by /);
    expect(r.stdout.match(/^ +\d  /gm)).toHaveLength(2);
  });

  it('an unknown paper is exit 1', async () => {
    const r = await run(['similar', '2401.99999']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not in the database/);
  });
});

describe('papers trend', () => {
  const env = { PAPERS_NOW: '2024-04-05T00:00:00Z' };
  it('piped: a header and one tab-separated row per period', async () => {
    const r = await run(['trend', 'language', 'model', '--by', 'day', '--since', '2024-03-12'], { env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('period\tlisted\tlanguage\tmodel');
    // 2024-03-12 … 2024-04-04, gaps included.
    expect(lines).toHaveLength(1 + 24);
    const first = lines[1]!.split('\t');
    expect(first[0]).toBe('2024-03-12');
    expect(first[1]).toBe('9');
    expect(lines.find((l) => l.startsWith('2024-03-20'))).toBe('2024-03-20\t0\t0\t0');
  });

  it('--json gives periods with counts per term', async () => {
    const r = await run(['trend', 'language', '--by', 'month', '--since', '2024-01-01', '--json'], { env });
    const data = JSON.parse(r.stdout);
    expect(data.map((d: { period: string }) => d.period)).toEqual(['2024-03', '2024-04']);
    expect(data[0]).toMatchObject({ listed: 17 });
    expect(data[0].counts.language).toBeGreaterThan(0);
  });

  it('on a TTY: bars of Unicode blocks with counts at their ends, one row per week', async () => {
    const r = await run(['trend', 'language', 'model', '--since', '2024-03-01'], { env: { ...env, PAPERS_FORCE_TTY: '1', COLUMNS: '80' } });
    const text = stripAnsi(r.stdout);
    expect(text.split('\n')[0]).toMatch(/^ +language +model$/);
    expect(text).toMatch(/^2024-W11  █+[▏▎▍▌▋▊▉]? \d+/m);
  });

  it('no matches at all is exit 1', async () => {
    const r = await run(['trend', 'qqqzzz', '--since', '2024-03-01'], { env });
    expect(r.code).toBe(1);
  });

  it.each([
    [0, 10, 10, ''],
    [10, 10, 4, '████'],
    [5, 10, 4, '██'],
    [1, 10, 4, '▍'],
    [1, 1000, 4, '▏'],
  ])('bar(%i of %i, %i cols) = %j', (v, max, w, expected) => expect(bar(v, max, w)).toBe(expected));
});

describe('papers open', () => {
  const dir = mkdtempSync(join(tmpdir(), 'papers-open-'));
  const log = join(dir, 'opened.txt');
  const browser = join(dir, 'browser.sh');
  writeFileSync(browser, `#!/bin/sh\nprintf '%s\\n' "$@" > ${log}\n`);
  chmodSync(browser, 0o755);

  it('opens the HF page with $BROWSER, or the PDF with --pdf', async () => {
    const r = await run(['open', '2403.06634'], { env: { BROWSER: browser } });
    expect(r.code).toBe(0);
    await new Promise((res) => setTimeout(res, 300)); // the opener runs detached
    expect(readFileSync(log, 'utf8')).toBe('https://huggingface.co/papers/2403.06634\n');
    await run(['open', '2403.06634', '--pdf'], { env: { BROWSER: browser } });
    await new Promise((res) => setTimeout(res, 300));
    expect(readFileSync(log, 'utf8')).toBe('https://arxiv.org/pdf/2403.06634\n');
  });

  it('--print prints the URL; a paper without GitHub says so', async () => {
    expect((await run(['open', '2403.06634', '--print', '--pdf'])).stdout).toBe('https://arxiv.org/pdf/2403.06634\n');
    const r = await run(['open', '2403.06634', '--github']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has no GitHub repository/);
  });

  it('never opens anything but http(s), even if the data says so', async () => {
    const { run: run2 } = withDb();
    const body = JSON.stringify([{ paper: { id: '2506.00009', title: 'Evil', summary: 'x', githubRepo: 'file:///etc/passwd', upvotes: 1 }, numComments: 0 }]);
    await run2(['import', '--date', '2025-06-09', '-'], { input: body });
    writeFileSync(log, 'untouched');
    const r = await run2(['open', '2506.00009', '--github'], { env: { BROWSER: browser } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to open "file:\/\/\/etc\/passwd": not an http\(s\) URL/);
    await new Promise((res) => setTimeout(res, 300));
    expect(readFileSync(log, 'utf8')).toBe('untouched');
  });

  it.each([
    [{ BROWSER: 'firefox' }, 'linux', { cmd: 'firefox', args: ['https://x.org/'] }],
    [{ BROWSER: 'w3m -dump %s:lynx' }, 'linux', { cmd: 'w3m', args: ['-dump', 'https://x.org/'] }],
    [{}, 'linux', { cmd: 'xdg-open', args: ['https://x.org/'] }],
    [{}, 'darwin', { cmd: 'open', args: ['https://x.org/'] }],
    [{}, 'win32', { cmd: 'cmd', args: ['/c', 'start', '""', 'https://x.org/'] }],
  ] as const)('opener for %j on %s', (env, platform, expected) => {
    expect(openerFor('https://x.org/', env, platform)).toEqual(expected);
  });
});
