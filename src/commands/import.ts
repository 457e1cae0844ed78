/** `papers import FILE... | -` — read saved listings into the database, one transaction per file. */
// fs.promises, not node:fs/promises: that module costs every start-up that declares this command.
import { createReadStream, promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import type { App } from '../app.js';
import { dayFromFileName, parseDay } from '../dates-day.js';
import { ExitCode, InputError, InterruptedError, PapersError } from '../errors.js';
import { decodeInput, detectFormat } from '../sources/registry.js';
import type { ParsedListing } from '../model.js';
import { storeListing, type FetchRecord } from '../store/write.js';
import { toDatabaseError } from '../store/db-errors.js';
import { note } from './_shared.js';
import { countsLine, finishIndex, importStream, isBulkImport, sniffStream, type ImportSummary } from './_bulk.js';
import { diagnostic } from '../render/diagnostic.js';
import { argument, defineCommand, optionTable } from './_command.js';

/** Options of `papers import`. */
interface ImportOptions {
  format?: string;
  date?: string;
  strict?: boolean;
}

export default defineCommand<ImportOptions & { files: string[] }>({
  name: 'import',
  summary: 'import saved listings: HF API JSON, a saved HF page (HTML), text copied from the page, or papers JSONL',
  args: [argument('<files...>', 'files to import, or - for standard input')],
  options: optionTable`
    --format <name>  force the format: hf-json, hf-html, page-text, jsonl (default: detected)
    --date <day>     listing day when the input does not say (default: the date in the file name)
    --strict         JSONL: stop at the first malformed line (default: count, report and skip it)
  `,
  examples: ['papers import 2025-06-09.json', 'pbpaste | papers import --date 2025-08-20 -', 'papers list --jsonl > backup.jsonl && papers import backup.jsonl'],
  run: (opts, app) => run(opts.files, opts, app),
});

/** Largest input read whole; larger files are refused with a clear message. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/**
 * Read a file (or stdin for `-`) with a size cap on what is read, not on what stat says:
 * /dev/zero, a FIFO or a growing file report a size of 0 or less than they hold.
 */
async function readInput(file: string, stdin: AsyncIterable<Buffer>): Promise<Uint8Array> {
  if (file === '-') return readCapped(stdin, 'standard input');
  try {
    const info = await fsp.stat(file);
    if (info.isDirectory()) throw new InputError(`${file} is a directory`);
    if (info.size > MAX_INPUT_BYTES) {
      throw new InputError(`${file} is ${Math.round(info.size / 2 ** 20)} MB; the limit for one listing is ${MAX_INPUT_BYTES >> 20} MB`);
    }
    return await readCapped(createReadStream(file, { highWaterMark: 1 << 20 }), file);
  } catch (err) {
    if (err instanceof PapersError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${file}: no such file`);
    if (code === 'EACCES') throw new InputError(`${file}: permission denied`);
    throw new InputError(`${file}: ${(err as Error).message}`);
  }
}

/** All of `input`, or an InputError as soon as more than MAX_INPUT_BYTES arrived (the rest is never read). */
async function readCapped(input: AsyncIterable<Buffer>, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    size += chunk.length;
    if (size > MAX_INPUT_BYTES) throw new InputError(`${what} is larger than ${MAX_INPUT_BYTES >> 20} MB, the limit for one listing (only JSONL files stream)`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Import one input; returns its summary. */
async function importOne(app: App, file: string, flags: ImportOptions, bulk: boolean): Promise<ImportSummary> {
  const { ctx } = app;
  const origin = file === '-' ? 'standard input' : file;
  const day = flags.date ? parseDay(flags.date, ctx.now) : file === '-' ? null : dayFromFileName(basename(file));
  // Line-delimited files stream in batches (any size, flat memory); everything else is read whole.
  const streamed = file !== '-' && (await isRegularFile(file)) ? await streamFormat(file, flags.format) : null;
  if (streamed) return importStream(app, file, { format: streamed, day, strict: flags.strict === true, bulk });
  const text = decodeInput(await readInput(file, ctx.stdin), origin);
  const source = await detectFormat(text, origin, flags.format);
  const parsed = source.parse(text, { day, origin, now: ctx.now });
  for (const w of parsed.warnings) note(ctx, `${origin}: ${w}`);
  const db = await app.db();
  const savedAt = file === '-' ? ctx.now : await savedTime(file, ctx.now);
  let stats;
  try {
    stats = storeListing(db, parsed, { now: ctx.now, fetch: completeDays(parsed, day, origin), fetchedAt: savedAt });
  } catch (err) {
    throw toDatabaseError(err, app.dbPath());
  }
  const days = stats.days.length === 0 ? 'no listing day' : stats.days.length === 1 ? `listed ${stats.days[0]}` : `listed ${stats.days[0]}…${stats.days.at(-1)} (${stats.days.length} days)`;
  const { days: _, ...counts } = stats;
  return { line: `${origin} (${parsed.format}): ${countsLine(counts)}; ${days}`, counts };
}

/**
 * The Daily Papers days this input lists in full — an API answer, or a saved page with its
 * embedded listing — recorded like a fetch (status `import`) so freshness counts them and
 * `papers list --date D` after `papers import D.json` asks the network nothing. Copied text
 * and a cards-only page are partial: none. An empty API answer (`[]`) is a complete,
 * empty day when the day is known (--date, the file name).
 */
function completeDays(parsed: ParsedListing, day: string | null, origin: string): FetchRecord[] {
  if (!parsed.complete) return [];
  const counts = new Map<string, number>();
  for (const { listing } of parsed.items) if (listing?.source === 'hf') counts.set(listing.day, (counts.get(listing.day) ?? 0) + 1);
  if (parsed.items.length === 0 && day) counts.set(day, 0);
  return [...counts].map(([period, items]) => ({ source: 'hf', period, status: 'import', detail: `import ${basename(origin)}`, items }));
}

/**
 * When the file's data was taken: its modification time (when it was saved), or now if that
 * is later or unknown. A day saved while it was still growing is then fetched once more, as
 * a fetch made at that time would be.
 */
async function savedTime(file: string, now: Date): Promise<Date> {
  try {
    const { mtime } = await fsp.stat(file);
    return mtime < now ? mtime : now;
  } catch {
    return now;
  }
}

/** True when `file` is a regular file (not a folder, FIFO or device): only those can be sniffed and streamed. */
async function isRegularFile(file: string): Promise<boolean> {
  try {
    return (await fsp.stat(file)).isFile();
  } catch {
    return false; // reported by readInput with a proper message
  }
}

/** The streamed format for `file`: forced by --format, else sniffed from its first line. */
async function streamFormat(file: string, forced?: string): Promise<'jsonl' | 'arxiv-metadata' | null> {
  if (forced) return forced === 'jsonl' || forced === 'arxiv-metadata' ? forced : null;
  return sniffStream(file);
}

/** Run `papers import`. Each file is its own transaction; a failed file does not stop the others. */
async function run(files: string[], flags: ImportOptions, app: App): Promise<void> {
  // Ctrl-C from here on is heard (exit 130, one line), while the files are looked at and the
  // database is opened too, not only once the first batch is read.
  const interrupted = app.signal;
  let firstError: PapersError | null = null;
  let failed = 0;
  const streamed: string[] = [];
  for (const file of files) if (file !== '-' && (await isRegularFile(file)) && (await streamFormat(file, flags.format).catch(() => null))) streamed.push(file);
  // Streamed files only: a file read whole stays one transaction, its papers indexed with it.
  const db = streamed.length ? await app.db() : null;
  const bulk = db !== null && (await isBulkImport(db, streamed));
  // A bulk import's papers are searchable once its index is built: its summaries come after,
  // and a Ctrl-C during the build is one line, like any other.
  const held: string[] = [];
  const total = { read: 0, added: 0, updated: 0, unchanged: 0 };
  let imported = 0;
  let completed = false;
  try {
    for (const file of files) {
      // Ctrl-C stops the whole command, between files as within a streamed one.
      if (interrupted.aborted) throw new InterruptedError(`interrupted: ${imported} of ${files.length} inputs imported, from ${file === '-' ? 'standard input' : file} on not; run the import again to finish`);
      try {
        const { line, counts } = await importOne(app, file, flags, bulk && streamed.includes(file));
        imported++;
        for (const k of ['read', 'added', 'updated', 'unchanged'] as const) total[k] += counts[k];
        if (bulk) held.push(line);
        else diagnostic(app.ctx.stderr, `imported ${line}`);
      } catch (err) {
        if (!(err instanceof PapersError) || err instanceof InterruptedError || files.length === 1) throw err;
        // The database failing (full disk, locked, not ours) fails every file after it too: stop here.
        if (err.exitCode === ExitCode.Database) {
          if (imported === 0) throw err;
          const what = `${file === '-' ? 'standard input' : file} was not imported, the ${imported} input${imported === 1 ? '' : 's'} before it were, the rest not tried`;
          throw new PapersError(`${err.message.replace(/ ?\(nothing was changed\)/, '')}; ${what}`, err.exitCode);
        }
        // Several files: report this one and go on, like cp; the exit code is the first failure's.
        note(app.ctx, err.message);
        firstError ??= err;
        failed++;
      }
    }
    completed = true;
  } finally {
    if (bulk) {
      try {
        await finishIndex(app, db, !completed);
      } catch (err) {
        // An import already failing keeps its own error, which says what was kept (a full
        // disk fails the index too): the backlog is left for the next command.
        if (completed) throw toDatabaseError(err, app.dbPath());
      }
    }
  }
  for (const line of held) diagnostic(app.ctx.stderr, `imported ${line}`);
  // Several files: their sum last, where a long run of lines ends (a paper in two files is new once).
  if (imported > 1) diagnostic(app.ctx.stderr, `imported ${imported} files: ${countsLine(total)}`);
  if (firstError) {
    throw new PapersError(imported === 0 ? `none of the ${files.length} inputs could be imported` : `${failed} of ${files.length} inputs could not be imported; the others were`, firstError.exitCode);
  }
}
