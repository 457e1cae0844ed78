/** `papers show ID|N|URL` — one paper in full. */
import type { App } from '../app.js';
import { UsageError } from '../errors.js';
import { FIELD_PATHS_WITH_LISTINGS } from '../render/fields.js';
import { loadStyle } from '../render/style.js';
import { showText } from '../render/text.js';
import { getPaper, listingsOf } from '../store/query.js';
import { termExpression, watchMatches, watchTerms } from '../store/state.js';
import { forTerminal } from '../render/sanitize.js';
import { Option } from 'commander';
import { argument, defineCommand } from './_command.js';
import { fieldsFromFlags } from './_flags.js';
import { fieldsOption } from './_options.js';
import { paperObject, writePaged } from './_shared.js';
import { fetchMissing, paperFetchOptions, resolveReference, type PaperFetchFlags } from './_paper.js';

/** Options of `papers show`. */
interface ShowOptions extends PaperFetchFlags {
  paper: string;
  json?: boolean;
  fields?: string;
}

export default defineCommand<ShowOptions>({
  name: 'show',
  summary: 'show one paper in full',
  args: [argument('<paper>', 'an arXiv id, a number from the last list/search, or a huggingface.co / arxiv.org URL')],
  options: [
    new Option('--json', 'print the paper as a JSON object (with its listings); --json=FIELDS is short for --json --fields FIELDS'),
    fieldsOption('in --json'),
    ...paperFetchOptions(),
  ],
  notes: 'A paper not in the database is fetched from Hugging Face and stored (not with --offline).',
  examples: ['papers show 2506.05176', 'papers show 2', 'papers show https://arxiv.org/abs/2506.05176v2', 'papers show 2 --json=id,title,listings'],
  run: (opts, app) => run(opts.paper, opts, app),
});

/** Run `papers show`. */
async function run(ref: string, flags: ShowOptions, app: App): Promise<void> {
  const { ctx } = app;
  if (flags.fields !== undefined && !flags.json) throw new UsageError('--fields needs --json');
  const fields = fieldsFromFlags(flags, 'json', FIELD_PATHS_WITH_LISTINGS);
  const db = await app.db();
  const id = resolveReference(db, ref);
  const row = getPaper(db, id) ?? (await fetchMissing(app, id, flags));
  const listings = listingsOf(db, id);
  row.listings = listings;
  row.watched = watchMatches(db, watchTerms(db).map((term) => ({ term, match: termExpression(term) })), [id]).get(id) ?? [];
  if (flags.json) {
    ctx.stdout.write(forTerminal(ctx.stdoutIsTTY, JSON.stringify(paperObject(row, fields), null, 2), 'json') + '\n');
    return;
  }
  const style = await loadStyle(ctx.color);
  const text = showText(row, listings, style, ctx.stdoutIsTTY ? ctx.width : null);
  await writePaged(app, text);
}
