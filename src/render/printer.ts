/**
 * The one printer of papers: every command that prints papers (list, today, search, grep,
 * similar, show, export) hands it rows and an output mode. It knows the terminal from a pipe,
 * the formats and `--fields`, the pager, the header and its "N of M" count. It writes no
 * marks: what was displayed is handed to the command (`beforeWrite`), which records it.
 */
import type { Context } from '../context.js';
import type { DayRange } from '../dates-day.js';
import type { PaperRow, StoredLinked } from '../model.js';
import { groupDigits } from '../numbers.js';
import { diagnostic } from './diagnostic.js';
import type { Style } from './style.js';
import { linkedJson } from './linked.js';
import { formatChunks, paperObject, type DataFormat, type OutputMode } from './formats.js';
import { forTerminal, sanitizeLine } from './sanitize.js';
import { lineCount, plainRecord, showText, ttyListing, watchMarked } from './text.js';
import { displayWidth, truncate } from './width.js';

// Start-up: the styles and the pager (node:child_process) are loaded with import() on a
// terminal only; a piped listing loads neither.

/** Where papers are printed: the run's context and whether long terminal output is paged. */
export interface PrintTarget {
  ctx: Context;
  /** `--no-pager` turns it off; `configured`: the config file's pager command. */
  pager: { use: boolean; configured?: string | null };
}

/** How printPapers prints. */
export interface PrintPapersOptions {
  mode: OutputMode;
  /** `--fields`: only these fields in JSON, JSONL, CSV and TSV. */
  fields?: readonly string[] | null;
  /** The heading above a terminal listing, and the title of a Markdown digest. */
  header?: string;
  /** How fresh the listed days are ("fetched 5 min ago"), after the terminal heading. */
  freshness?: string;
  /** What JSON and JSONL add to each paper object (grep's `matches`). */
  extra?: (row: PaperRow) => Record<string, unknown>;
  /** Markdown: the AI summary instead of the abstract. */
  summary?: boolean;
  /** Data written in blocks rather than a JSONL line at a time (an export: few writes, memory flat). */
  bulk?: boolean;
  /**
   * On a terminal, called with the ids of the rows the reader has certainly seen (see
   * displayedRows) once the listing is laid out and before it is written: the command
   * records its marks there, so that nothing is marked for output that failed to lay out.
   */
  beforeWrite?: (displayed: string[]) => void;
  /** On a terminal, a dim line under a paper's entry (the inbox's `why`), or null for none. */
  note?: (row: PaperRow) => string | null;
}

/** Characters gathered before each write of bulk data: few writes, and memory flat whatever the output's size. */
const WRITE_SIZE = 1 << 20;

/** Print papers in `opts.mode`. Data formats are written a record at a time, never as one string. */
export async function printPapers(target: PrintTarget, rows: Iterable<PaperRow>, opts: PrintPapersOptions): Promise<void> {
  const { ctx } = target;
  const { mode } = opts;
  if (mode === 'tty') return printListing(target, [...rows], opts);
  if (mode === 'plain' || (mode === 'jsonl' && !opts.bulk)) {
    // Streamed: one record as soon as it is ready.
    for (const r of rows) await printRecord(ctx, r, mode, opts);
    return;
  }
  for await (const text of dataBlocks(rows, mode, { ...opts, terminal: ctx.stdoutIsTTY })) await ctx.stdout.write(text);
}

/** One paper of a listing streamed to a pipe: a tab-separated record or a JSONL line. */
export async function printRecord(ctx: Context, row: PaperRow, mode: 'plain' | 'jsonl', opts: Pick<PrintPapersOptions, 'fields' | 'extra'> = {}): Promise<void> {
  await ctx.stdout.write(recordLine(ctx, row, mode, opts));
}

/** The text printRecord writes, for a caller that gathers records into fewer writes (grep). */
export function recordLine(ctx: Context, row: PaperRow, mode: 'plain' | 'jsonl', opts: Pick<PrintPapersOptions, 'fields' | 'extra'> = {}): string {
  if (mode === 'plain') return plainRecord(row);
  return forTerminal(ctx.stdoutIsTTY, JSON.stringify(paperObject(row, opts.fields ?? null, opts.extra?.(row))), 'json') + '\n';
}

