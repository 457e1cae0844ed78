/** `papers search TERMS...` — full-text search over titles, abstracts, authors and keywords. */
import type { App } from '../app.js';
import { NoResultsError, UsageError } from '../errors.js';
import { parseQuery, toMatchExpression } from '../store/fts-query.js';
import { countMatches, searchBodies, searchPapers } from '../store/query.js';
import { toDatabaseError } from '../store/db-errors.js';
import type { NetFlags } from '../fetch/settings.js';
import { getPaper } from '../store/query.js';
import type { PaperRow } from '../model.js';
import { Option } from 'commander';
import { argument, defineCommand, optionTable } from './_command.js';
import { sortedByFit } from '../rank/fit.js';
import { configuredLimit, fieldsFromFlags, filtersFromFlags, outputMode, rangeFromFlags } from './_flags.js';
import { filterOptions, type FilterOptions } from './_options.js';
import { countLabel } from '../render/printer.js';
import { printRows } from './_print.js';
import { groupDigits } from '../numbers.js';

/** Options of `papers search`: the filters, `--regex`, and `--remote` with its network flags. */
interface SearchOptions extends FilterOptions, Pick<NetFlags, 'offline' | 'timeout' | 'retries'> {
  terms: string[];
  regex?: boolean;
  remote?: boolean;
  in?: 'body';
}

export default defineCommand<SearchOptions>({
  name: 'search',
  summary: 'full-text search of titles, abstracts, authors and keywords, best match first',
  args: [argument('<terms...>', 'words to find (all must match); "quoted phrase"; prefix*')],
  options: [
    ...optionTable`
      --regex              treat the terms as one regular expression (same as \`papers grep\`)
      --remote             Hugging Face's own (hybrid) search instead of the local database; results are stored
      --offline            with --remote: refuse (kept for scripts that pass it everywhere)
      --timeout <seconds>  with --remote: network timeout (PAPERS_TIMEOUT)
      --retries <n>        with --remote: extra tries (PAPERS_RETRIES)
    `,
    new Option('--in <where>', 'body: search the stored full texts (`show --full`) instead of titles, abstracts, authors and keywords').choices(['body']),
    ...filterOptions(),
  ],
  examples: ['papers search sparse attention', "papers search '\"mixture of experts\"' --since 30d", 'papers search diffus* --author Hinton --json', 'papers search --remote "test-time scaling"'],
  run: (opts, app) => run(opts.terms, opts, app),
});

/** Results shown unless --limit (or the config's limit, on a terminal) says otherwise. */
const DEFAULT_LIMIT = 20;
/** `--sort fit` reorders this many best matches: the ranking needs candidates, not the whole index. */
const FIT_POOL = 500;
/** Matches counted for the header at most: past it, "10,000+" (counting a common term at 1M papers costs more than the search). */
const COUNT_CAP = 10_000;

/** Run `papers search`. */
async function run(terms: string[], flags: SearchOptions, app: App): Promise<void> {
  const { ctx } = app;
  const text = terms.join(' ');
  if (flags.in === 'body' && (flags.regex || flags.remote)) throw new UsageError(`--in body searches the stored full texts: not with ${flags.regex ? '--regex (use papers grep --in body)' : '--remote'}`);
  if (flags.regex) return (await import('./grep.js')).grep(text, flags, app);
  if (flags.remote) return remote(text, flags, app);
  if (flags.in === 'body') return inBodies(text, flags, app);
  const match = toMatchExpression(parseQuery(text));
  if (!match) throw new UsageError(`nothing to search for in "${text}": give at least one word`);
  const filters = filtersFromFlags(flags);
  const range = await rangeFromFlags(flags, ctx.now);
  const mode = outputMode(flags, ctx);
  const fields = fieldsFromFlags(flags, mode);
  const db = await app.db();
  const limit = filters.limit ?? configuredLimit(app, mode) ?? DEFAULT_LIMIT;
  let rows;
  let total: number | string = 0;
  try {
    rows = sortedByFit(db, { ...filters, range, limit }, ctx.now, (f) => searchPapers(db, match, f), FIT_POOL);
    // The header of a terminal view says when the limit cut the list; counting is for it only.
    if (mode === 'tty' && rows.length === limit) total = countMatches(db, match, { ...filters, range }, COUNT_CAP);
  } catch (err) {
    throw toDatabaseError(err, app.dbPath());
  }
  if (rows.length === 0) throw new NoResultsError(`no papers match "${text}"`);
  const counted = total === COUNT_CAP ? `${groupDigits(COUNT_CAP)}+` : Math.max(total, rows.length);
  await printRows(app, rows, mode, `${countLabel(rows.length, counted)} matching "${text}"`, { fields });
}

/**
 * `papers search --remote`: Hugging Face's own search. Results are stored (one transaction,
 * listing source `hf-search`) and then printed from the database like any other papers.
 */
async function remote(text: string, flags: SearchOptions, app: App): Promise<void> {
  const mode = outputMode(flags, app.ctx);
  const fields = fieldsFromFlags(flags, mode);
  const { searchRemote } = await import('../fetch/hf-search.js');
  const parsed = await searchRemote(app, text, flags);
  if (parsed.items.length === 0) throw new NoResultsError(`Hugging Face has no papers matching "${text}"`);
  const db = await app.db();
  // The write path is loaded only here: a local search never writes, so it never loads it.
  const { storeListing } = await import('../store/write.js');
  storeListing(db, parsed, { now: app.ctx.now });
  const limit = filtersFromFlags(flags).limit ?? Infinity;
  const rows = parsed.items
    .slice(0, limit)
    .map(({ paper }) => getPaper(db, paper.id))
    .filter((r): r is PaperRow => r !== null);
  await printRows(app, rows, mode, `${rows.length} paper${rows.length === 1 ? '' : 's'} on Hugging Face matching "${text}"`, { fields });
}

/** `papers search --in body`: the stored full texts, through their own index. */
async function inBodies(text: string, flags: SearchOptions, app: App): Promise<void> {
  const match = toMatchExpression(parseQuery(text));
  if (!match) throw new UsageError(`nothing to search for in "${text}": give at least one word`);
  const filters = filtersFromFlags(flags);
  const range = await rangeFromFlags(flags, app.ctx.now);
  const mode = outputMode(flags, app.ctx);
  const fields = fieldsFromFlags(flags, mode);
  const db = await app.db();
  const limit = filters.limit ?? configuredLimit(app, mode) ?? DEFAULT_LIMIT;
  let rows: PaperRow[];
  try {
    rows = searchBodies(db, match, { ...filters, range, limit });
  } catch (err) {
    throw toDatabaseError(err, app.dbPath());
  }
  if (rows.length === 0) throw new NoResultsError(`no stored full text matches "${text}" (\`papers show ID --full\` stores one)`);
  await printRows(app, rows, mode, `${countLabel(rows.length, rows.length)} whose full text matches "${text}"`, { fields });
}
