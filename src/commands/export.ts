/** `papers export` — papers in a data format, to stdout or atomically to a file. */
import type { App } from '../app.js';
import { InputError, InterruptedError, NoResultsError, OutputError } from '../errors.js';
import { ioReason } from '../output.js';
import { FIELD_PATHS_WITH_LISTINGS } from '../render/fields.js';
import { iteratePapers, listingsReader } from '../store/query.js';
import type { PaperRow } from '../model.js';
import { diagnostic } from '../render/diagnostic.js';
import { defineCommand, optionTable } from './_command.js';
import { fieldsFromFlags, filtersFromFlags, outputMode, rangeFromFlags } from './_flags.js';
import { filterOptions, type FilterOptions } from './_options.js';
import type { DataFormat } from '../render/formats.js';
import { dataBlocks, printPapers } from '../render/printer.js';
import { printTarget } from './_print.js';

/** Options of `papers export`. */
interface ExportOptions extends FilterOptions {
  output?: string;
  summary?: boolean;
}

export default defineCommand<ExportOptions>({
  name: 'export',
  summary: 'write papers in a data format (default jsonl): the whole database, or what the filters select',
  options: [
    ...optionTable`
      -o, --output <file>  write to FILE atomically (a temp file renamed into place) instead of stdout
      --summary            md: the AI summary instead of the abstract (the abstract when there is none)
    `,
    ...filterOptions(),
  ],
  notes: 'Formats: jsonl (default), json, csv (RFC 4180), tsv, md (a Markdown digest), bibtex.',
  examples: [
    'papers export -o papers.jsonl',
    'papers export --week 2025-W34 --format md --summary -o digest.md',
    'papers export --starred --format bibtex >> refs.bib',
    'papers export --format csv --fields id,title,upvotes,urls.pdf',
  ],
  run,
});

/** Run `papers export`. */
async function run(flags: ExportOptions, app: App): Promise<void> {
  const { ctx } = app;
  // --json, --jsonl and --format mean what they mean everywhere; none of them: jsonl.
  const format = (flags.json || flags.jsonl || flags.format ? outputMode(flags, ctx) : 'jsonl') as DataFormat;
  const fields = fieldsFromFlags(flags, format, FIELD_PATHS_WITH_LISTINGS);
  const filters = filtersFromFlags(flags);
  // No range: the whole database, papers no listing carried included.
  const range = await rangeFromFlags(flags, ctx.now);
  const db = await app.db();
  // Every listing, so that importing the export restores them all; CSV/TSV only when asked for.
  const listingsOf = (fields ? fields.includes('listings') : format === 'json' || format === 'jsonl') ? listingsReader(db) : null;
  // Rows are read as they are written: a whole database does not fit in one string.
  const rows = iteratePapers(db, { ...filters, range });
  try {
    const first = rows.next();
    if (first.done) throw new NoResultsError('no papers to export (nothing matches the filters)');
    let count = 0;
    const all = function* (): Generator<PaperRow> {
      for (let r: IteratorResult<PaperRow> = first; !r.done; r = rows.next()) {
        count++;
        yield listingsOf ? { ...r.value, listings: listingsOf(r.value.id) } : r.value;
      }
    };
    const output = flags.output === '-' ? undefined : flags.output;
    const summary = flags.summary === true;
    if (!output) {
      await printPapers(printTarget(app), all(), { mode: format, fields, summary, bulk: true });
      return;
    }
    // A file gets the exact bytes (a terminal, through the printer, bytes that cannot drive it).
    await writeAtomically(output, dataBlocks(all(), format, { fields, summary, terminal: false }), app.signal);
    diagnostic(ctx.stderr, `exported ${count} paper${count === 1 ? '' : 's'} as ${format} to ${output}`);
  } finally {
    // Ends the statement whatever happened: an open one keeps the database from closing.
    rows.return(undefined);
  }
}

/**
 * Temp file + rename: the file is the old export or the complete new one, never half of one.
 * Ctrl-C stops between blocks and removes the temp file (each write lets the signal in).
 */
async function writeAtomically(path: string, chunks: AsyncIterable<string>, signal: AbortSignal): Promise<void> {
  const out = await openOutput(path);
  try {
    for await (const text of chunks) {
      await out.write(text);
      if (signal.aborted) throw new InterruptedError(`interrupted: ${path} was not written`);
    }
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}

/** The atomic writer of `-o FILE`, its failures turned into one-line errors: the disk's are exit 74, a bad target exit 2. */
export async function openOutput(path: string) {
  // Loaded here: node:crypto (its temp names) costs every start-up that declares export.
  const { createAtomicWriter, ReadOnlyTargetError } = await import('../atomic.js');
  const fail = (err: unknown): never => {
    if (err instanceof ReadOnlyTargetError) {
      throw new InputError(`cannot write ${path}: it is read-only, so it was left as it is (make it writable to replace it)`);
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOSPC' || e.code === 'EFBIG' || e.code === 'EIO' || e.code === 'EDQUOT') {
      throw new OutputError(`cannot write ${path}: ${ioReason(e)}; the file was left as it was`);
    }
    const why: Record<string, string> = { ENOENT: 'no such folder', EISDIR: 'it is a folder', EACCES: 'permission denied', ELOOP: 'too many levels of symbolic links' };
    throw new InputError(`cannot write ${path}: ${why[e.code ?? ''] ?? e.message}`);
  };
  const writer = await createAtomicWriter(path).catch(fail);
  return {
    write: (text: string) => writer.write(text).catch(fail),
    commit: () => writer.commit().catch(fail),
    abort: () => writer.abort().catch(() => {}),
  };
}
