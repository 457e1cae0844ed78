/** `papers read|unread|star|unstar ID|N...` — the user's own marks on papers. */
import type { App } from '../app.js';
import type { Db } from '../store/db.js';
import { NoResultsError } from '../errors.js';
import { getPaper } from '../store/query.js';
import { markRead, markUnread, star, unstar } from '../store/state.js';
import { diagnostic } from '../render/diagnostic.js';
import { argument, defineCommand } from './_command.js';
import { paperFetchOptions, papersByReference, resolveReference, type PaperFetchFlags } from './_paper.js';

type Mark = 'read' | 'unread' | 'star' | 'unstar';

const SUMMARY: Record<Mark, string> = {
  read: 'mark papers as read (`--new` hides them)',
  unread: 'mark papers as not read',
  star: 'star papers (`papers list --starred` shows them)',
  unstar: 'remove stars',
};

/** `papers read`, `unread`, `star` and `unstar`: one shape, four marks. */
export default (Object.keys(SUMMARY) as Mark[]).map((mark) =>
  defineCommand<{ papers: string[] } & PaperFetchFlags>({
    name: mark,
    summary: SUMMARY[mark],
    args: [argument('<papers...>', 'arXiv ids, numbers from the last list/search, or URLs')],
    // Starring a paper the database lacks fetches it: a star keeps it in the library.
    ...(mark === 'star' ? { options: paperFetchOptions(), notes: 'A paper not in the database is fetched from Hugging Face and stored (not with --offline).' } : {}),
    examples: [`papers ${mark} 3 5 2506.05176`],
    run: (opts, app) => run(mark, opts.papers, app, opts),
  }),
);

const DONE: Record<Mark, string> = {
  read: 'marked read',
  unread: 'marked unread',
  star: 'starred',
  unstar: 'unstarred',
};

/** Run one of the mark commands over every reference given. */
async function run(mark: Mark, refs: string[], app: App, flags: PaperFetchFlags): Promise<void> {
  const { ctx } = app;
  const db = await app.db();
  // Resolve every reference first: one bad reference changes nothing.
  const ids =
    mark === 'star'
      ? (await papersByReference(app, refs, flags)).map((r) => r.id)
      : refs.map((ref) => {
          const id = resolveReference(db, ref);
          if (!getPaper(db, id)) throw new NoResultsError(`paper ${id} is not in the database`);
          return id;
        });
  const unique = [...new Set(ids)];
  const changed =
    mark === 'read' ? markRead(db, unique, 'marked', ctx.now)
    : mark === 'unread' ? markUnread(db, unique)
    : mark === 'star' ? star(db, unique, ctx.now)
    : unstar(db, unique);
  const n = unique.length;
  const already = n - changed;
  diagnostic(ctx.stderr, `${DONE[mark]} ${n} paper${n === 1 ? '' : 's'}${already > 0 && mark !== 'read' ? ` (${already} already ${mark === 'star' ? 'starred' : mark === 'unstar' ? 'not starred' : 'unread'})` : ''}`);
}

/** The ids `refs` name (ids, numbers of the last list, URLs), each once; one unknown paper is an error before anything changes. */
export function resolvePapers(db: Db, refs: string[]): string[] {
  const ids = refs.map((ref) => {
    const id = resolveReference(db, ref);
    if (!getPaper(db, id)) throw new NoResultsError(`paper ${id} is not in the database`);
    return id;
  });
  return [...new Set(ids)];
}
