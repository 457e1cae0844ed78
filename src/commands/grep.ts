/** `papers grep PATTERN` — regular expressions over the stored papers, with grep's flags and exit codes. */
import type { App } from '../app.js';
import { NoResultsError, UsageError } from '../errors.js';
import { compilePattern, excerpt, findMatches, parseFields, type GrepMatch } from '../grep.js';
import { FIELD_PATHS } from '../render/fields.js';
import { plainRecord } from '../render/text.js';
import { grepScan } from '../store/grep-scan.js';
import { HL_CLOSE, HL_OPEN, latestListing, type PaperRow } from '../store/query.js';
import { forTerminal } from '../render/sanitize.js';
import { Option } from 'commander';
import { argument, defineCommand, optionTable } from './_command.js';
import { configuredLimit, fieldsFromFlags, filtersFromFlags, outputMode, rangeFromFlags } from './_flags.js';
import { filterOptions, type FilterOptions } from './_options.js';
import { formatRows, jsonlLine, printRows, type DataFormat } from './_shared.js';

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
    new Option('--in <fields>', 'where to look: comma list of title, abstract, authors, keywords').default('title,abstract'),
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

/** The text of a field as grep sees it (authors and keywords comma-joined, as printed). */
function fieldText(row: PaperRow, field: GrepMatch['field']): string {
  switch (field) {
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
  const { regex, literal, exact } = compilePattern(pattern, {
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
  const scan = grepScan(db, { fields, regex, literal: literal ? { text: literal, ignoreCase: flags.ignoreCase === true, exact } : null, filters });

  // A count or a list of ids is for programs: the config's reading limit never cuts it.
  const limit = filters.limit ?? (flags.count || flags.filesWithMatches ? null : configuredLimit(app, mode)) ?? Infinity;
  const hits: Array<{ row: PaperRow; matches: GrepMatch[] }> = [];
  let count = 0;
  const listed = latestListing(db);
  // One write per batch of hits, not per line: a write is a promise and a syscall.
  let pending = '';
  scanning: for await (const batch of scan) {
    for (const hit of batch) {
      // -c and -l need no row: the scan found one match, and a count or an id is all they print.
      if (flags.count) {
        count++;
      } else if (flags.filesWithMatches) {
        count++;
        pending += forTerminal(ctx.stdoutIsTTY, hit.id, 'text') + '\n';
      } else {
        const found = hit.row();
        if (!found) continue;
        const matches = fields.flatMap((f) => findMatches(regex, f, fieldText(found, f)));
        if (matches.length === 0) continue;
        count++;
        const row = listed(found);
        // Stream what can be streamed; the TTY view needs all rows to align them.
        if (mode === 'jsonl') pending += jsonlLine(row, selected, ctx.stdoutIsTTY, { matches });
        else if (mode === 'plain') pending += plainRecord(row);
        else hits.push({ row, matches });
      }
      if (pending.length >= 65_536) {
        await ctx.stdout.write(pending);
        pending = '';
      }
      if (count >= limit) break scanning;
    }
    if (pending) await ctx.stdout.write(pending);
    pending = '';
  }
  if (pending) await ctx.stdout.write(pending);
  if (flags.count) ctx.stdout.write(`${count}\n`);
  if (count === 0) throw new NoResultsError(`no papers match /${pattern}/`);
  if (mode !== 'tty' && hits.length > 0) {
    // json, csv, tsv, md, bibtex: the matching papers in that format, as every command prints them.
    const matchesOf = new Map(hits.map((h) => [h.row, h.matches]));
    const extra = (row: PaperRow) => ({ matches: matchesOf.get(row) });
    ctx.stdout.write(await formatRows(hits.map((h) => h.row), mode as DataFormat, selected, { terminal: ctx.stdoutIsTTY, extra }));
  } else if (mode === 'tty' && hits.length > 0) {
    const shown = hits.map(({ row, matches }) => {
      const inTitle = matches.filter((m) => m.field === 'title');
      const rest = fields.filter((f) => f !== 'title');
      const snippet = rest
        .map((f) => excerpt(fieldText(row, f), matches.filter((m) => m.field === f), HL_OPEN, HL_CLOSE))
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
