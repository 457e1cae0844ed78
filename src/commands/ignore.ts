/** `papers ignore add|rm|ls` — terms, authors and categories whose papers never reach the inbox or `--new`. */
import { Option } from 'commander';
import type { App } from '../app.js';
import { NoResultsError, UsageError } from '../errors.js';
import { normalizeLine } from '../model.js';
import { parseQuery, toMatchExpression } from '../store/fts-query.js';
import { addIgnore, ignoreRules, removeIgnore, type IgnoreRule } from '../store/ignore.js';
import { diagnostic } from '../render/diagnostic.js';
import { forTerminal } from '../render/sanitize.js';
import { argument, defineCommand } from './_command.js';
import { parseCategory } from './_options.js';

export default defineCommand({
  name: 'ignore',
  summary: 'ignore rules: papers matching a term, author:NAME or category:CAT never reach `inbox`, `digest` or `--new` (they stay searchable)',
  examples: ['papers ignore add survey "author:Jane Doe" category:cs.CR', 'papers ignore ls', 'papers ignore rm survey'],
  subcommands: [
    defineCommand<{ rules: string[] }>({
      name: 'add',
      summary: 'add rules: TERM (searched like `papers search TERM`), author:NAME (part of a name), category:CAT',
      args: [argument('<rules...>')],
      run: async (opts, app) => {
        const db = await app.db();
        // Every rule is checked before any is added.
        for (const rule of opts.rules.map(parseRule)) diagnostic(app.ctx.stderr, `${addIgnore(db, rule, app.ctx.now) ? 'ignoring' : 'already ignoring'} ${describe(rule)}`);
      },
    }),
    defineCommand<{ rules: string[] }>({
      name: 'rm',
      aliases: ['remove'],
      summary: 'remove rules, written as they were added',
      args: [argument('<rules...>')],
      run: async (opts, app) => {
        const db = await app.db();
        const missing = opts.rules.map(parseRule).filter((rule) => !removeIgnore(db, rule));
        const removed = opts.rules.length - missing.length;
        if (removed > 0) diagnostic(app.ctx.stderr, `removed ${removed} rule${removed === 1 ? '' : 's'}`);
        if (missing.length) throw new NoResultsError(`no such ignore rule: ${missing.map(describe).join(', ')}`);
      },
    }),
    defineCommand<{ json?: boolean }>({
      name: 'ls',
      aliases: ['list'],
      summary: 'print the rules, one a line (kind:value; a term as typed)',
      options: [new Option('--json', 'print a JSON array of {kind, value}')],
      run: async (flags, app) => {
        const { ctx } = app;
        const rules = ignoreRules(await app.db());
        if (flags.json) return void (await ctx.stdout.write(forTerminal(ctx.stdoutIsTTY, JSON.stringify(rules), 'json') + '\n'));
        if (rules.length === 0) throw new NoResultsError('no ignore rules: add one with `papers ignore add TERM`');
        for (const r of rules) await ctx.stdout.write(forTerminal(ctx.stdoutIsTTY, r.kind === 'term' ? r.value : `${r.kind}:${r.value}`, 'text') + '\n');
      },
    }),
  ],
});

/** `author:NAME`, `category:CAT`, or a term; a usage error when it names nothing. */
export function parseRule(raw: string): IgnoreRule {
  const text = normalizeLine(raw);
  const m = /^(author|category):\s*(.*)$/i.exec(text);
  if (m) {
    const kind = m[1]!.toLowerCase() as 'author' | 'category';
    const value = m[2]!.trim();
    if (!value) throw new UsageError(`"${raw}" names no ${kind}`);
    return { kind, value: kind === 'category' ? parseCategory(value) : value };
  }
  // A term is searched like `papers search TERM`: it must contain a word.
  if (!toMatchExpression(parseQuery(text))) throw new UsageError(`cannot ignore "${raw}": it has no words to search for`);
  return { kind: 'term', value: text };
}

function describe(rule: IgnoreRule): string {
  return rule.kind === 'term' ? `"${rule.value}"` : `${rule.kind}:${rule.value}`;
}
