/** `papers export` — papers in a data format, to stdout or atomically to a file. */
import type { App } from '../app.js';
import { createAtomicWriter } from '../atomic.js';
import { InputError, NoResultsError } from '../errors.js';
import { FIELD_PATHS_WITH_LISTINGS } from '../render/fields.js';
import { listingsReader, listPapers } from '../store/query.js';
import type { FilterFlags } from './_options.js';
import { fieldsFromFlags, filtersFromFlags, formatRows, rangeFromFlags, type DataFormat } from './_shared.js';

export interface ExportFlags extends FilterFlags {
  output?: string;
  summary?: boolean;
}

/** Run `papers export`. */
export async function run(flags: ExportFlags, app: App): Promise<void> {
  const { ctx } = app;
  const format = (flags.format ?? 'jsonl') as DataFormat;
  const fields = fieldsFromFlags(flags, FIELD_PATHS_WITH_LISTINGS);
  const filters = filtersFromFlags(flags);
  // No range: the whole database, papers no listing carried included.
  const range = await rangeFromFlags(flags, ctx.now);
  const db = await app.db();
  const rows = listPapers(db, { ...filters, range });
  if (rows.length === 0) throw new NoResultsError('no papers to export (nothing matches the filters)');
  // Every listing, so that importing the export restores them all; CSV/TSV only when asked for.
  if (fields ? fields.includes('listings') : format === 'json' || format === 'jsonl') {
    const listingsOf = listingsReader(db);
    for (const r of rows) r.listings = listingsOf(r.id);
  }
  const text = await formatRows(rows, format, fields, { summary: flags.summary === true });
  if (!flags.output || flags.output === '-') {
    ctx.stdout.write(text);
    return;
  }
  // Temp file + rename: the file is the old export or the complete new one, never half of one.
  let writer;
  try {
    writer = await createAtomicWriter(flags.output);
    await writer.write(text);
    await writer.commit();
  } catch (err) {
    await writer?.abort().catch(() => {});
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`cannot write ${flags.output}: ${e.code === 'ENOENT' ? 'no such folder' : e.code === 'EISDIR' ? 'it is a folder' : e.code === 'EACCES' ? 'permission denied' : e.message}`);
  }
  ctx.stderr.write(`exported ${rows.length} paper${rows.length === 1 ? '' : 's'} as ${format} to ${flags.output}\n`);
}
