/** `papers search TERMS...` — full-text search over titles, abstracts, authors and keywords. */
import type { App } from '../app.js';
import { NoResultsError, UsageError } from '../errors.js';
import { parseQuery, toMatchExpression } from '../store/fts-query.js';
import { searchPapers } from '../store/query.js';
import { toDatabaseError } from '../store/db.js';
import type { FilterFlags } from './_options.js';
import type { NetFlags } from '../fetch/settings.js';
import { getPaper, type PaperRow } from '../store/query.js';
import { filtersFromFlags, outputMode, printRows, rangeFromFlags, fieldsFromFlags } from './_shared.js';

/** Run `papers search`. */
export async function run(terms: string[], flags: FilterFlags & NetFlags & { regex?: boolean; remote?: boolean }, app: App): Promise<void> {
  const { ctx } = app;
  const text = terms.join(' ');
  if (flags.regex) return (await import('./grep.js')).run(text, flags, app);
  if (flags.remote) return remote(text, flags, app);
  const match = toMatchExpression(parseQuery(text));
  if (!match) throw new UsageError(`nothing to search for in "${text}": give at least one word`);
  const filters = filtersFromFlags(flags);
  const range = await rangeFromFlags(flags, ctx.now);
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

/**
 * `papers search --remote`: Hugging Face's own search. Results are stored (one transaction,
 * listing source `hf-search`) and then printed from the database like any other papers.
 */
async function remote(text: string, flags: FilterFlags & NetFlags, app: App): Promise<void> {
  const { searchRemote } = await import('../fetch/hf-search.js');
  const parsed = await searchRemote(app, text, flags);
  const mode = outputMode(flags, app.ctx);
  if (parsed.items.length === 0) throw new NoResultsError(`Hugging Face has no papers matching "${text}"`);
  const db = await app.db();
  // The write path is loaded only here: a local search never writes (start-up, bench/PROFILE.md).
  const { storeListing } = await import('../store/write.js');
  storeListing(db, parsed, { now: app.ctx.now });
  const limit = filtersFromFlags(flags).limit ?? Infinity;
  const rows = parsed.items
    .slice(0, limit)
    .map(({ paper }) => getPaper(db, paper.id))
    .filter((r): r is PaperRow => r !== null);
  await printRows(app, rows, mode, `${rows.length} paper${rows.length === 1 ? '' : 's'} on Hugging Face matching "${text}"`, { fields: fieldsFromFlags(flags) });
}
