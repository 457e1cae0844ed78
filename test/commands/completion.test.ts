/** `papers completion`: scripts each shell accepts. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importedDb } from '../support/papers.js';

const { run } = importedDb();

describe('completion', () => {
  it.each([
    ['bash', ['-n']],
    ['zsh', ['-n']],
    ['fish', ['--no-execute']],
  ])('%s script is valid and covers commands and values', async (shell, check) => {
    const r = await run(['completion', shell]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/grep/);
    expect(r.stdout).toMatch(/bibtex/);
    expect(r.stdout).toMatch(/arxiv:cs\.LG/);
    const hasShell = spawnSync(shell, ['-c', 'exit 0']).status === 0;
    if (!hasShell) return; // .ci/run installs zsh and fish; without them only the text is checked
    const dir = mkdtempSync(join(tmpdir(), 'papers-compl-'));
    const file = join(dir, `papers.${shell}`);
    writeFileSync(file, r.stdout);
    const res = spawnSync(shell, [...check, file], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});
