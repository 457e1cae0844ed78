/** Where the database lives: one place, one precedence. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './errors.js';

/**
 * The database path: `--db`, else `PAPERS_DB`, else `$XDG_DATA_HOME/papers/papers.db`,
 * else `~/.local/share/papers/papers.db`.
 */
export function databasePath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  // An in-memory or empty-named SQLite database is gone when the command ends: an import
  // into it would report success and keep nothing.
  if (flag === '') throw new UsageError('--db is empty: name a database file');
  const named = flag ?? env.PAPERS_DB;
  if (named === ':memory:') throw new UsageError(`${flag !== undefined ? '--db :memory:' : 'PAPERS_DB=:memory:'} would keep nothing: name a database file`);
  if (named) return named;
  // Tests must never reach the user's database (qmd does the same under test).
  if (env.PAPERS_TEST) throw new UsageError('PAPERS_TEST is set: pass --db or PAPERS_DB');
  const dataHome = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(dataHome, 'papers', 'papers.db');
}
