/** What every command runs with: the context plus the database, opened on first use. */
import type { Context } from './context.js';
import { databasePath } from './paths.js';
import type { Db } from './store/db.js';

export interface App {
  ctx: Context;
  verbose: boolean;
  /** The database path, resolved once (`--db`, `PAPERS_DB`, XDG). */
  dbPath(): string;
  /** The open, migrated database. */
  db(): Promise<Db>;
  /** Close the database if it was opened. */
  close(): void;
}

/** Build the App for this run. The database opens lazily so `--help` never touches it. */
export function createApp(ctx: Context, dbFlag: string | undefined, verbose: boolean): App {
  let path: string | null = null;
  let handle: Db | null = null;
  const app: App = {
    ctx,
    verbose,
    dbPath: () => (path ??= databasePath(dbFlag, ctx.env)),
    async db() {
      if (!handle) {
        const { openDatabase } = await import('./store/db.js');
        handle = openDatabase(app.dbPath());
      }
      return handle;
    },
    close() {
      handle?.close();
      handle = null;
    },
  };
  return app;
}
