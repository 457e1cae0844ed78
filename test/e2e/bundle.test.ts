/**
 * The shipped entry point: bin/papers.cjs runs the esbuild bundle dist/papers.cjs, compiled
 * with the V8 code cache the build writes beside it. The cache must match the bundle (else
 * every start-up pays a full compile), and a bad or missing one must never break a command.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/run.js';

const BUNDLE = join(ROOT, 'dist/papers.cjs');

/** A copy of the package (bin, dist bundle, package.json; node_modules linked) to break things in. */
function packageCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'papers-bundle-'));
  for (const sub of ['bin', 'dist', 'docs']) mkdirSync(join(dir, sub));
  for (const f of ['bin/papers.cjs', 'dist/papers.cjs', 'dist/papers.cjs.cache', 'package.json', 'docs/paper.schema.json']) {
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function papersIn(dir: string, args: string[]) {
  return spawnSync(process.execPath, [join(dir, 'bin/papers.cjs'), ...args], { encoding: 'utf8', env: { ...process.env, PAPERS_TEST: '1' } });
}

describe('bundle and code cache', () => {
  it('the build wrote a code cache for this bundle (its exact bytes), and V8 accepts it', () => {
    const bytes = readFileSync(BUNDLE);
    const cache = readFileSync(`${BUNDLE}.cache`);
    expect(cache.readUInt32BE(0)).toBe(bytes.length);
    expect(bytes.equals(cache.subarray(4, 4 + bytes.length))).toBe(true);
    // The same wrapper and file name bin/papers.cjs compiles with.
    const script = new vm.Script(Module.wrap(bytes.toString('utf8')), { filename: BUNDLE, cachedData: cache.subarray(4 + bytes.length) });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('the bundle has no import() left: compiled as a script, it could not load anything that way', () => {
    // esbuild turns import() of our own modules into lazy requires; one of a package left
    // outside the bundle would stay import() and fail at run time only. Use createRequire.
    const calls = readFileSync(BUNDLE, 'utf8').match(/[^\w.$]import\(\s*["'`][^"'`]+["'`]\s*\)/g) ?? [];
    expect(calls).toEqual([]);
  });

  it('the bundle is ASCII: V8 keeps it as one byte a character, where one other character would double it', () => {
    const bytes = readFileSync(BUNDLE);
    const at = bytes.findIndex((b) => b > 0x7f);
    expect(at === -1 ? null : bytes.subarray(Math.max(0, at - 60), at + 20).toString('utf8')).toBeNull();
  });

  it("takes from node:child_process only what the bundle's stand-in for it exports", async () => {
    // package.json "bundle" maps node:child_process to src/child-process.ts, which loads the
    // real module on first use: a name it lacks would be undefined in the bundle only.
    const standIn = Object.keys(await import('../../src/child-process.js'));
    const imported = new Set<string>();
    for (const file of readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file === 'child-process.ts') continue;
      const text = readFileSync(join(ROOT, 'src', file), 'utf8');
      for (const m of text.matchAll(/import\s+(type\s+)?(\{[^}]*\}|\*\s+as\s+\w+|\w+)\s+from\s+'node:child_process'/g)) {
        if (m[1]) continue;
        expect(m[2], `${file}: import the names, not the module`).toMatch(/^\{/);
        for (const part of m[2]!.slice(1, -1).split(',')) {
          const name = part.trim().replace(/\s+as\s+\w+$/, '');
          if (name && !name.startsWith('type ')) imported.add(name);
        }
      }
    }
    expect(imported.size).toBeGreaterThan(0);
    expect([...imported].filter((n) => !standIn.includes(n))).toEqual([]);
  });

  it('a corrupt code cache is ignored: the command runs as usual', () => {
    const dir = packageCopy();
    writeFileSync(join(dir, 'dist/papers.cjs.cache'), Buffer.from('not a V8 code cache'.repeat(100)));
    const r = papersIn(dir, ['help', 'exit-codes']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Exit codes:/);
  });

  it('a cache made for other code is not used, even when V8 would take it', () => {
    const dir = packageCopy();
    // Same length, different code: V8 checks only the length, and would run the cached code.
    const source = readFileSync(join(dir, 'dist/papers.cjs'), 'utf8').replace('Exit codes:', 'Exit CODES:');
    writeFileSync(join(dir, 'dist/papers.cjs'), source);
    const r = papersIn(dir, ['help', 'exit-codes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Exit CODES:/);
  });

  it("carries better-sqlite3's JavaScript and loads the installed package's addon, pinned to one version", () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-bundle-'));
    const trace = join(dir, 'trace');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/papers.cjs'), '--db', join(dir, 'p.db'), 'list', '--offline'], {
      encoding: 'utf8',
      env: { ...process.env, PAPERS_TEST: '1', NODE_OPTIONS: `--import=${join(ROOT, 'test/support/trace-imports.mjs')}`, PAPERS_TRACE_IMPORTS: trace },
    });
    expect(r.stderr).toMatch(/^papers: no papers yet/);
    const loaded = readFileSync(trace, 'utf8');
    expect(loaded).toMatch(/node_modules\/better-sqlite3\/build\/Release\/better_sqlite3\.node/);
    expect(loaded).not.toMatch(/better-sqlite3\/lib\/|node_modules\/bindings\//);
    // The bundled JavaScript must match the installed addon: one exact version, no range.
    const pinned = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies['better-sqlite3'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(JSON.parse(readFileSync(join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')).version).toBe(pinned);
  });

  it("the build's code-cache step runs whatever the user's config says, and leaves a cache V8 accepts", () => {
    const dir = packageCopy();
    mkdirSync(join(dir, 'fixtures/hf-api'), { recursive: true });
    copyFileSync(join(ROOT, 'fixtures/hf-api/2025-02-03.json'), join(dir, 'fixtures/hf-api/2025-02-03.json'));
    rmSync(join(dir, 'dist/papers.cjs.cache'));
    const config = join(dir, 'config');
    mkdirSync(join(config, 'papers'), { recursive: true });
    // A config papers refuses (a misspelt key) must not fail `npm install`.
    writeFileSync(join(config, 'papers/config.json'), '{"colour": "never"}');
    const { PAPERS_TEST: _, ...env } = process.env;
    const r = spawnSync('npm', ['run', '--silent', 'code-cache'], { cwd: dir, encoding: 'utf8', env: { ...env, XDG_CONFIG_HOME: config, PAPERS_DB: join(dir, 'not-here/p.db') } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const bytes = readFileSync(join(dir, 'dist/papers.cjs'));
    const cache = readFileSync(join(dir, 'dist/papers.cjs.cache'));
    expect(bytes.equals(cache.subarray(4, 4 + bytes.length))).toBe(true);
    const script = new vm.Script(Module.wrap(bytes.toString('utf8')), { filename: join(dir, 'dist/papers.cjs'), cachedData: cache.subarray(4 + bytes.length) });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('writing the code cache (the build step) where it cannot: one line and exit 1', () => {
    const dir = packageCopy();
    rmSync(join(dir, 'dist/papers.cjs.cache'));
    mkdirSync(join(dir, 'dist/papers.cjs.cache'));
    const r = spawnSync(process.execPath, [join(dir, 'bin/papers.cjs'), '--help'], {
      encoding: 'utf8',
      env: { ...process.env, PAPERS_WRITE_CODE_CACHE: '1' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^papers: cannot write the code cache .*papers\.cjs\.cache: EISDIR[^\n]*\n$/);
  });

  it('a missing bundle is one line on stderr and exit 70, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-bundle-'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(ROOT, 'bin/papers.cjs'), join(dir, 'bin/papers.cjs'));
    const r = papersIn(dir, ['list']);
    expect(r.status).toBe(70);
    expect(r.stderr).toMatch(/^papers: .*dist\/papers\.cjs is missing: run `npm run build`/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
