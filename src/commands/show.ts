/** `papers show ID|N|URL` — one paper in full. */
import type { App } from '../app.js';
import { InterruptedError, NoResultsError, PapersError, UsageError } from '../errors.js';
import { isTitleId, parseArxivId } from '../model.js';
import { FIELD_PATHS_WITH_LISTINGS } from '../render/fields.js';
import { loadStyle } from '../render/style.js';
import { showText } from '../render/text.js';
import type { Db } from '../store/db.js';
import { getPaper, listingsOf, shownAs } from '../store/query.js';
import { termExpression, watchMatches, watchTerms } from '../store/state.js';
import { forTerminal } from '../render/sanitize.js';
import { Option } from 'commander';
import { argument, defineCommand } from './_command.js';
import { fieldsFromFlags } from './_flags.js';
import { fieldsOption, networkOptions } from './_options.js';
import { note, paperObject, writePaged } from './_shared.js';
import { listingSettings, netSettings, type NetFlags } from '../fetch/settings.js';
import { LINKED_KINDS, linkedOf, storeLinked, type StoredLinked } from '../store/linked.js';
import { writeRefusal } from '../store/db-errors.js';
import { hostFailure } from '../store/hosts.js';

/** Options of `papers show`. */
interface ShowOptions extends Omit<NetFlags, 'maxAge'> {
  paper: string;
  json?: boolean;
  fields?: string;
}

export default defineCommand<ShowOptions>({
  name: 'show',
  summary: 'show one paper in full',
  args: [argument('<paper>', 'an arXiv id, a number from the last list/search, or a huggingface.co / arxiv.org URL')],
  options: [
    new Option('--json', 'print the paper as a JSON object (with its listings and linked repositories); --json=FIELDS is short for --json --fields FIELDS'),
    fieldsOption('in --json'),
    // --refresh asks HF for the linked repositories even when they were fetched less than a day ago.
    ...networkOptions({ fetching: false }).filter((o) => o.long !== '--max-age'),
  ],
  notes: 'The models, datasets and Spaces on Hugging Face that cite the paper are fetched when missing or older than a day (never with --offline); when that fails, what is stored is shown.',
  examples: ['papers show 2506.05176', 'papers show 2', 'papers show https://arxiv.org/abs/2506.05176v2', 'papers show 2 --json=id,title,listings'],
  run: (opts, app) => run(opts.paper, opts, app),
});

/**
 * The paper id a user's reference stands for: an arXiv id (version dropped), a
 * title-derived id, a number from the last list/search, or a huggingface.co/papers
 * or arxiv.org/abs|pdf URL.
 */
export function resolveReference(db: Db, ref: string): string {
  const s = ref.trim();
  if (/^\d{1,4}$/.test(s)) {
    const id = shownAs(db, Number(s));
    if (!id) throw new UsageError(`no paper numbered ${s} in the last list or search; run \`papers list\` first, or give an id`);
    return id;
  }
  if (isTitleId(s)) return s;
  const direct = parseArxivId(s);
  if (direct) return direct.id;
  let url: URL | null = null;
  try {
    url = new URL(s);
  } catch {
    // not a URL: fall through to the error below
  }
  if (url && /^https?:$/.test(url.protocol)) {
    const host = url.hostname.replace(/^www\./, '');
    const path = decodePath(url.pathname, ref);
    const m =
      host === 'huggingface.co' || host === 'hf.co'
        ? /^\/papers\/(.+?)\/?$/.exec(path)
        : host === 'arxiv.org' || host === 'export.arxiv.org'
          ? /^\/(?:abs|pdf|html)\/(.+?)(?:\.pdf)?\/?$/.exec(path)
          : null;
    const id = m ? parseArxivId(m[1]!) : null;
    if (id) return id.id;
  }
  throw new UsageError(`"${ref}" is not a paper id, a number from the last list, or a huggingface.co/papers or arxiv.org URL`);
}

/** A URL path with its %-escapes decoded; a usage error naming `ref` when one is malformed (`%ZZ`). */
function decodePath(path: string, ref: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new UsageError(`"${ref}" is not a valid URL: a malformed %-escape in its path`);
  }
}

/** Run `papers show`. */
async function run(ref: string, flags: ShowOptions, app: App): Promise<void> {
  const { ctx } = app;
  if (flags.fields !== undefined && !flags.json) throw new UsageError('--fields needs --json');
  const fields = fieldsFromFlags(flags, 'json', [...FIELD_PATHS_WITH_LISTINGS, 'linked']);
  const db = await app.db();
  const id = resolveReference(db, ref);
  const row = getPaper(db, id);
  if (!row) throw new NoResultsError(`paper ${id} is not in the database; import or fetch its listing first`);
  const listings = listingsOf(db, id);
  row.listings = listings;
  row.watched = watchMatches(db, watchTerms(db).map((term) => ({ term, match: termExpression(term) })), [id]).get(id) ?? [];
  const linked = await linkedFor(app, id, flags);
  if (flags.json) {
    ctx.stdout.write(forTerminal(ctx.stdoutIsTTY, JSON.stringify(paperObject(row, fields, { linked: linkedJson(linked) }), null, 2), 'json') + '\n');
    return;
  }
  const style = await loadStyle(ctx.color);
  const width = ctx.stdoutIsTTY ? ctx.width : null;
  let text = showText(row, listings, style, width);
  if (linked) {
    const { linkedText } = await import('../render/linked.js');
    const { LINKED_LIMIT } = await import('../fetch/hf-linked.js');
    text += linkedText(linked, style, width, LINKED_LIMIT);
  }
  await writePaged(app, text);
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

/** `linked` of `show --json`: every stored repository by kind, most liked first; null when never fetched. */
function linkedJson(linked: StoredLinked | null): Record<string, unknown> | null {
  if (!linked) return null;
  const { model, dataset, space } = linked.repos;
  return {
    models: model.map((r) => ({ id: r.id, likes: r.likes, downloads: r.downloads })),
    datasets: dataset.map((r) => ({ id: r.id, likes: r.likes, downloads: r.downloads })),
    spaces: space.map((r) => ({ id: r.id, likes: r.likes })),
    fetchedAt: linked.fetchedAt,
  };
}
