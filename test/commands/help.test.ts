/** `papers help`: topics (exit codes, JSON) and per-command help. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { importedDb } from '../support/papers.js';

const { run } = importedDb();

describe('help', () => {
  it('help exit-codes and help json print the tables', async () => {
    const codes = await run(['help', 'exit-codes']);
    expect(codes.stdout).toMatch(/^Exit codes:\n {2}0 {4}success/);
    // Every code the program can return, each in README's table too.
    const listed = [...codes.stdout.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
    expect(listed).toEqual(Object.values(ExitCode).sort((a, b) => a - b));
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('## Performance'));
    expect([...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]))).toEqual(listed);
    const json = await run(['help', 'json']);
    expect(json.stdout).toMatch(/^ {2}listedOn +string \| null +/m);
    expect(json.stdout).toMatch(/^ {2}watched +array/m);
  });

  it('every command has examples in its help', async () => {
    for (const cmd of ['import', 'list', 'search', 'grep', 'show', 'today', 'fetch', 'export', 'similar', 'trend', 'open', 'seen', 'unseen', 'watch', 'cache', 'completion']) {
      const r = await run([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/Examples:\n {2}\$ papers /);
    }
  });
});
