/**
 * Schema versions: an older database migrates forward keeping its data; a migration
 * that fails part-way leaves the database at its old version, byte for byte, so the build
 * that wrote it still reads it, and the current build migrates it once the cause is removed.
 * (A database from a newer version is refused untouched: test/e2e/foundation.test.ts.)
 *
 * Old databases are built here from the released migrations (src/store/schema.ts: "never edit
 * a released migration"), the way the older build made them.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigration, SCHEMA_VERSION } from '../../src/store/schema.js';
import { registerFunctions } from '../../src/store/db.js';
import { fillWords } from '../../src/store/fts-words.js';
import { titleHash } from '../../src/store/title-hash.js';
import { runPapers, type RunResult } from '../support/run.js';
import { runInProcess } from '../support/in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'papers-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = '2025-06-01T00:00:00.000Z';

/** A database at schema `version` (as that build left it: WAL, closed cleanly) with two listed papers. */
function oldDatabase(name: string, version: number, extra = ''): string {
  const path = join(mkdtempSync(join(dir, name + '-')), 'papers.db');
  const db = new Database(path);
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.function('papers_title_hash', { deterministic: true }, (key) => titleHash(String(key)));
  // What the migrations need, as the build gives it: their functions (schema 8's cjk_spaced)
  // and no defensive mode (schema 8 rewrites a table's declaration).
  registerFunctions(db);
  db.unsafeMode(true);
  for (let v = 0; v < version; v++) runMigration(db, MIGRATIONS[v]!);
  db.unsafeMode(false);
  db.pragma(`user_version = ${version}`);
  // From schema 4 on, papers keeps a hash of the folded title and the build writes the search index itself.
  const hashed = version >= 4;
  // Until schema 19, papers kept when each was first seen and last updated.
  const times = version < 19;
  const paper = db.prepare(
    `INSERT INTO papers (id, title, ${hashed ? 'title_hash' : 'title_key'}, abstract, authors, upvotes${times ? ', first_seen_at, updated_at' : ''}) VALUES (?, ?, ?, ?, ?, ?${times ? ', ?, ?' : ''})`,
  );
  const key = (k: string) => (hashed ? titleHash(k) : k);
  const listing = db.prepare("INSERT INTO listings (source, day, paper_id, rank, upvotes) VALUES ('hf', '2025-06-02', ?, ?, ?)");
  paper.run('2506.00001', 'Sparse Attention at Scale', key('sparse attention at scale'), 'We study sparse attention.', 'Ada Lovelace\nAlan Turing', 42, ...(times ? [NOW, NOW] : []));
  paper.run('2506.00002', 'Mixture of Experts, Revisited', key('mixture of experts revisited'), 'Experts, mixed again.', 'Grace Hopper', 7, ...(times ? [NOW, NOW] : []));
  if (hashed) db.exec('INSERT INTO papers_fts (rowid, title, abstract, authors, keywords) SELECT pk, title, abstract, authors, keywords FROM papers');
  // From schema 18 on, the build keeps grep's words with the index it writes.
  if (version >= 18) fillWords(db);
  listing.run('2506.00001', 1, 42);
  listing.run('2506.00002', 2, 7);
  if (extra) db.exec(extra);
  db.close();
  return path;
}

const env = (db: string) => ({ env: { PAPERS_DB: db } });
const userVersion = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
};

function expectListsBothPapers(r: RunResult) {
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.trimEnd().split('\n').map((l) => l.split('\t')[0])).toEqual(['2506.00001', '2506.00002']);
}

