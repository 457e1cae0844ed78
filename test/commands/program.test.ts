/**
 * The program as a whole: remote text never drives the terminal, databases it refuses,
 * `--db`, `--help` and `--version`.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stripAnsi, tempDb } from '../support/run.js';
import { runInProcess as runPapers, inProcessWithDb as withDb } from '../support/in-process.js';
import { hf } from '../support/papers.js';

describe('the program: terminal safety, the database, global flags', () => {
  it('escape sequences in remote text never reach the terminal; JSON keeps them exact', async () => {
    const { run } = withDb();
    const evil = '\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \x1b[2J\x1b]0;pwned\x07Title\u202Egnp.exe\rEVIL';
    const body = JSON.stringify([{ paper: { id: '2506.00001', title: evil, summary: `abs ${evil}`, authors: [{ name: `A\x1b[31m` }], upvotes: 1 }, numComments: 0 }]);
    await run(['import', '--date', '2025-06-09', '-'], { input: body });
    for (const env of [{}, { PAPERS_FORCE_TTY: '1' }]) {
      for (const args of [['list'], ['show', '2506.00001'], ['search', 'title']]) {
        const r = await run(args, { env });
        expect(r.code, args.join(' ')).toBe(0);
        expect(stripAnsi(r.stdout), args.join(' ')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
      }
    }
    const json = await run(['list', '--json']);
    expect(JSON.parse(json.stdout)[0].title).toBe(evil.replace(/\s+/g, ' ').trim());
  });

  it('refuses a database from a newer schema, untouched (exit 5)', async () => {
    const db = tempDb();
    await runPapers(['import', hf('hfdp-ml_2025-01-21.json')], { env: { PAPERS_DB: db } });
    const raw = new Database(db);
    raw.pragma('user_version = 99');
    raw.close();
    const before = readFileSync(db);
    const r = await runPapers(['list'], { env: { PAPERS_DB: db } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/written by a newer version of papers/);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('a file that is not SQLite is exit 5 naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-notdb-'));
    const db = join(dir, 'papers.db');
    writeFileSync(db, 'this is not a database, just text '.repeat(200));
    const r = await runPapers(['list'], { env: { PAPERS_DB: db } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(new RegExp(`${db}.*is not a papers database \\(not an SQLite file\\)`));
  });

  it('--db wins over PAPERS_DB', async () => {
    const a = tempDb();
    const b = tempDb();
    copyFileSync(hf('hfdp-ml_2025-01-21.json'), join(a, '..', '2025-01-21.json'));
    await runPapers(['--db', b, 'import', join(a, '..', '2025-01-21.json')], { env: { PAPERS_DB: a } });
    expect((await runPapers(['list'], { env: { PAPERS_DB: b } })).code).toBe(0);
    expect((await runPapers(['list'], { env: { PAPERS_DB: a } })).code).toBe(1);
  });

  it('--help lists the exit codes; --version prints the version', async () => {
    const help = await runPapers(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:\n\s+0\s+success/);
    expect(help.stdout).toMatch(/130\s+interrupted/);
    const version = await runPapers(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version);
  });
});
