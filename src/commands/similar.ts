/** `papers similar ID|N` — more papers like this one, from the local database. */
import type { App } from '../app.js';
import { NoResultsError } from '../errors.js';
import { counts, getPaper, searchPapers } from '../store/query.js';
import { anyOf, distinctiveTerms } from '../store/similar.js';
import { argument, defineCommand } from './_command.js';
import { configuredLimit, fieldsFromFlags, filtersFromFlags, outputMode, rangeFromFlags } from './_flags.js';
import { filterOptions, type FilterOptions } from './_options.js';
import { printRows } from './_print.js';
import { note } from './_shared.js';
import { resolveReference } from './_paper.js';

export default defineCommand<FilterOptions & { paper: string }>({
  name: 'similar',
  summary: 'papers like this one, from the local database (its most distinctive words, ranked)',
  args: [argument('<paper>', 'an arXiv id, a number from the last list/search, or a URL')],
  options: filterOptions(),
  examples: ['papers similar 2506.05176', 'papers similar 3 --limit 5 --since 90d'],
  run: (opts, app) => run(opts.paper, opts, app),
});

/** Run `papers similar`. */
async function run(ref: string, flags: FilterOptions, app: App): Promise<void> {
  const { ctx } = app;
  const filters = filtersFromFlags(flags);
  const range = await rangeFromFlags(flags, ctx.now);
  const mode = outputMode(flags, ctx);
  const fields = fieldsFromFlags(flags, mode);
  const db = await app.db();
  const id = resolveReference(db, ref);
  const paper = getPaper(db, id);
  if (!paper) throw new NoResultsError(`paper ${id} is not in the database; import or fetch its listing first`);
  const terms = distinctiveTerms(db, paper.title, paper.abstract, counts(db).papers);
  if (terms.length === 0) throw new NoResultsError(`paper ${id} has no distinctive words to look for`);
  const limit = filters.limit ?? configuredLimit(app, mode) ?? 10;
  // One extra row, since the paper itself usually ranks first.
  const rows = searchPapers(db, anyOf(terms), { ...filters, range, limit: limit + 1 }).filter((r) => r.id !== id).slice(0, limit);
  if (rows.length === 0) throw new NoResultsError(`no papers like ${id} in the database`);
  if (mode !== 'tty') note(ctx, `papers like ${id}, by: ${terms.join(', ')}`);
  await printRows(app, rows, mode, `Papers like ${id} · by ${terms.slice(0, 6).join(', ')}`, { fields });
}
