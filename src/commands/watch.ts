/** `papers watch add|rm|ls` — terms to watch for in new listings. */
import type { App } from '../app.js';
import { NoResultsError, UsageError } from '../errors.js';
import { normalizeLine } from '../model.js';
import { MAX_WATCH_TERMS, parseQuery, toMatchExpression } from '../store/fts-query.js';
import { addWatch, removeWatch, watchTerms } from '../store/state.js';
import { diagnostic } from '../render/diagnostic.js';
import { forTerminal } from '../render/sanitize.js';
import { Option } from 'commander';
import { argument, defineCommand } from './_command.js';

export default defineCommand({
  name: 'watch',
  summary: 'terms to watch for: matching papers are marked in `today`/`list` on a terminal; `--watched` filters to them',
  examples: ['papers watch add diffusion "state space"', 'papers watch ls', 'papers today --watched'],
  subcommands: [
    defineCommand<{ terms: string[] }>({
      name: 'add',
      summary: 'watch terms (each searched like `papers search TERM`)',
      args: [argument('<terms...>')],
      run: (opts, app) => add(opts.terms, app),
    }),
    defineCommand<{ terms: string[] }>({
      name: 'rm',
      aliases: ['remove'],
      summary: 'stop watching terms',
      args: [argument('<terms...>')],
      run: (opts, app) => remove(opts.terms, app),
    }),
    defineCommand<{ json?: boolean }>({
      name: 'ls',
      aliases: ['list'],
      summary: 'print the watch list, one term per line',
      options: [new Option('--json', 'print a JSON array')],
      run: list,
    }),
  ],
});

/** Run `papers watch add TERM...`. */
async function add(terms: string[], app: App): Promise<void> {
  const db = await app.db();
  const normalized = terms.map((raw) => {
    const term = normalizeLine(raw);
    // A term is searched like `papers search TERM`: it must contain a word.
    if (!toMatchExpression(parseQuery(term))) throw new UsageError(`cannot watch "${raw}": it has no words to search for`);
    return term;
  });
  // The whole command is refused, nothing added, when the list would outgrow its cap.
  // The list is unique under SQLite's NOCASE, which folds ASCII letters only.
  const fold = (t: string) => t.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const have = new Set(watchTerms(db).map(fold));
  const fresh = new Set(normalized.map(fold).filter((t) => !have.has(t)));
  if (have.size + fresh.size > MAX_WATCH_TERMS) {
    throw new UsageError(`the watch list holds at most ${MAX_WATCH_TERMS} terms (it has ${have.size}, ${fresh.size} more asked for); remove some with \`papers watch rm TERM\``);
  }
  for (const term of normalized) {
    const added = addWatch(db, term, app.ctx.now);
    diagnostic(app.ctx.stderr, added ? `watching "${term}"` : `already watching "${term}"`);
  }
}

/** Run `papers watch rm TERM...`. */
async function remove(terms: string[], app: App): Promise<void> {
  const db = await app.db();
  const missing = terms.filter((t) => !removeWatch(db, normalizeLine(t)));
  const removed = terms.length - missing.length;
  if (removed > 0) diagnostic(app.ctx.stderr, `stopped watching ${removed} term${removed === 1 ? '' : 's'}`);
  if (missing.length) throw new NoResultsError(`not on the watch list: ${missing.map((t) => `"${t}"`).join(', ')}`);
}

/** Run `papers watch ls`: one term per line on stdout. */
async function list(flags: { json?: boolean }, app: App): Promise<void> {
  const terms = watchTerms(await app.db());
  if (flags.json) {
    app.ctx.stdout.write(forTerminal(app.ctx.stdoutIsTTY, JSON.stringify(terms), 'json') + '\n');
    return;
  }
  if (terms.length === 0) throw new NoResultsError('the watch list is empty: add a term with `papers watch add TERM`');
  for (const t of terms) app.ctx.stdout.write(forTerminal(app.ctx.stdoutIsTTY, t, 'text') + '\n');
}
