/** What a command hands the fetch code: the open database, the context, Ctrl-C, and a progress bar on stderr. */
import type { App } from '../app.js';
import type { FetchEnv } from '../fetch/loop.js';
import { startProgress } from '../render/progress.js';

/** The fetch environment of `app`; its database is opened now. */
export async function fetchEnv(app: App): Promise<FetchEnv> {
  const db = await app.db();
  return {
    db,
    dbPath: app.dbPath(),
    ctx: app.ctx,
    // Read only when a fetch runs: reading it installs the Ctrl-C handlers.
    get signal() {
      return app.signal;
    },
    verbose: app.verbose,
    progress: (total) => startProgress(app.ctx, total),
  };
}
