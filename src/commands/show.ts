/** `papers show ID|N|URL` — one paper in full. */
import type { App } from '../app.js';
import { InterruptedError, NoResultsError, PapersError, UsageError } from '../errors.js';
import { isTitleId, LINKED_KINDS, type StoredLinked } from '../model.js';
import { diagnostic } from '../render/diagnostic.js';
import { toDatabaseError, writeRefusal } from '../store/db-errors.js';
import { FIELD_PATHS_WITH_LISTINGS } from '../render/fields.js';
import { getPaper, listingsOf } from '../store/query.js';
import { termExpression, watchMatches, watchTerms } from '../store/state.js';
import { linkedOf, storeLinked } from '../store/linked.js';
import { hostFailure } from '../store/hosts.js';
import { listingSettings, netSettings, type NetFlags } from '../fetch/settings.js';
import { Option } from 'commander';
import { argument, defineCommand } from './_command.js';
import { fieldsFromFlags } from './_flags.js';
import { fieldsOption, networkOptions } from './_options.js';
import { printPaper } from '../render/printer.js';
import { printTarget } from './_print.js';
import { note } from './_shared.js';
import { fetchMissing, resolveReference } from './_paper.js';

/** Options of `papers show`. */
interface ShowOptions extends Omit<NetFlags, 'maxAge'> {
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
    new Option('--json', 'print the paper as a JSON object (with its listings and linked repositories); --json=FIELDS is short for --json --fields FIELDS'),
    fieldsOption('in --json'),
    new Option('--full', "the paper's full text (Hugging Face's page as markdown): fetched once and stored, rendered on a terminal, raw into a pipe; with --json, as fullText"),
    // --refresh asks HF for the linked repositories even when they were fetched less than a day ago.
    ...networkOptions({ fetching: false }).filter((o) => o.long !== '--max-age'),
  ],
  notes:
    'A paper not in the database is fetched from Hugging Face and stored (not with --offline). --full fetches the text once; --offline shows the stored copy. ' +
    'The models, datasets and Spaces on Hugging Face that cite the paper are fetched when missing or older than a day (never with --offline); when that fails, what is stored is shown.',
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
  const fields = fieldsFromFlags(flags, 'json', [...FIELD_PATHS_WITH_LISTINGS, 'linked']);
  const db = await app.db();
  const id = resolveReference(db, ref);
  const row = getPaper(db, id) ?? (await fetchMissing(app, id, flags));
  row.listings = listingsOf(db, id);
  row.watched = watchMatches(db, watchTerms(db).map((term) => ({ term, match: termExpression(term) })), [id]).get(id) ?? [];
  const fullText = flags.full ? await fullTextOf(app, id, flags) : null;
  // The full text stands for the page, so the repositories are asked only for the page or JSON.
  const linked = fullText === null || flags.json ? await linkedFor(app, id, flags) : undefined;
  await printPaper(printTarget(app), row, { json: flags.json === true, fields, fullText, linked });
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

/** How long the linked repositories of a paper are fresh. */
export const LINKED_MAX_AGE_MS = 24 * 3_600_000;

/**
 * The repositories citing paper `id`: fetched first when never fetched or older than a day
 * (`--refresh`: always), never offline. A failure to fetch or to store is one note on stderr,
 * and what is stored is shown: the paper is what was asked for.
 */
async function linkedFor(app: App, id: string, flags: ShowOptions): Promise<StoredLinked | null> {
  const { ctx } = app;
  const db = await app.db();
  const stored = linkedOf(db, id);
  // Hugging Face knows papers by new-style arXiv ids only.
  if (!/^\d{4}\.\d{4,5}$/.test(id)) return stored;
  const net = listingSettings(netSettings(flags, ctx.env), true);
  const fresh = stored !== null && ctx.now.getTime() - Date.parse(stored.fetchedAt) < LINKED_MAX_AGE_MS;
  if (net.offline || (fresh && !net.refresh)) return stored;
  const what = `the models, datasets and Spaces citing ${id}`;
  const shown = stored ? `showing those fetched ${stored.fetchedAt.slice(0, 10)}` : 'none are stored';
  // A host a listing found down a moment ago is not asked again: the paper is shown at once.
  const { isRecent, recentFailure } = await import('../fetch/plan.js');
  const { hfEndpoint } = await import('../fetch/hf.js');
  const failed = hostFailure(db, new URL(hfEndpoint(ctx.env)).host);
  if (failed && isRecent(failed, ctx.now) && !net.refresh) {
    note(ctx, `${what} were not fetched: ${recentFailure(failed, ctx.now)}; ${shown}`);
    return stored;
  }
  try {
    const { fetchLinked, LINKED_LIMIT } = await import('../fetch/hf-linked.js');
    const linked = await fetchLinked({ ctx, signal: app.signal }, id, net);
    // Ctrl-C while asking: what arrives now is not stored.
    if (app.signal.aborted) throw new InterruptedError();
    const count = (k: (typeof LINKED_KINDS)[number]) => linked[k].length;
    storeLinked(db, id, linked, { model: count('model'), dataset: count('dataset'), space: count('space') }, ctx.now, LINKED_LIMIT);
    return linkedOf(db, id);
  } catch (err) {
    const refused = writeRefusal(err);
    if (refused) {
      note(ctx, `the database is ${refused === 'busy' ? 'busy (another papers is writing)' : 'read-only'}, so ${what} were not stored`);
      return stored;
    }
    if (!(err instanceof PapersError) || err instanceof InterruptedError || err instanceof UsageError) throw err;
    const { reasonOf } = await import('../fetch/report.js');
    note(ctx, `could not fetch ${what} (${reasonOf(err)}); ${shown}`);
    return stored;
  }
}
