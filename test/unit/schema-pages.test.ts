/**
 * Reading an SQLite file's user_version and tables from its pages (store/schema-pages.ts):
 * the same answer as SQLite's own sqlite_master for schemas of every shape, and null —
 * never a throw — for bytes that are not one.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSchemaPages } from '../../src/store/schema-pages.js';
import { openDatabase } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'papers-schema-pages-'));

const reader = (bytes: Buffer) => (offset: number, length: number) => (offset + length <= bytes.length ? bytes.subarray(offset, offset + length) : null);

function build(make: (db: Database.Database) => void, pageSize = 4096): { bytes: Buffer; version: number; tables: string[] } {
  const db = new Database(':memory:');
  db.pragma(`page_size = ${pageSize}`);
  make(db);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  const version = db.pragma('user_version', { simple: true }) as number;
  const bytes = db.serialize();
  db.close();
  return { bytes, version, tables };
}

describe('readSchemaPages', () => {
  it('reads what sqlite_master says, for our schema and for schemas over many pages', () => {
    const cases = [
      build((db) => db.exec('PRAGMA user_version = 7')),
      build((db) => db.exec('CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); PRAGMA user_version = -3')),
      // 512-byte pages: a schema b-tree of interior and leaf pages, CREATE statements on overflow pages.
      build((db) => {
        for (let i = 0; i < 300; i++) db.exec(`CREATE TABLE t${i} (${Array.from({ length: 20 }, (_, c) => `column_${c}_with_a_long_name TEXT`).join(', ')})`);
        db.exec('CREATE INDEX t1_a ON t1 (column_1_with_a_long_name); CREATE VIEW v AS SELECT 1; PRAGMA user_version = 300');
      }, 512),
      // Names beyond ASCII, a table dropped (a free page), a table created after the file grew.
      build((db) => {
        db.exec('CREATE TABLE "données" (x); CREATE TABLE big (x); CREATE TABLE gone (x)');
        db.prepare('INSERT INTO big VALUES (?)').run('x'.repeat(200_000));
        db.exec('DROP TABLE gone; CREATE TABLE late (x)');
      }),
    ];
    for (const c of cases) {
      const read = readSchemaPages(reader(c.bytes))!;
      expect(read).not.toBeNull();
      expect(read.tables).toEqual(c.tables);
      expect(read.version).toBe(c.version);
    }
  });

  it('reads our own database, whose later tables have root pages far into the file', () => {
    const path = join(dir, 'ours.db');
    const db = openDatabase(path);
    const insert = db.prepare("INSERT INTO papers (id, title, abstract, authors, keywords) VALUES (?, 'T', ?, '', '')");
    db.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run(`2501.${String(i).padStart(5, '0')}`, 'word '.repeat(400));
    })();
    // As a migration on a grown file does: a table whose root page is near its end.
    db.exec('CREATE TABLE added_late (x)');
    const expected = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    const bytes = db.serialize();
    db.close();
    const read = readSchemaPages(reader(bytes))!;
    expect(read.tables).toEqual(expected);
    expect(read.tables).toContain('added_late');
    expect(read.version).toBe(MIGRATIONS.length);
  });

  it('cannot tell (null) from a UTF-16 file, a truncated file, a loop, or bytes that are not SQLite', () => {
    const utf16 = build((db) => {
      db.pragma("encoding = 'UTF-16le'");
      db.exec('CREATE TABLE a (x)');
    });
    expect(readSchemaPages(reader(utf16.bytes))).toBeNull();
    const many = build((db) => {
      for (let i = 0; i < 100; i++) db.exec(`CREATE TABLE t${i} (${Array.from({ length: 30 }, (_, c) => `c${c} TEXT`).join(', ')})`);
    }, 512);
    expect(readSchemaPages(reader(many.bytes.subarray(0, 4 * 512)))).toBeNull();
    // Page 1 an interior page whose right-most child is page 1 itself.
    const loop = Buffer.from(many.bytes);
    expect(loop[100]).toBe(0x05);
    loop.writeUInt32BE(1, 108);
    expect(readSchemaPages(reader(loop))).toBeNull();
    expect(readSchemaPages(reader(Buffer.from('not a database at all'.repeat(100))))).toBeNull();
    expect(readSchemaPages(reader(Buffer.alloc(0)))).toBeNull();
  });

  it('never throws on damaged bytes: any byte of the schema pages changed, or a page cut short', () => {
    const { bytes } = build((db) => {
      for (let i = 0; i < 40; i++) db.exec(`CREATE TABLE t${i} (${Array.from({ length: 20 }, (_, c) => `c${c} TEXT`).join(', ')})`);
      db.exec('PRAGMA user_version = 16');
    }, 512);
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let i = 0; i < 3000; i++) {
      const damaged = Buffer.from(bytes);
      for (let k = 0; k <= rand(4); k++) damaged[rand(Math.min(damaged.length, 16 * 512))] = rand(256);
      const cut = rand(5) === 0 ? damaged.subarray(0, rand(damaged.length)) : damaged;
      const read = readSchemaPages(reader(cut));
      if (read) expect(Array.isArray(read.tables)).toBe(true);
    }
  });
});
