/** `papers show ID|N|URL` — one paper in full. */
import type { App } from '../app.js';
import { NoResultsError, UsageError } from '../errors.js';
import { isTitleId } from '../model.js';
import { diagnostic } from '../render/diagnostic.js';
import { toDatabaseError } from '../store/db-errors.js';
import { FIELD_PATHS_WITH_LISTINGS } from '../render/fields.js';
import { getPaper, listingsOf } from '../store/query.js';
import { termExpression, watchMatches, watchTerms } from '../store/state.js';
import { Option } from 'commander';
import { argument, defineCommand } from './_command.js';
import { fieldsFromFlags } from './_flags.js';
import { fieldsOption } from './_options.js';
import { printPaper } from '../render/printer.js';
import { printTarget } from './_print.js';
import { fetchMissing, paperFetchOptions, resolveReference, type PaperFetchFlags } from './_paper.js';

/** Options of `papers show`. */
interface ShowOptions extends PaperFetchFlags {
  paper: string;
  json?: boolean;
  fields?: string;
  full?: boolean;
}

export default defineCommand<ShowOptions>({
  name: 'show',
  summary: 'show one paper in full',
  args: [argument('<paper>', 'an arXiv id, a number from the last list/search, or a huggingface.co / arxiv.org URL')],
  options: [
    new Option('--json', 'print the paper as a JSON object (with its listings); --json=FIELDS is short for --json --fields FIELDS'),
    fieldsOption('in --json'),
    new Option('--full', "the paper's full text (Hugging Face's page as markdown): fetched once and stored, rendered on a terminal, raw into a pipe; with --json, as fullText"),
    ...paperFetchOptions(),
  ],
  notes: 'A paper not in the database is fetched from Hugging Face and stored (not with --offline). --full fetches the text once; --offline shows the stored copy.',
  examples: [
    'papers show 2506.05176',
    'papers show 2',
    'papers show https://arxiv.org/abs/2506.05176v2',
    'papers show 2 --json=id,title,listings',
    'papers show 2506.05176 --full',
    'papers show 2506.05176 --full > paper.md',
  ],
  run: (opts, app) => run(opts.paper, opts, app),
});

/** Run `papers show`. */
async function run(ref: string, flags: ShowOptions, app: App): Promise<void> {
  if (flags.fields !== undefined && !flags.json) throw new UsageError('--fields needs --json');
  const fields = fieldsFromFlags(flags, 'json', FIELD_PATHS_WITH_LISTINGS);
  const db = await app.db();
  const id = resolveReference(db, ref);
  const row = getPaper(db, id) ?? (await fetchMissing(app, id, flags));
  row.listings = listingsOf(db, id);
  row.watched = watchMatches(db, watchTerms(db).map((term) => ({ term, match: termExpression(term) })), [id]).get(id) ?? [];
  const fullText = flags.full ? await fullTextOf(app, id, flags) : null;
  await printPaper(printTarget(app), row, { json: flags.json === true, fields, fullText });
}

/**
 * The full text of `id`: the stored copy, else fetched once (`/papers/{id}.md`) and stored.
 * Offline with nothing stored is exit 1 naming the way to get it.
 */
async function fullTextOf(app: App, id: string, flags: ShowOptions): Promise<string> {
  const db = await app.db();
  const { getBody, putBody } = await import('../store/bodies.js');
  const stored = getBody(db, id);
  if (stored) return stored.markdown;
  if (isTitleId(id)) throw new NoResultsError(`paper ${id} has no arXiv id, so Hugging Face has no full text of it`);
  const { netSettings } = await import('../fetch/settings.js');
  if (netSettings(flags, app.ctx.env).offline) {
    throw new NoResultsError(`the full text of ${id} is not stored yet; run \`papers show ${id} --full\` without --offline (and PAPERS_OFFLINE) to fetch it`);
  }
  const { fetchPaperMarkdown } = await import('../fetch/hf-paper.js');
  const markdown = await fetchPaperMarkdown(app, id, flags);
  try {
    putBody(db, id, markdown, app.ctx.now);
  } catch (err) {
    // Shown all the same: a database that cannot be written still reads.
    diagnostic(app.ctx.stderr, `papers: the full text of ${id} was not stored: ${toDatabaseError(err, app.dbPath()).message}`);
  }
  return markdown;
}
