/**
 * The data formats of papers (JSON, JSONL, CSV, TSV, Markdown, BibTeX): a printed paper is one
 * object (paperObject), `--fields` selects from it, and every format can be written a record
 * at a time (formatChunks) as well as whole (formatRows), with the same bytes.
 */
import type { PaperRow } from '../model.js';
import { flatColumns, selectFields } from './fields.js';
import { paperJson } from './json.js';
import { forTerminal, type DataKind } from './sanitize.js';

// Start-up: the CSV/Markdown/BibTeX writers are loaded with import() where they are used,
// so a listing printed as JSON or for people loads none of them.

/** How rows are printed: for people (tty, plain) or in a data format. */
export type OutputMode = 'tty' | 'plain' | DataFormat;
/** The data formats of `--format` and `papers export`. */
export type DataFormat = 'json' | 'jsonl' | 'csv' | 'tsv' | 'md' | 'bibtex';

/** A paper's JSON object, plus what the command adds (grep's `matches`), with only `fields` when given. */
export function paperObject(row: PaperRow, fields: readonly string[] | null, extra?: Record<string, unknown>): Record<string, unknown> {
  const obj = extra ? { ...paperJson(row), ...extra } : paperJson(row);
  return fields ? selectFields(obj, fields) : obj;
}

/** One JSONL line of a paper (see paperObject), safe for a terminal when `terminal`. */
export function jsonlLine(row: PaperRow, fields: readonly string[] | null, terminal: boolean, extra?: Record<string, unknown>): string {
  return forTerminal(terminal, JSON.stringify(paperObject(row, fields, extra)), 'json') + '\n';
}

/** How a data format is made safe for a terminal: JSON with `\u` escapes, the others visibly. */
function dataKind(format: DataFormat): DataKind {
  return format === 'json' || format === 'jsonl' ? 'json' : 'text';
}

/** How data is written: `terminal` when it goes to a terminal (stdoutIsTTY), where forTerminal neutralizes it. */
export interface FormatOptions {
  summary?: boolean;
  title?: string;
  terminal?: boolean;
  /** What JSON and JSONL add to each paper object (grep's `matches`). */
  extra?: (row: PaperRow) => Record<string, unknown>;
}

/** Rows in a data format, as one string (`md` takes an optional title; fields select JSON/CSV/TSV fields). */
export async function formatRows(rows: PaperRow[], format: DataFormat, fields: string[] | null, opts: FormatOptions = {}): Promise<string> {
  return forTerminal(opts.terminal === true, await formatRaw(rows, format, fields, opts), dataKind(format));
}

async function formatRaw(rows: PaperRow[], format: DataFormat, fields: string[] | null, opts: FormatOptions): Promise<string> {
  const objects = () => rows.map((r) => paperObject(r, fields, opts.extra?.(r)));
  switch (format) {
    case 'json':
      return JSON.stringify(objects(), null, 2) + '\n';
    case 'jsonl':
      return objects().map((o) => JSON.stringify(o) + '\n').join('');
    case 'csv':
      return (await import('./csv.js')).toCsv(rows, fields ?? undefined);
    case 'tsv':
      return (await import('./csv.js')).toTsv(rows, fields ?? undefined);
    case 'md':
      return (await import('./markdown.js')).toMarkdown(rows, { summary: opts.summary === true, ...(opts.title ? { title: opts.title } : {}) });
    case 'bibtex':
      return (await import('./bibtex.js')).toBibtex(rows);
  }
}

/**
 * Rows in a data format, a record at a time, for output too big to hold as one string
 * (a whole database at 1M papers is past V8's longest string). The same bytes as
 * formatRows, in every format.
 */
export async function* formatChunks(rows: Iterable<PaperRow>, format: DataFormat, fields: string[] | null, opts: FormatOptions = {}): AsyncGenerator<string> {
  const kind = dataKind(format);
  for await (const chunk of rawChunks(rows, format, fields, opts)) yield forTerminal(opts.terminal === true, chunk, kind);
}

async function* rawChunks(rows: Iterable<PaperRow>, format: DataFormat, fields: string[] | null, opts: FormatOptions): AsyncGenerator<string> {
  const object = (r: PaperRow) => paperObject(r, fields, opts.extra?.(r));
  switch (format) {
    case 'jsonl':
      for (const r of rows) yield JSON.stringify(object(r)) + '\n';
      return;
    case 'json': {
      // JSON.stringify(array, null, 2) an element at a time: each of its lines indented by two
      // (strings never hold a raw line break: JSON escapes it).
      let first = true;
      for (const r of rows) {
        yield (first ? '[\n  ' : ',\n  ') + JSON.stringify(object(r), null, 2).replace(/\n/g, '\n  ');
        first = false;
      }
      yield first ? '[]\n' : '\n]\n';
      return;
    }
    case 'csv':
    case 'tsv': {
      const csv = await import('./csv.js');
      const columns = flatColumns(fields ?? undefined);
      yield format === 'csv' ? csv.csvHeader(columns) : csv.tsvHeader(columns);
      for (const r of rows) yield format === 'csv' ? csv.csvRecord(r, columns) : csv.tsvRecord(r, columns);
      return;
    }
    case 'md': {
      const { markdownPaper, markdownTitle } = await import('./markdown.js');
      // toMarkdown's sections a paper at a time: the title (when there is one) is the first.
      const title = opts.title ? markdownTitle(opts.title) : null;
      if (title !== null) yield title;
      yield* joined(rows, '\n', (r) => markdownPaper(r, { summary: opts.summary === true }), title !== null);
      return;
    }
    case 'bibtex': {
      const { bibtexEntry, createKeyAllocator } = await import('./bibtex.js');
      // Keys depend only on the rows before: the same as toBibtex, a paper at a time.
      const keyOf = createKeyAllocator();
      yield* joined(rows, '\n', (r) => bibtexEntry(r, keyOf(r)));
      return;
    }
  }
}

/** `rows.map(render).join(separator)`, a row at a time (`after`: a separator before the first row too). */
function* joined(rows: Iterable<PaperRow>, separator: string, render: (r: PaperRow) => string, after = false): Generator<string> {
  let first = !after;
  for (const r of rows) {
    yield (first ? '' : separator) + render(r);
    first = false;
  }
}

