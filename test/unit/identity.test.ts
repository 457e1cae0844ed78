/**
 * Judging a WAL-mode file from a copy read without SQLite's locks: a copy torn by another
 * process's checkpoint must not get our own database refused as "not a papers database".
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identify, peekWalFile } from '../../src/store/identity.js';
import { readSchemaPages, type SchemaPages } from '../../src/store/schema-pages.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { openDatabase } from '../../src/store/db.js';

const dir = mkdtempSync(join(tmpdir(), 'papers-identity-'));

function image(make: (db: Database.Database) => void): Buffer {
  const db = new Database(':memory:');
  make(db);
  const bytes = db.serialize();
  db.close();
  return bytes;
}

/** The schema pages of a database image, as peekWalFile reads them from a file. */
const schemaOf = (bytes: Buffer): SchemaPages => readSchemaPages((offset, length) => (offset + length <= bytes.length ? bytes.subarray(offset, offset + length) : null))!;

const ours = (() => {
  const path = join(dir, 'ours.db');
  openDatabase(path).close();
  const db = new Database(path, { readonly: true });
  const bytes = db.serialize();
  db.close();
  return schemaOf(bytes);
})();
const foreign = schemaOf(image((db) => db.exec('CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)')));

/** A reader that returns the given copies in turn, then the last one again. */
function reads(...copies: SchemaPages[]): { read: () => SchemaPages; count: () => number } {
  let n = 0;
  return { read: () => copies[Math.min(n++, copies.length - 1)]!, count: () => n };
}

describe('peekWalFile', () => {
  it('trusts a copy that says ours at once', () => {
    const r = reads(ours);
    expect(peekWalFile('x', r.read)?.kind).toBe('ours');
    expect(r.count()).toBe(1);
  });

  it('refuses a foreign file only when the same bytes are read again, twice', () => {
    const r = reads(foreign);
    expect(peekWalFile('x', r.read)).toEqual({ kind: 'foreign', tables: ['moz_places'] });
    expect(r.count()).toBe(3);
  });

  it('a torn copy that looks foreign is read again: ours once the checkpoint is over', () => {
    expect(peekWalFile('x', reads(foreign, ours).read)?.kind).toBe('ours');
    expect(peekWalFile('x', reads(foreign, foreign, ours).read)?.kind).toBe('ours');
  });

  it('a copy that never settles cannot tell: the caller opens the file and asks the real connection', () => {
    let n = 0;
    const flapping = () => {
      const bytes = Buffer.from(foreign.bytes);
      bytes.writeUInt32BE(n++, 24); // the file change counter: different bytes each read
      return { ...foreign, bytes };
    };
    expect(peekWalFile('x', flapping)).toBeNull();
  });
});

describe('identify', () => {
  it('reads the version and the tables of one moment, though another process creates them in between', () => {
    const path = join(dir, 'race.db');
    const creator = new Database(path, { timeout: 0 });
    const looker = new Database(path);
    const pragma = looker.pragma.bind(looker);
    let interleaved = false;
    // Right after the version is read, the other connection commits a whole schema.
    looker.pragma = ((source: string, options?: Database.PragmaOptions) => {
      const result = pragma(source, options);
      if (source === 'user_version' && !interleaved) {
        interleaved = true;
        try {
          creator.exec(`BEGIN IMMEDIATE; CREATE TABLE fetches (period TEXT); CREATE TABLE papers (id TEXT); PRAGMA user_version = ${SCHEMA_VERSION}; COMMIT`);
        } catch (err) {
          // Held off by the look's read lock: the look is of the moment before.
          expect((err as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
          if (creator.inTransaction) creator.exec('ROLLBACK');
        }
      }
      return result;
    }) as typeof looker.pragma;
    const seen = identify(looker);
    expect(interleaved).toBe(true);
    expect(['new', 'ours']).toContain(seen.kind);
    looker.close();
    creator.close();
  });
});
