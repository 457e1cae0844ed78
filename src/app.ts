/** What every command runs with: the context plus the database, opened on first use. */
import type { Config } from './config.js';
import type { Context } from './context.js';
import { databasePath } from './paths.js';
import type { Db } from './store/db.js';

export interface App {
  ctx: Context;
  verbose: boolean;
  /**
   * Aborted by the first Ctrl-C (SIGINT) or SIGTERM. Reading it installs the signal handlers
   * (src/cli.ts), so commands that never wait on anything keep Node's default: die at once.
   */
  readonly signal: AbortSignal;
  /** Send long terminal output through a pager (false with `--no-pager`). */
  usePager: boolean;
  /** Settings from the config file (empty when there is none). */
  config: Config;
  /** The database path, resolved once (`--db`, `PAPERS_DB`, XDG). */
  dbPath(): string;
  /** The open, migrated database. */
  db(): Promise<Db>;
  /** Close the database if it was opened. */
  close(): void;
}

/**
 * Build the App for this run. The database opens lazily so `--help` never touches it;
 * `signal` comes from the caller (a signal nothing aborts when none is given, e.g. in tests).
 */
export function createApp(ctx: Context, dbFlag: string | undefined, verbose: boolean, signal?: () => AbortSignal): App {
  let path: string | null = null;
  let handle: Db | null = null;
  let never: AbortSignal | null = null;
  const app: App = {
    ctx,
    verbose,
    usePager: true,
    config: {},
    get signal() {
      return signal ? signal() : (never ??= new AbortController().signal);
    },
    dbPath: () => (path ??= databasePath(dbFlag, ctx.env)),
    async db() {
      if (!handle) {
        const { openDatabase } = await import('./store/db.js');
        const { busyTimeoutMs } = await import('./fetch/settings.js');
        handle = openDatabase(app.dbPath(), busyTimeoutMs(ctx.env) ?? undefined);
        if (app.config.watch?.length) {
          // Config watch terms join the watch list (`papers watch rm` alone would not stick).
          // Bookkeeping: a busy or read-only database keeps its list as it is.
          const { addMissingWatch } = await import('./store/state.js');
          const { normalizeLine } = await import('./model.js');
          const { writeRefusal } = await import('./store/db-errors.js');
          try {
            // Stored as `papers watch add` stores a term (spacing and ligatures folded), so it is one term, not two.
            addMissingWatch(handle, app.config.watch.map(normalizeLine), ctx.now);
          } catch (err) {
            if (!writeRefusal(err)) throw err;
          }
        }
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
