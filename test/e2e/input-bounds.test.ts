/**
 * Input at and past its bounds — huge numbers, malformed URLs, config paths that are not
 * files, impossible dates, compatibility characters — is a usage error (exit 2) in one
 * line, or works; never a database error, an internal error, a hang or gigabytes of memory.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, withDb } from '../support/run.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);
const tempDir = () => mkdtempSync(join(tmpdir(), 'papers-bounds-'));

async function setup() {
  const s = withDb();
  const r = await s.run(['import', hf('hfdp-ml_2025-06-09.json')]);
  expect(r.code).toBe(0);
  return s;
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
