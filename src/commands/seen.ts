/**
 * `papers seen|unseen ID|N|URL|-...` and `papers seen|unseen --last` — the seen marks that
 * `--new` goes by, set by hand: for scripts that consume a listing, and for the papers a
 * pager kept off screen. Unseen removes seen marks only, never a `papers read` mark.
 */
import type { App } from '../app.js';
import { InputError, NoResultsError, UsageError } from '../errors.js';
import { getPaper } from '../store/query.js';
import { markedAmong, markLastSeen, markSeen, markUnseen, unmarkLastSeen } from '../store/state.js';
import { resolveReference } from './_paper.js';
import { diagnostic } from '../render/diagnostic.js';
import { Option } from 'commander';
import { argument, defineCommand } from './_command.js';

/** Options of `papers seen` and `papers unseen`. */
interface SeenOptions {
  papers: string[];
  /** Every paper of the last terminal list or search (seen), or the marks it made (unseen). */
  last?: boolean;
}

/** `papers seen` and `papers unseen`: the same arguments, opposite marks. */
export default [
  seenCommand(
    'seen',
    'mark papers seen, as if shown on a terminal (`--new` hides them); --last: all of the last list, also those the pager kept off screen',
    'every paper of the last list or search printed on a terminal',
    ['papers seen 3 5 2506.05176', 'papers seen --last', 'papers list --new | cut -f1 | papers seen -'],
  ),
  seenCommand(
    'unseen',
    'remove seen marks (not read marks: `papers unread`); --last: the marks the last list made',
    'the seen marks the last list made (papers seen before it stay seen)',
    ['papers unseen 2506.05176', 'papers unseen --last'],
  ),
];

function seenCommand(name: 'seen' | 'unseen', summary: string, last: string, examples: string[]) {
  return defineCommand<SeenOptions>({
    name,
    summary,
    args: [argument('[papers...]', 'arXiv ids, numbers from the last list/search, URLs, or - to read them from standard input (one a line)')],
    options: [new Option('--last', last)],
    notes: "A terminal listing marks seen only the papers that were on screen: all of them when it\nfits the screen or is printed without a pager, else those on the pager's first screen.",
    examples,
    run: (opts, app) => run(name === 'seen', opts.papers, opts, app),
  });
}

/** Largest standard input read for `-` (references, one a line). */
export const MAX_REFERENCE_BYTES = 16 * 1024 * 1024;

/** Run `papers seen` (`mark` true) or `papers unseen`. */
async function run(mark: boolean, refs: string[], flags: SeenOptions, app: App): Promise<void> {
  const { ctx } = app;
  const name = mark ? 'seen' : 'unseen';
  if (flags.last && refs.length > 0) throw new UsageError(`papers ${name}: give papers or --last, not both`);
  if (!flags.last && refs.length === 0) {
    throw new UsageError(`papers ${name} needs papers (ids, numbers from the last list, URLs, or - to read them from standard input) or --last`);
  }
  if (refs.filter((r) => r === '-').length > 1) throw new UsageError('standard input (-) can be read only once');
  const db = await app.db();
  if (flags.last) {
    if (mark) {
      const { ids, fresh } = markLastSeen(db, ctx.now);
      if (ids.length === 0) throw noLastList();
      diagnostic(ctx.stderr, `marked ${papers(ids.length)} of the last list seen${already(ids.length - fresh.length, 'seen')}`);
    } else {
      const { ids, removed } = unmarkLastSeen(db);
      if (ids.length === 0) throw noLastList();
      const others = ids.length - removed;
      diagnostic(ctx.stderr, `marked ${papers(removed)} of the last list unseen${others > 0 ? ` (the ${others} other${others === 1 ? '' : 's'}: marked before it, read, or never marked)` : ''}`);
    }
    return;
  }
  const given = refs.includes('-') ? [...refs.filter((r) => r !== '-'), ...(await readReferences(ctx.stdin))] : refs;
  // Resolve every reference first: one bad reference changes nothing.
  const ids = given.map((ref) => {
    const id = resolveReference(db, ref);
    if (!getPaper(db, id)) throw new NoResultsError(`paper ${id} is not in the database`);
    return id;
  });
  const unique = [...new Set(ids)];
  const n = unique.length;
  if (mark) {
    const fresh = markSeen(db, unique, ctx.now);
    diagnostic(ctx.stderr, `marked ${papers(n)} seen${already(n - fresh.length, 'seen')}`);
    return;
  }
  const kept = markedAmong(db, unique).size;
  const removed = markUnseen(db, unique);
  const keptNote = kept > 0 ? `; ${papers(kept)} marked read by hand stay${kept === 1 ? 's' : ''} read: \`papers unread\` removes that mark` : '';
  diagnostic(ctx.stderr, `marked ${papers(n - kept)} unseen${already(n - kept - removed, 'unseen')}${keptNote}`);
}

/** "1 paper", "3 papers". */
const papers = (n: number) => `${n} paper${n === 1 ? '' : 's'}`;

/** " (2 already seen)", or nothing. */
const already = (n: number, what: string) => (n > 0 ? ` (${n} already ${what})` : '');

function noLastList(): UsageError {
  return new UsageError('no last list: --last means the papers of the last `papers today`, `list` or search printed on a terminal');
}

/**
 * References from standard input, one a line; a tab-separated line counts by its first
 * field, so the piped output of `papers list` can be passed on as it is.
 */
async function readReferences(stdin: AsyncIterable<Buffer>): Promise<string[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_REFERENCE_BYTES) throw new InputError(`standard input is larger than ${MAX_REFERENCE_BYTES >> 20} MB`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .map((line) => line.split('\t')[0]!.trim())
    .filter((ref) => ref !== '');
}