/** One id a line (grep -l), safe for a terminal. */
export function idLine(ctx: Context, id: string): string {
  return forTerminal(ctx.stdoutIsTTY, id, 'text') + '\n';
}

/** Papers in a data format, gathered in blocks of about WRITE_SIZE characters (`terminal`: neutralized for a terminal). */
export async function* dataBlocks(
  rows: Iterable<PaperRow>,
  format: DataFormat,
  opts: Pick<PrintPapersOptions, 'fields' | 'header' | 'extra' | 'summary'> & { terminal: boolean },
): AsyncGenerator<string> {
  const chunks = formatChunks(rows, format, opts.fields ? [...opts.fields] : null, {
    terminal: opts.terminal,
    ...(opts.header !== undefined ? { title: opts.header } : {}),
    ...(opts.summary !== undefined ? { summary: opts.summary } : {}),
    ...(opts.extra ? { extra: opts.extra } : {}),
  });
  let parts: string[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= WRITE_SIZE) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/** One paper in full (`papers show`): a JSON object, or the terminal view through the pager. */
export async function printPaper(
  target: PrintTarget,
  row: PaperRow,
  opts: {
    json: boolean;
    fields?: readonly string[] | null;
    /** `show --full`: the markdown, shown instead of the paper's page. */
    fullText?: string | null;
    /** The repositories citing the paper, as stored (null: never fetched; undefined: not asked). */
    linked?: StoredLinked | null;
  },
): Promise<void> {
  const { ctx } = target;
  const fullText = opts.fullText ?? null;
  if (opts.json) {
    const obj = paperObject(row, opts.fields ?? null, opts.linked === undefined ? undefined : { linked: linkedJson(opts.linked) });
    const shown = fullText === null ? obj : { ...obj, fullText };
    await ctx.stdout.write(forTerminal(ctx.stdoutIsTTY, JSON.stringify(shown, null, 2), 'json') + '\n');
    return;
  }
  const style = await (await import('./style.js')).loadStyle(ctx.color);
  if (fullText !== null) {
    // A pipe gets the markdown as served, byte for byte; a person gets it rendered.
    if (!ctx.stdoutIsTTY) return void (await ctx.stdout.write(fullText));
    const { renderMarkdown } = await import('./md-terminal.js');
    return writePaged(target, renderMarkdown(fullText, style, ctx.width));
  }
  const width = ctx.stdoutIsTTY ? ctx.width : null;
  let text = showText(row, row.listings ?? [], style, width);
  if (opts.linked) {
    const { linkedText } = await import('./linked.js');
    text += linkedText(opts.linked, style, width);
  }
  await writePaged(target, text);
}

/** A terminal listing: heading, aligned rows, the watch-list summary on stderr, through the pager when long. */
async function printListing(target: PrintTarget, rows: PaperRow[], opts: PrintPapersOptions): Promise<void> {
  const { ctx } = target;
  const style = await (await import('./style.js')).loadStyle(ctx.color);
  const shown = rows.map((r) => watchMarked(r));
  const { header, freshness } = opts;
  const head = header ? style.heading(truncate(sanitizeLine(header), ctx.width)) + (freshness ? style.meta(truncate(` · ${freshness}`, Math.max(0, ctx.width - displayWidth(header)))) : '') + '\n\n' : '';
  const laid = ttyListing(shown, style, ctx.width, shown.some((r) => r.snippet));
  const list = opts.note ? withNotes(laid, rows, opts.note, style, ctx.width) : laid;
  const pager = await pagerFor(target);
  opts.beforeWrite?.(
    displayedRows(
      rows.map((r) => r.id),
      lineCount(head),
      list.ends,
      pager !== null,
      ctx.height,
    ),
  );
  watchSummary(ctx, rows);
  await writeText(target, head + list.text, pager);
}

/** A listing with a dim line under each entry that has a note, indented like the entry's last line; `ends` moved to match. */
function withNotes(list: { text: string; ends: number[] }, rows: PaperRow[], note: (row: PaperRow) => string | null, style: Style, width: number): { text: string; ends: number[] } {
  const lines = list.text.split('\n');
  const out: string[] = [];
  const ends: number[] = [];
  let start = 0;
  list.ends.forEach((end, i) => {
    const entry = lines.slice(start, end);
    out.push(...entry);
    const text = note(rows[i]!);
    if (text) {
      const indent = /^ */.exec((entry.at(-1) ?? '').replace(/\x1b\[[0-9;]*m/g, ''))![0];
      out.push(indent + style.meta(truncate(sanitizeLine(text), Math.max(1, width - indent.length))));
    }
    ends.push(out.length);
    start = end;
  });
  out.push(...lines.slice(start));
  return { text: out.join('\n'), ends };
}

/**
 * The rows a reader has certainly seen. Printed directly, or fitting one screen (which
 * `less -F` prints and quits), every row; through a pager and longer than a screen, only
 * the rows whose whole entry is on its first screen (`height` less the pager's prompt
 * line): the pager cannot tell how far the user scrolled. `ends[i]` is the line count up to
 * the end of row i, below `headLines` lines of header.
 */
export function displayedRows(ids: string[], headLines: number, ends: number[], paged: boolean, height: number): string[] {
  const screen = Math.max(1, height - 1);
  if (!paged || headLines + (ends.at(-1) ?? 0) <= screen) return ids;
  return ids.filter((_, i) => headLines + ends[i]! <= screen);
}

/** "3 papers match your watch list: diffusion ×2, sparse ×1" on stderr, when any do. */
function watchSummary(ctx: Context, rows: PaperRow[]): void {
  const counts = new Map<string, number>();
  let papers = 0;
  for (const r of rows) {
    if (!r.watched?.length) continue;
    papers++;
    for (const t of r.watched) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  if (papers === 0) return;
  const terms = [...counts.entries()].map(([t, n]) => `${t} ×${n}`).join(', ');
  diagnostic(ctx.stderr, `${papers} paper${papers === 1 ? '' : 's'} match${papers === 1 ? 'es' : ''} your watch list: ${terms}`);
}

/** Write terminal output through the pager when it is on (`--no-pager`, PAGER='' turn it off). */
export async function writePaged(target: PrintTarget, text: string): Promise<void> {
  await writeText(target, text, await pagerFor(target));
}

/** The pager command terminal output goes through, or null when it is printed directly. */
async function pagerFor(target: PrintTarget): Promise<string | null> {
  const { ctx, pager } = target;
  if (!pager.use || !ctx.stdoutIsTTY) return null;
  return (await import('./pager.js')).pagerCommand(ctx.env, pager.configured);
}

/** Write text through the pager `command`, or directly when there is none. */
async function writeText(target: PrintTarget, text: string, command: string | null): Promise<void> {
  if (!command) {
    await target.ctx.stdout.write(text);
    return;
  }
  const pager = (await import('./pager.js')).startPager(command, target.ctx.env);
  pager.stdin.write(text);
  await pager.close();
}

/** "on 2025-06-09" or "from 2025-06-02 to 2025-06-08". */
export function describeRange(r: DayRange): string {
  return r.from === r.to ? `on ${r.from}` : `from ${r.from} to ${r.to}`;
}

/** The heading above a TTY listing: `Daily Papers · 2025-06-09 · 12 papers` (`count`: a number, or countLabel's text). */
export function listingHeader(r: DayRange, count: number | string): string {
  const when = r.from === r.to ? r.from : `${r.from} … ${r.to}`;
  return `Daily Papers · ${when} · ${typeof count === 'number' ? countLabel(count, count) : count}`;
}

/** `12 papers`, or `20 of 117 papers` when a limit cut the list (`117+`: at least that many). */
export function countLabel(shown: number, total: number | string): string {
  const of = String(total) === String(shown) ? '' : `${shown} of `;
  const n = of ? total : shown;
  return `${of}${typeof n === 'number' ? groupDigits(n) : n} paper${n === 1 ? '' : 's'}`;
}
