/**
 * The inbox's triage, typed at a real pseudo-terminal (python3's pty, through
 * test/support/pty-run.py): keystrokes in, screen and database state out.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, FIXTURES, ROOT, runPapers, tempDb, testEnv } from '../support/run.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);
const ids = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);

/** `papers inbox` on a terminal, with `steps`: [text to wait for on screen, key to type]. */
function typeInto(db: string, steps: Array<[string, string]>) {
  const env = testEnv({ PAPERS_DB: db, TERM: 'xterm', NO_COLOR: '1', PAPERS_OFFLINE: '1' });
  const r = spawnSync('python3', [join(ROOT, 'test/support/pty-run.py'), JSON.stringify(steps), process.execPath, BIN, 'inbox'], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, screen: r.stdout, stderr: r.stderr };
}

describe('inbox triage', () => {
  it('j moves, s stars, d dismisses, u undoes, Enter opens the abstract, q quits: each key saved at once', async () => {
    const db = tempDb();
    const run = (args: string[]) => runPapers(args, { env: { PAPERS_DB: db } });
    await run(['import', hf('hfdp-ml_2025-06-09.json')]);
    await run(['star', '2506.01111']);
    const order = ids((await run(['inbox'])).stdout);
    const r = typeInto(db, [
      ['u undo', 'j'],
      ['u undo', 's'],
      ['(u: undo)', 'd'],
      ['(u: undo)', 'u'],
      ['is back', '\r'],
      ['u undo', 'q'],
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.screen).toContain(`starred ${order[1]} (u: undo)`);
    expect(r.screen).toMatch(/dismissed \S+ \(u: undo\)/);
    expect(r.screen).toMatch(/undone: \S+ is back/);
    // The alternate screen is left and the cursor shown again.
    expect(r.screen.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
    expect(ids((await run(['list', '--starred'])).stdout).sort()).toEqual(['2506.01111', order[1]].sort());
    // The dismissal was undone: every paper but the starred ones is still in the inbox.
    expect(ids((await run(['inbox'])).stdout).sort()).toEqual(order.filter((id) => id !== order[1]).sort());
  });

  it('Ctrl-C quits and keeps what was done', async () => {
    const db = tempDb();
    const run = (args: string[]) => runPapers(args, { env: { PAPERS_DB: db } });
    await run(['import', hf('hfdp-ml_2025-06-09.json')]);
    const first = ids((await run(['inbox'])).stdout)[0]!;
    const r = typeInto(db, [
      ['u undo', 'd'],
      ['(u: undo)', '\x03'],
    ]);
    expect(r.code).toBe(0);
    expect(ids((await run(['inbox'])).stdout)).not.toContain(first);
  });
});
