import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createAtomicWriter, tempPathFor, writeFileAtomic } from '../../src/atomic.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'papers-atomic-'));

describe('writeFileAtomic', () => {
  test('creates a new file, leaving nothing else behind', async () => {
    const dir = tempDir();
    await writeFileAtomic(join(dir, 'out.csv'), 'id,title\r\n');
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('id,title\r\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  test('replaces an existing file whole and keeps its mode', async () => {
    const dir = tempDir();
    const file = join(dir, 'papers.bib');
    writeFileSync(file, 'old contents that are longer than the new ones');
    chmodSync(file, 0o640);
    await writeFileAtomic(file, new TextEncoder().encode('new'));
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['papers.bib']);
  });

  test('a new file gets the usual mode (0666 less the umask)', async () => {
    const dir = tempDir();
    await writeFileAtomic(join(dir, 'f'), 'x');
    expect(statSync(join(dir, 'f')).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  test('through a symlink, the target is replaced and the link stays a link', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'export.md'), 'old');
    symlinkSync(join(dir, 'real', 'export.md'), join(dir, 'link.md'));
    await writeFileAtomic(join(dir, 'link.md'), 'new');
    expect(lstatSync(join(dir, 'link.md')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'export.md'), 'utf8')).toBe('new');
    expect(readdirSync(join(dir, 'real'))).toEqual(['export.md']);
  });

  test('on failure the target is untouched and the temp file is removed', async () => {
    const dir = tempDir();
    // A folder stands where the file should go: refused before any temp file exists.
    mkdirSync(join(dir, 'out.json'));
    writeFileSync(join(dir, 'out.json', 'keep'), 'k');
    await expect(writeFileAtomic(join(dir, 'out.json'), '[]')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['out.json']);
    expect(readFileSync(join(dir, 'out.json', 'keep'), 'utf8')).toBe('k');
  });

  test('a device is written in place, never replaced by a plain file (-o /dev/null, /dev/stdout)', async () => {
    await writeFileAtomic('/dev/null', 'discarded');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((n) => n.startsWith('.null.tmp-'))).toEqual([]);
  });

  test('a missing folder is an error, not a created folder', async () => {
    const dir = tempDir();
    await expect(writeFileAtomic(join(dir, 'no', 'such', 'f'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });

  test('two writers at once: the file is one of them, whole', async () => {
    const dir = tempDir();
    const file = join(dir, 'race.txt');
    const a = 'a'.repeat(1 << 20);
    const b = 'b'.repeat(1 << 19);
    await Promise.all([writeFileAtomic(file, a), writeFileAtomic(file, b)]);
    expect([a, b]).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(dir)).toEqual(['race.txt']);
  });
});

describe('createAtomicWriter', () => {
  test('chunks append; nothing is visible under the real name before commit', async () => {
    const dir = tempDir();
    const file = join(dir, 'out.jsonl');
    writeFileSync(file, 'previous\n');
    const w = await createAtomicWriter(file);
    for (const line of ['{"id":1}\n', '{"id":2}\n', new TextEncoder().encode('{"id":3}\n')]) await w.write(line);
    expect(readFileSync(file, 'utf8')).toBe('previous\n');
    expect(basename(w.tempPath)).toMatch(new RegExp(`^\\.out\\.jsonl\\.tmp-${process.pid}-[0-9a-f]{12}$`));
    expect(dirname(w.tempPath)).toBe(dir);
    await w.commit();
    expect(readFileSync(file, 'utf8')).toBe('{"id":1}\n{"id":2}\n{"id":3}\n');
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
    await expect(w.write('late')).rejects.toThrow('write after commit or abort');
    await expect(w.commit()).rejects.toThrow('commit after commit or abort');
  });

  test('abort (e.g. on Ctrl-C mid-export) keeps the old file and removes the temp file; twice is fine', async () => {
    const dir = tempDir();
    const file = join(dir, 'out.csv');
    writeFileSync(file, 'old');
    const w = await createAtomicWriter(file);
    await w.write('half');
    await w.abort();
    await w.abort();
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  test('temp names are hidden, beside the target, and unique', () => {
    const names = new Set(Array.from({ length: 100 }, () => tempPathFor('/data/export.bib')));
    expect(names.size).toBe(100);
    for (const n of names) expect(n).toMatch(/^\/data\/\.export\.bib\.tmp-\d+-[0-9a-f]{12}$/);
  });
});
