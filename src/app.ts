/** What every command runs with: the context plus the database, opened on first use. */
import type { Config } from './config.js';
import type { Context } from './context.js';
import { databasePath } from './paths.js';
import type { Db } from './store/db.js';
import { groupDigits } from './numbers.js';

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
        // An upgrade may read every paper (half a minute at 1M): say so on a terminal, not in silence.
        const { diagnostic } = await import('./render/diagnostic.js');
        const upgrading = (from: number, to: number, slow: boolean) => {
          if (ctx.stderrIsTTY) diagnostic(ctx.stderr, `papers: upgrading the database from schema ${from} to ${to} (once${slow ? '; a few seconds per 100,000 papers' : ''})`);
        };
        handle = openDatabase(app.dbPath(), busyTimeoutMs(ctx.env) ?? undefined, upgrading);
        await finishInterruptedIndex(app, handle);
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

/**
 * Papers an import wrote but did not index (it was stopped, or it runs now: fts-backlog.ts).
 * A stopped import's backlog is indexed now, before the command reads anything, so search
 * never silently misses papers; one another process is still writing is left to it, with a
 * note. A database this process cannot write says what is missing.
 */
async function finishInterruptedIndex(app: App, db: Db): Promise<void> {
  // One indexed lookup of a one-row table: the common case costs nothing more.
  const { backlog, buildBacklog, isRunning } = await import('./store/fts-backlog.js');
  const pending = backlog(db);
  if (!pending) return;
  const { diagnostic } = await import('./render/diagnostic.js');
  const note = (ctx: Context, message: string) => diagnostic(ctx.stderr, `papers: ${message}`);
  const count = `${groupDigits(pending.papers)} paper${pending.papers === 1 ? '' : 's'}`;
  if (pending.pid !== null && isRunning(pending.pid)) {
    note(app.ctx, `${count} being imported (process ${pending.pid}) are not in the search index yet`);
    return;
  }
  if (db.readonly) {
    note(app.ctx, `${count} of an interrupted import are not in the search index; run papers with write access to the database to index them`);
    return;
  }
  const { writeRefusal } = await import('./store/db-errors.js');
  const progress = await indexProgress(app.ctx, pending.papers);
  try {
    buildBacklog(db, { onChunk: progress.indexed });
  } catch (err) {
    if (!writeRefusal(err)) throw err;
    note(app.ctx, `${count} of an interrupted import are not in the search index; they are indexed by the next papers command that can write the database`);
  } finally {
    progress.done();
  }
}

/** `indexing for search ███░░░ 45% · 123,456 of 1,000,000 papers` on a terminal's stderr; nothing elsewhere. */
export async function indexProgress(ctx: Context, total: number): Promise<{ indexed(n: number): void; done(): void }> {
  const { clearStatusLine, statusLine } = await import('./render/diagnostic.js');
  let shown = false;
  const draw = (n: number) => {
    if (!ctx.stderrIsTTY || total === 0) return;
    const frac = Math.min(1, n / total);
    const bar = '█'.repeat(Math.round(frac * 20)) + '░'.repeat(20 - Math.round(frac * 20));
    statusLine(ctx.stderr, `indexing for search ${bar} ${Math.round(frac * 100)}% · ${groupDigits(n)} of ${groupDigits(total)} papers`.slice(0, Math.max(0, ctx.width - 1)));
    shown = true;
  };
  draw(0);
  return {
    indexed: draw,
    done() {
      if (shown) clearStatusLine(ctx.stderr);
    },
  };
}
