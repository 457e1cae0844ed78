/** `papers read|unread|star|unstar ID|N...` — the user's own marks on papers. */
import type { App } from '../app.js';
import { NoResultsError } from '../errors.js';
import { getPaper } from '../store/query.js';
import { markRead, markUnread, star, unstar } from '../store/state.js';
import { resolveReference } from './show.js';
import { diagnostic } from '../render/diagnostic.js';

type Mark = 'read' | 'unread' | 'star' | 'unstar';

const DONE: Record<Mark, string> = {
  read: 'marked read',
  unread: 'marked unread',
  star: 'starred',
  unstar: 'unstarred',
};

/** Run one of the mark commands over every reference given. */
export async function run(mark: Mark, refs: string[], app: App): Promise<void> {
  const { ctx } = app;
  const db = await app.db();
  // Resolve every reference first: one bad reference changes nothing.
  const ids = refs.map((ref) => {
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
