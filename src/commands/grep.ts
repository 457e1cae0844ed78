/** `papers grep PATTERN` — regular expressions over the stored papers, with grep's flags and exit codes. */
import type { App } from '../app.js';
import type { Db } from '../store/db.js';
import { NoResultsError, UsageError } from '../errors.js';
import { compilePattern, excerpt, findMatches, matchesAny, parseFields, type ColumnField, type GrepMatch } from '../grep.js';
import { FIELD_PATHS } from '../render/fields.js';
import { grepCandidates, latestListing } from '../store/query.js';
import { grepScan, type GrepHit } from '../store/grep-scan.js';
import { HL_CLOSE, HL_OPEN, type PaperRow } from '../model.js';
import { Option } from 'commander';
import { argument, defineCommand, optionTable } from './_command.js';
import { configuredLimit, fieldsFromFlags, filtersFromFlags, outputMode, rangeFromFlags } from './_flags.js';
import { filterOptions, type FilterOptions } from './_options.js';
import { idLine, printPapers, recordLine } from '../render/printer.js';
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
  const { regex, literal, exact, alternatives } = compilePattern(pattern, {
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
  const body = fields.includes('body') ? await bodyReader(db) : () => '';
  const textOf = (row: PaperRow, f: GrepMatch['field']) => fieldText(row, f, body);
  // Stored full texts are compressed, out of SQL's reach: with them the scan reads whole rows.
  const scan = fields.includes('body')
    ? bodyScan(grepCandidates(db, filters, fields, literal ? { text: literal, ignoreCase: flags.ignoreCase === true } : null), (row) => fields.some((f) => matchesAny(regex, textOf(row, f))))
    : grepScan(db, { fields: fields.filter((f): f is ColumnField => f !== 'body'), regex, literal: literal ? { text: literal, ignoreCase: flags.ignoreCase === true, exact } : null, alternatives: alternatives && { texts: alternatives, ignoreCase: flags.ignoreCase === true }, filters });

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
        pending += idLine(ctx, hit.id);
      } else {
        const found = hit.row();
        if (!found) continue;
        const matches = fields.flatMap((f) => findMatches(regex, f, textOf(found, f)));
        if (matches.length === 0) continue;
        count++;
        const row = listed(found);
        // Stream what can be streamed; the TTY view needs all rows to align them.
        if (mode === 'jsonl') pending += recordLine(ctx, row, mode, { fields: selected, extra: () => ({ matches }) });
        else if (mode === 'plain') pending += recordLine(ctx, row, mode);
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

/** Candidate rows as the scan's batches of hits, keeping those `matches` accepts. */
async function* bodyScan(rows: Iterable<PaperRow>, matches: (row: PaperRow) => boolean): AsyncGenerator<GrepHit[]> {
  let batch: GrepHit[] = [];
  for (const row of rows) {
    if (!matches(row)) continue;
    batch.push({ pk: 0, id: row.id, row: () => row });
    if (batch.length === 256) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
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
