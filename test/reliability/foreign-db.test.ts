/**
 * Foreign files: `papers --db` pointed at another program's SQLite database (a
 * browser's places.sqlite in WAL mode, a rollback-journal file), a database of a newer papers,
 * or a file that is not SQLite is refused with exit 5 and left byte-identical — no tables, no
 * WAL switch, no -wal/-shm/-journal files. An empty file or an SQLite file without tables
 * becomes a papers database. A migration that fails leaves the journal mode as it was.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/schema.js';
import { hf } from '../support/online.js';
import { runPapers } from '../support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'papers-foreign-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh folder holding one file made by `make`. */
function databaseIn(name: string, make: (path: string) => void): string {
  const path = join(mkdtempSync(join(dir, name + '-')), 'other.sqlite');
  make(path);
  return path;
}

function sqliteFile(path: string, journal: 'wal' | 'delete', sql: string, version = 0): void {
  const db = new Database(path);
  db.pragma(`journal_mode = ${journal}`);
  db.exec(sql);
  if (version) db.pragma(`user_version = ${version}`);
  db.close();
}

const PLACES = `CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT, title TEXT);
  CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, fk INTEGER, title TEXT);
  CREATE TABLE moz_origins (id INTEGER PRIMARY KEY, host TEXT);
  CREATE TABLE moz_annos (id INTEGER PRIMARY KEY);
  INSERT INTO moz_places (url, title) VALUES ('https://arxiv.org/', 'arXiv');`;

/** Every command kind that opens the database: read, search, write, import. */
const COMMANDS = [['search', 'foo'], ['list'], ['star', '2504.16656'], ['import', hf('2025-04-28.json')], ['cache', 'stats']];

async function expectRefusedUntouched(path: string, message: RegExp): Promise<void> {
  const before = readFileSync(path);
  const folder = join(path, '..');
  const files = readdirSync(folder).sort();
  for (const args of COMMANDS) {
    const r = await runPapers(args, { env: { PAPERS_DB: path } });
    expect([r.code, r.stdout], args.join(' ')).toEqual([5, '']);
    expect(r.stderr).toMatch(/^papers: [^\n]+\n$/);
    expect(r.stderr).toContain(path);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(path).equals(before), `${args[0]}: bytes unchanged`).toBe(true);
    expect(readdirSync(folder).sort(), `${args[0]}: no -wal, -shm or -journal file`).toEqual(files);
  }
}

describe("another program's database, or one papers cannot read", () => {
  it('a WAL-mode database with tables of its own (a browser history): exit 5, byte-identical, no -wal/-shm', async () => {
    const path = databaseIn('places', (p) => sqliteFile(p, 'wal', PLACES, 74));
    await expectRefusedUntouched(path, /is not a papers database \(it holds another program's tables: moz_annos, moz_bookmarks, moz_origins, …\); it was left untouched/);
  });

  it('a rollback-journal database with user_version 0 and one table: exit 5, untouched', async () => {
    const path = databaseIn('plain', (p) => sqliteFile(p, 'delete', 'CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (1);'));
    await expectRefusedUntouched(path, /is not a papers database \(it holds another program's tables: notes\)/);
  });

  it('a database whose own table is called "papers", without our user_version: exit 5, untouched', async () => {
    const path = databaseIn('homonym', (p) => sqliteFile(p, 'delete', 'CREATE TABLE papers (doi TEXT);'));
    await expectRefusedUntouched(path, /is not a papers database/);
  });

  it('a papers database from a newer version (WAL, schema 99): exit 5 naming both schemas, untouched', async () => {
    const path = databaseIn('newer', (p) => sqliteFile(p, 'wal', 'CREATE TABLE papers (pk INTEGER PRIMARY KEY, id TEXT); CREATE TABLE listings (day TEXT); CREATE TABLE papers_v99 (x);', 99));
    await expectRefusedUntouched(path, new RegExp(`newer version of papers \\(schema 99, this one knows ${SCHEMA_VERSION}\\)`));
  });

  it('a file that is not SQLite (text, random bytes): exit 5, untouched', async () => {
    await expectRefusedUntouched(databaseIn('text', (p) => writeFileSync(p, 'name,url\nfoo,bar\n'.repeat(20))), /is not a papers database \(not an SQLite file\)/);
    await expectRefusedUntouched(databaseIn('bytes', (p) => writeFileSync(p, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256)))), /not an SQLite file/);
  });

  it('an empty file, and an SQLite file with no tables, become papers databases', async () => {
    for (const path of [databaseIn('empty', (p) => writeFileSync(p, '')), databaseIn('bare', (p) => sqliteFile(p, 'delete', 'SELECT 1'))]) {
      const r = await runPapers(['import', hf('2025-04-28.json')], { env: { PAPERS_DB: path } });
      expect([r.code, r.stderr], path).toEqual([0, expect.stringMatching(/^imported .*7 new/)]);
      const db = new Database(path, { readonly: true });
      expect([db.pragma('user_version', { simple: true }), db.pragma('journal_mode', { simple: true })]).toEqual([SCHEMA_VERSION, 'wal']);
      db.close();
    }
  });

  it('a migration that fails leaves a rollback-journal database in its journal mode, with no -wal file', async () => {
    // Schema 1, journal mode DELETE, and a user's own "stars" table that migration 3 would create with another shape.
    const path = databaseIn('conflict', (p) => sqliteFile(p, 'delete', `${MIGRATIONS[0]}; CREATE TABLE stars (name TEXT);`, 1));
    const before = readFileSync(path);
    const r = await runPapers(['list'], { env: { PAPERS_DB: path } });
    expect([r.code, r.stderr]).toEqual([5, expect.stringMatching(/could not upgrade the database to schema 3 .*it is unchanged/)]);
    expect(readFileSync(path).equals(before), 'bytes unchanged (header bytes 18-19 still say rollback journal)').toBe(true);
    expect(existsSync(path + '-wal')).toBe(false);
  });

  it('a folder given as --db: exit 5 in one line', async () => {
    const r = await runPapers(['list'], { env: { PAPERS_DB: dir } });
    expect([r.code, r.stderr]).toEqual([5, `papers: ${dir} is not a regular file; pass a file path with --db\n`]);
  });
});
