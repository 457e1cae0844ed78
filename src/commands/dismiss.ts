/** `papers dismiss|undismiss ID|N...` — "not interested": the inbox's strongest negative. */
import type { App } from '../app.js';
import { dismiss, undismiss } from '../store/feedback.js';
import { diagnostic } from '../render/diagnostic.js';
import { argument, defineCommand } from './_command.js';
import { resolvePapers } from './marks.js';

const plural = (n: number) => `${n} paper${n === 1 ? '' : 's'}`;

/** `papers dismiss` and `papers undismiss`. */
export default [
  defineCommand<{ papers: string[] }>({
    name: 'dismiss',
    summary: 'not interested: hide papers from `inbox` and `--new`, and rank papers like them lower',
    args: [argument('<papers...>', 'arXiv ids, numbers from the last list/search/inbox, or URLs')],
    examples: ['papers dismiss 2 7', 'papers dismiss 2506.05176'],
    run: async (opts, app: App) => {
      const db = await app.db();
      const ids = resolvePapers(db, opts.papers);
      const already = ids.length - dismiss(db, ids, app.ctx.now);
      diagnostic(app.ctx.stderr, `dismissed ${plural(ids.length)}${already > 0 ? ` (${already} already dismissed)` : ''}`);
    },
  }),
  defineCommand<{ papers: string[] }>({
    name: 'undismiss',
    summary: 'take dismissals back',
    args: [argument('<papers...>', 'arXiv ids, numbers from the last list/search/inbox, or URLs')],
    examples: ['papers undismiss 2506.05176'],
    run: async (opts, app: App) => {
      const db = await app.db();
      const ids = resolvePapers(db, opts.papers);
      const not = ids.length - undismiss(db, ids);
      diagnostic(app.ctx.stderr, `undismissed ${plural(ids.length)}${not > 0 ? ` (${not} not dismissed)` : ''}`);
    },
  }),
];
