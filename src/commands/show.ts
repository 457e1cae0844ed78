/** `papers show ID|N|URL` — one paper in full. */
import type { App } from '../app.js';
import { NoResultsError, UsageError } from '../errors.js';
import { isTitleId, parseArxivId } from '../model.js';
import { FIELD_PATHS_WITH_LISTINGS } from '../render/fields.js';
import type { Db } from '../store/db.js';
import { getPaper, listingsOf, shownAs } from '../store/query.js';
import { termExpression, watchMatches, watchTerms } from '../store/state.js';
import { Option } from 'commander';
import { argument, defineCommand } from './_command.js';
import { fieldsFromFlags } from './_flags.js';
import { fieldsOption } from './_options.js';
import { printPaper } from '../render/printer.js';
import { printTarget } from './_print.js';

/** Options of `papers show`. */
interface ShowOptions {
  paper: string;
  json?: boolean;
  fields?: string;
}

export default defineCommand<ShowOptions>({
  name: 'show',
  summary: 'show one paper in full',
  args: [argument('<paper>', 'an arXiv id, a number from the last list/search, or a huggingface.co / arxiv.org URL')],
  options: [new Option('--json', 'print the paper as a JSON object (with its listings); --json=FIELDS is short for --json --fields FIELDS'), fieldsOption('in --json')],
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
  if (flags.fields !== undefined && !flags.json) throw new UsageError('--fields needs --json');
  const fields = fieldsFromFlags(flags, 'json', FIELD_PATHS_WITH_LISTINGS);
  const db = await app.db();
  const id = resolveReference(db, ref);
  const row = getPaper(db, id);
  if (!row) throw new NoResultsError(`paper ${id} is not in the database; import or fetch its listing first`);
  row.listings = listingsOf(db, id);
  row.watched = watchMatches(db, watchTerms(db).map((term) => ({ term, match: termExpression(term) })), [id]).get(id) ?? [];
  await printPaper(printTarget(app), row, { json: flags.json === true, fields });
}
