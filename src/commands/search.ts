/** `papers search TERMS...` — full-text search over titles, abstracts, authors and keywords. */
import type { App } from '../app.js';
import { NoResultsError, UsageError } from '../errors.js';
import { parseQuery, toMatchExpression } from '../store/fts-query.js';
import { searchPapers } from '../store/query.js';
import { toDatabaseError } from '../store/db.js';
import type { FilterFlags } from './_options.js';
import { filtersFromFlags, outputMode, printRows, rangeFromFlags, fieldsFromFlags } from './_shared.js';

/** Run `papers search`. */
export async function run(terms: string[], flags: FilterFlags & { regex?: boolean }, app: App): Promise<void> {
  const { ctx } = app;
  const text = terms.join(' ');
  if (flags.regex) return (await import('./grep.js')).run(text, flags, app);
  const match = toMatchExpression(parseQuery(text));
  if (!match) throw new UsageError(`nothing to search for in "${text}": give at least one word`);
  const filters = filtersFromFlags(flags);
  const range = rangeFromFlags(flags, ctx.now);
  const mode = outputMode(flags, ctx);
  const db = await app.db();
  let rows;
  try {
    rows = searchPapers(db, match, { ...filters, range });
  } catch (err) {
    throw toDatabaseError(err, app.dbPath());
  }
  if (rows.length === 0) throw new NoResultsError(`no papers match "${text}"`);
  await printRows(app, rows, mode, `${rows.length} paper${rows.length === 1 ? '' : 's'} matching "${text}"`, { fields: fieldsFromFlags(flags) });
}
