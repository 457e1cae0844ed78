/**
 * better-sqlite3's Database, told where its compiled addon is.
 *
 * The CLI bundle (dist/papers.cjs) carries better-sqlite3's JavaScript: 13 small CommonJS
 * files whose resolving and compiling was a large part of what start-up adds to `node -e 0`.
 * It cannot carry the addon, and better-sqlite3's own lookup
 * (the `bindings` package) searches from the calling file's package — in the bundle, ours.
 * So the addon is named here: the one in the installed better-sqlite3, in build/Release
 * where its install script (prebuild-install or node-gyp) puts it. package.json pins
 * better-sqlite3 to one exact version, so that addon matches the bundled JavaScript.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let addon: string | null | undefined;

/** The installed better-sqlite3's addon, or null to let better-sqlite3 look for it itself. */
function addonPath(): string | null {
  if (addon === undefined) {
    const pkg = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
    const file = join(dirname(pkg), 'build', 'Release', 'better_sqlite3.node');
    addon = existsSync(file) ? file : null;
  }
  return addon;
}

/** `options` with the addon found as above: also what a worker thread opening the database passes. */
export function sqliteOptions(options: Database.Options = {}): Database.Options {
  const nativeBinding = addonPath();
  return nativeBinding ? { ...options, nativeBinding } : options;
}

/** `new Database(path, options)`, with the addon found as above. */
export function openSqlite(path: string | Buffer, options: Database.Options = {}): Database.Database {
  return new Database(path, sqliteOptions(options));
}
