/** `papers grep PATTERN` — regular expressions over the stored papers, with grep's flags and exit codes. */
import type { App } from '../app.js';
import type { Db } from '../store/db.js';
import { NoResultsError, UsageError } from '../errors.js';
import { compilePattern, excerpt, findMatches, matchesAny, parseFields, type GrepMatch } from '../grep.js';
import { FIELD_PATHS } from '../render/fields.js';
import { grepCandidates, latestListing } from '../store/query.js';
import { HL_CLOSE, HL_OPEN, type PaperRow } from '../model.js';
import { Option } from 'commander';
import { argument, defineCommand, optionTable } from './_command.js';
import { configuredLimit, fieldsFromFlags, filtersFromFlags, outputMode, rangeFromFlags } from './_flags.js';
import { filterOptions, type FilterOptions } from './_options.js';
import { printId, printPapers, printRecord } from '../render/printer.js';
import { printRows, printTarget } from './_print.js';

/** Options of `papers grep` (also what `papers search --regex` passes on). */
export interface GrepOptions extends FilterOptions {
  in?: string;
  ignoreCase?: boolean;
  wordRegexp?: boolean;
  fixedStrings?: boolean;
  count?: boolean;
  filesWithMatches?: boolean;
}

export default defineCommand<GrepOptions & { pattern: string }>({
  name: 'grep',
  summary: 'regular-expression search of titles and abstracts (JavaScript syntax), like grep',
  args: [argument('<pattern>', 'a JavaScript regular expression (or a fixed string with -F)')],
  options: [
    new Option('--in <fields>', 'where to look: comma list of title, abstract, authors, keywords, body (the stored full texts of `show --full`)').default('title,abstract'),
    ...optionTable`
      -i, --ignore-case         case-insensitive
      -w, --word-regexp         match whole words only
      -F, --fixed-strings       PATTERN is a fixed string, not a regular expression
      -c, --count               print only the number of matching papers
      -l, --files-with-matches  print only the ids of matching papers
    `,
    ...filterOptions(),
  ],
  notes: "Exit status is grep's: 0 matched, 1 no match, 2 error (an invalid regex included).",
  examples: ["papers grep -i 'state[- ]space model'", 'papers grep -w -c RLHF --since 30d', "papers grep --in authors -F 'Yann LeCun' -l | xargs -n1 papers show"],
  run: (opts, app) => grep(opts.pattern, opts, app),
});

/** The text of a field as grep sees it (authors and keywords comma-joined, as printed; `body` the stored full text, or ''). */
function fieldText(row: PaperRow, field: GrepMatch['field'], body: (id: string) => string): string {
  switch (field) {
    case 'body':
      return body(row.id);
    case 'title':
      return row.title;
    case 'abstract':
      return row.abstract;
    case 'authors':
      return row.authors.join(', ');
    case 'keywords':
      return row.keywords.join(', ');
  }
}

/** Run `papers grep` (also `papers search --regex`). */
export async function grep(pattern: string, flags: GrepOptions, app: App): Promise<void> {
  const { ctx } = app;
  const fields = parseFields(flags.in);
  const { regex, literal } = compilePattern(pattern, {
    ignoreCase: flags.ignoreCase === true,
    word: flags.wordRegexp === true,
    fixed: flags.fixedStrings === true,
  });
  const filters = { ...filtersFromFlags(flags), range: await rangeFromFlags(flags, ctx.now) };
  const mode = outputMode(flags, ctx);
  if ((flags.count || flags.filesWithMatches) && flags.fields !== undefined) throw new UsageError('--fields does not apply to -c and -l: they print counts and ids');
  // Each paper's matches are a field of JSON and JSONL: there by default, like any other, and selectable.
  const withMatches = mode === 'json' || mode === 'jsonl';
  const selected = fieldsFromFlags(flags, mode, withMatches ? [...FIELD_PATHS, 'matches'] : FIELD_PATHS);
  const db = await app.db();
  const rows = grepCandidates(db, filters, fields, literal ? { text: literal, ignoreCase: flags.ignoreCase === true } : null);
  const body = fields.includes('body') ? await bodyReader(db) : () => '';
  const textOf = (row: PaperRow, f: GrepMatch['field']) => fieldText(row, f, body);

  // A count or a list of ids is for programs: the config's reading limit never cuts it.
  const limit = filters.limit ?? (flags.count || flags.filesWithMatches ? null : configuredLimit(app, mode)) ?? Infinity;
  const hits: Array<{ row: PaperRow; matches: GrepMatch[] }> = [];
  let count = 0;
  const listed = latestListing(db);
  for (const candidate of rows) {
    const onlyCounted = flags.count || flags.filesWithMatches;
    // A count or an id list needs one match per paper, not every match.
    if (onlyCounted && !fields.some((f) => matchesAny(regex, textOf(candidate, f)))) continue;
    const matches = onlyCounted ? [] : fields.flatMap((f) => findMatches(regex, f, textOf(candidate, f)));
    if (!onlyCounted && matches.length === 0) continue;
    count++;
    const row = flags.count || flags.filesWithMatches ? candidate : listed(candidate);
    // Stream what can be streamed; the TTY view needs all rows to align them.
    if (flags.count) {
      // counted only
    } else if (flags.filesWithMatches) await printId(ctx, row.id);
    else if (mode === 'jsonl') await printRecord(ctx, row, mode, { fields: selected, extra: () => ({ matches }) });
    else if (mode === 'plain') await printRecord(ctx, row, mode);
    else hits.push({ row, matches });
    if (count >= limit) break;
  }
  if (flags.count) ctx.stdout.write(`${count}\n`);
  if (count === 0) throw new NoResultsError(`no papers match /${pattern}/`);
  if (mode !== 'tty' && hits.length > 0) {
    // json, csv, tsv, md, bibtex: the matching papers in that format, as every command prints them.
    const matchesOf = new Map(hits.map((h) => [h.row, h.matches]));
    const extra = (row: PaperRow) => ({ matches: matchesOf.get(row) });
    await printPapers(printTarget(app), hits.map((h) => h.row), { mode, fields: selected, extra });
  } else if (mode === 'tty' && hits.length > 0) {
    const shown = hits.map(({ row, matches }) => {
      const inTitle = matches.filter((m) => m.field === 'title');
      const rest = fields.filter((f) => f !== 'title');
      const snippet = rest
        .map((f) => excerpt(textOf(row, f), matches.filter((m) => m.field === f), HL_OPEN, HL_CLOSE))
        .filter(Boolean)
        .join(' ');
      return {
        ...row,
        titleMarked: inTitle.length ? excerpt(row.title, inTitle, HL_OPEN, HL_CLOSE, 10_000) : undefined,
        snippet: snippet || undefined,
      };
    });
    await printRows(app, shown, 'tty', `${count} paper${count === 1 ? '' : 's'} matching /${pattern}/`);
  }
}

/** The stored full text of a paper ('' without one), the last one kept: grep reads each paper's fields one after another. */
async function bodyReader(db: Db): Promise<(id: string) => string> {
  const { getBody } = await import('../store/bodies.js');
  let last: { id: string; text: string } | null = null;
  return (id) => {
    if (last?.id !== id) last = { id, text: getBody(db, id)?.markdown ?? '' };
    return last.text;
  };
}