describe('schema migrations', () => {
  it.each(Array.from({ length: SCHEMA_VERSION - 1 }, (_, i) => i + 1))('a database at schema %i migrates to the current schema, keeping its papers, listings and search index', async (version) => {
    const db = oldDatabase(`v${version}`, version);
    expectListsBothPapers(await runPapers(['list', '--date', '2025-06-02'], env(db)));
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    const found = await runPapers(['search', 'sparse'], env(db));
    expect(found.stdout).toMatch(/^2506\.00001\t/);
    // What the newer schema added works on the migrated file.
    const star = await runPapers(['star', '2506.00002'], env(db));
    expect(star.code, star.stderr).toBe(0);
    expect((await runPapers(['list', '--date', '2025-06-02', '--starred'], env(db))).stdout).toMatch(/^2506\.00002\t/);
    const raw = new Database(db);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.exec("INSERT INTO papers_fts(papers_fts) VALUES('integrity-check')");
    // grep's words (schema 18) are filled from the papers the file held.
    expect(raw.prepare("SELECT word FROM fts_words WHERE word IN ('sparse', 'lovelace', 'revisited') ORDER BY word").pluck().all()).toEqual(['lovelace', 'revisited', 'sparse']);
    // Schema 19 dropped two columns nothing read.
    const columns = raw.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('papers');
    expect(columns).toContain('abstract');
    expect(columns).not.toContain('first_seen_at');
    expect(columns).not.toContain('updated_at');
    // Schema 20: the index merges its segments 8 at a time.
    expect(raw.prepare("SELECT v FROM papers_fts_config WHERE k = 'automerge'").pluck().get()).toBe(8);
    // The file keeps the page size it was made with.
    expect(raw.pragma('page_size', { simple: true })).toBe(16384);
    raw.close();
  });

  it('schema 20 upgrades a database whose search index is damaged: the file still opens, and the index keeps its default', async () => {
    const db = oldDatabase('damaged-index', 19);
    const raw = new Database(db);
    // The index's structure record: without it FTS5 refuses every write to the index.
    raw.unsafeMode(true);
    raw.exec('DELETE FROM papers_fts_data WHERE id = 10');
    raw.close();
    expectListsBothPapers(await runPapers(['list', '--date', '2025-06-02'], env(db)));
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
  });

  it('an upgrade says so on a terminal, once, and not into a pipe; a new database says nothing', async () => {
    const db = oldDatabase('previous-note', SCHEMA_VERSION - 1);
    const first = await runInProcess(['list', '--date', '2025-06-02'], { tty: true, env: { PAPERS_DB: db } });
    expect(first.code, first.stderr).toBe(0);
    // Schema 20 changes one setting: no estimate of seconds for an upgrade that takes none.
    expect(first.stderr).toContain(`papers: upgrading the database from schema ${SCHEMA_VERSION - 1} to ${SCHEMA_VERSION} (once)\n`);
    const again = await runInProcess(['list', '--date', '2025-06-02'], { tty: true, env: { PAPERS_DB: db } });
    expect(again.stderr).not.toMatch(/upgrading/);
    const piped = await runPapers(['list', '--date', '2025-06-02'], env(oldDatabase('previous-piped', SCHEMA_VERSION - 1)));
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).not.toMatch(/upgrading/);
    const fresh = await runInProcess(['list'], { tty: true, env: { PAPERS_DB: join(mkdtempSync(join(dir, 'new-')), 'papers.db') } });
    expect(fresh.stderr).not.toMatch(/upgrading/);
  });

  it('the upgrade note gives an estimate of time only when a step reads every paper', async () => {
    // Schema 18 fills grep's words from every paper, 19 rewrites every row.
    for (const from of [17, 18]) {
      const db = oldDatabase(`slow-note-${from}`, from);
      const r = await runInProcess(['list', '--date', '2025-06-02'], { tty: true, env: { PAPERS_DB: db } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`papers: upgrading the database from schema ${from} to ${SCHEMA_VERSION} (once; a few seconds per 100,000 papers)`);
    }
  });

  it('schema 4 to 6: the last list keeps its numbers, and `unseen --last` removes none of the seen marks made before the upgrade', async () => {
    const db = oldDatabase('v4-last', 4, `
      INSERT INTO last_shown (n, paper_id) VALUES (1, '2506.00002'), (2, '2506.00001');
      INSERT INTO reads (paper_id, read_at, how) VALUES ('2506.00001', '${NOW}', 'shown'), ('2506.00002', '${NOW}', 'shown');`);
    const shown = await runPapers(['show', '1', '--json'], env(db));
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).id).toBe('2506.00002');
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    // Which marks the old build's listing made is unknown: none is taken back.
    const unseen = await runPapers(['unseen', '--last'], env(db));
    expect(unseen.code, unseen.stderr).toBe(0);
    expect(unseen.stderr).toMatch(/^marked 0 papers of the last list unseen/);
    expect((await runPapers(['list', '--date', '2025-06-02', '--new'], env(db))).code).toBe(1);
    // What the new column is for works on the migrated file.
    expect((await runPapers(['seen', '--last'], env(db))).stderr).toBe('marked 2 papers of the last list seen (2 already seen)\n');
  });

  it('schema 6 to 7: ligatures an older build stored become letters, in the table and the search index', async () => {
    const db = oldDatabase('v6-ligatures', 6, `
      UPDATE papers SET title = 'Eﬃcient ﬁne-tuning at Scale', abstract = 'We study ﬂows.' WHERE id = '2506.00001';
      INSERT INTO papers_fts(papers_fts) VALUES ('delete-all');
      INSERT INTO papers_fts (rowid, title, abstract, authors, keywords) SELECT pk, title, abstract, authors, keywords FROM papers;`);
    for (const query of ['fine-tuning', 'ﬁne-tuning', 'flows']) {
      const found = await runPapers(['search', query], env(db));
      expect(found.code, found.stderr).toBe(0);
      expect(found.stdout).toMatch(/^2506\.00001\t.*\tEfficient fine-tuning at Scale\n$/);
    }
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    const raw = new Database(db);
    expect(raw.prepare("SELECT abstract FROM papers WHERE id = '2506.00001'").pluck().get()).toBe('We study flows.');
    raw.exec("INSERT INTO papers_fts(papers_fts) VALUES('integrity-check')");
    raw.close();
  });

  it('schema 7 to 8: papers with CJK text are reindexed so a word inside a run of CJK characters is found and highlighted; the others are left as they were', async () => {
    // As the schema-7 build indexed them: the CJK run one token.
    const db = oldDatabase('v7-cjk', 7, `
      UPDATE papers SET title = '多模态大模型的视觉理解', abstract = '我们提出一种视觉 transformer。' WHERE id = '2506.00001';
      INSERT INTO papers_fts(papers_fts) VALUES ('delete-all');
      INSERT INTO papers_fts (rowid, title, abstract, authors, keywords) SELECT pk, title, abstract, authors, keywords FROM papers;`);
    for (const query of ['多模态', '模态', '视觉 transformer']) {
      const found = await runPapers(['search', query], env(db));
      expect(found.code, `${query}: ${found.stderr}`).toBe(0);
      expect(found.stdout).toMatch(/^2506\.00001\t.*\t多模态大模型的视觉理解\n$/);
    }
    const shown = await runPapers(['search', '--color', 'always', '模态'], { env: { PAPERS_DB: db, PAPERS_FORCE_TTY: '1', COLUMNS: '100' } });
    expect(shown.stdout).toMatch(/多\x1b\[[0-9;]*m(?:\x1b\[[0-9;]*m)*模态\x1b\[/);
    expect(shown.stdout).not.toContain('\u200b');
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect((await runPapers(['search', 'experts'], env(db))).stdout).toMatch(/^2506\.00002\t.*\tMixture of Experts, Revisited\n$/);
    const check = await runPapers(['cache', 'check'], env(db));
    expect(check.code, check.stderr).toBe(0);
  });

  it('a migration that fails part-way (a table "stars" is already there) leaves the database untouched at its old version; once the cause is gone it migrates', async () => {
    // Schema 1 plus a user's own table that migration 3 would create with another shape.
    const db = oldDatabase('conflict', 1, 'CREATE TABLE stars (name TEXT, color TEXT); INSERT INTO stars VALUES (\'sirius\', \'white\');');
    const before = readFileSync(db);
    const r = await runPapers(['list', '--date', '2025-06-02'], env(db));
    expect(r.code, r.stderr).toBe(5);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^papers: /);
    expect(lines[0]).toContain(db);
    expect(lines[0], 'says what to do').toMatch(/; .*\b(move|pass|remove|rename|drop|check|use)\b/i);
    expect(r.stderr).not.toMatch(/\n\s+at |unexpected error/);
    // All or nothing: not even the migrations before the failing one were kept, so the build
    // that wrote this file (schema 1) still opens it.
    expect(userVersion(db), 'user_version unchanged').toBe(1);
    expect(readFileSync(db).equals(before), 'database bytes unchanged').toBe(true);
    // What schema 1 had is all there, readable as schema 1 reads it.
    const raw = new Database(db);
    expect(raw.prepare('SELECT id FROM papers ORDER BY id').pluck().all()).toEqual(['2506.00001', '2506.00002']);
    expect(raw.prepare("SELECT count(*) FROM pragma_table_info('papers') WHERE name = 'categories'").pluck().get(), 'no column of migration 2').toBe(0);
    expect(raw.prepare('SELECT name FROM stars').pluck().all()).toEqual(['sirius']);
    // The user moves their table away; the next run migrates.
    raw.exec('ALTER TABLE stars RENAME TO my_stars');
    raw.close();
    expectListsBothPapers(await runPapers(['list', '--date', '2025-06-02'], env(db)));
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
  });
});
