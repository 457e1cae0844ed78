/** Option parsing and output plumbing shared by the reading commands (list, search, show). */
import type { Context } from '../context.js';
import { parseDay, parseMonth, parseWeek, type DayRange } from '../dates.js';
import { UsageError } from '../errors.js';
import { paperJson } from '../render/json.js';
import { loadStyle } from '../render/style.js';
import { plainRecord, ttyList } from '../render/text.js';
import { sanitizeLine } from '../render/sanitize.js';
import { truncate } from '../render/width.js';
import type { Filters, PaperRow } from '../store/query.js';
import type { FilterFlags, RangeFlags } from './_options.js';

/** A positive whole number from a flag, or a usage error naming the flag. */
export function parseCount(value: string | undefined, flag: string, min = 0): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
    throw new UsageError(`invalid ${flag} "${value}": expected a whole number${min > 0 ? ` ≥ ${min}` : ''}`);
  }
  return Number(value);
}

/** The day range the flags ask for, or null when they name none. */
export function rangeFromFlags(f: RangeFlags, now: Date): DayRange | null {
  const given = [f.date, f.since, f.week, f.month].filter((v) => v !== undefined).length;
  if (given > 1) throw new UsageError('use only one of --date, --since, --week, --month');
  if (f.until !== undefined && f.since === undefined) throw new UsageError('--until needs --since');
  if (f.date !== undefined) {
    const d = parseDay(f.date, now, '--date');
    return { from: d, to: d };
  }
  if (f.week !== undefined) return parseWeek(f.week);
  if (f.month !== undefined) return parseMonth(f.month);
  if (f.since !== undefined) {
    const from = parseDay(f.since, now, '--since');
    const to = f.until !== undefined ? parseDay(f.until, now, '--until') : parseDay('today', now);
    if (from > to) throw new UsageError(`--since ${from} is after --until ${to}`);
    return { from, to };
  }
  return null;
}

/** Filters from flags (the day range is resolved separately). */
export function filtersFromFlags(f: Omit<FilterFlags, keyof RangeFlags>): Filters {
  if (f.json && f.jsonl) throw new UsageError('use either --json or --jsonl, not both');
  return {
    minUpvotes: parseCount(f.minUpvotes, '--min-upvotes'),
    author: f.author ?? null,
    hasCode: f.hasCode === true,
    keyword: f.keyword ?? null,
    limit: parseCount(f.limit, '--limit', 1),
    sort: (f.sort as Filters['sort']) ?? null,
  };
}

/** How rows are printed. */
export type OutputMode = 'tty' | 'plain' | 'json' | 'jsonl';

/** The output mode from flags and the terminal. */
export function outputMode(f: { json?: boolean; jsonl?: boolean }, ctx: Context): OutputMode {
  if (f.json) return 'json';
  if (f.jsonl) return 'jsonl';
  return ctx.stdoutIsTTY ? 'tty' : 'plain';
}

/** Print rows in the chosen mode. `header` goes above a TTY listing only. */
export async function printRows(ctx: Context, rows: PaperRow[], mode: OutputMode, header?: string): Promise<void> {
  switch (mode) {
    case 'json':
      ctx.stdout.write(JSON.stringify(rows.map(paperJson), null, 2) + '\n');
      return;
    case 'jsonl':
      for (const r of rows) ctx.stdout.write(JSON.stringify(paperJson(r)) + '\n');
      return;
    case 'plain':
      for (const r of rows) ctx.stdout.write(plainRecord(r));
      return;
    case 'tty': {
      const style = await loadStyle(ctx.color);
      if (header) ctx.stdout.write(style.heading(truncate(sanitizeLine(header), ctx.width)) + '\n\n');
      ctx.stdout.write(ttyList(rows, style, ctx.width, rows.some((r) => r.snippet)));
      return;
    }
  }
}

/** A one-line note on stderr. */
export function note(ctx: Context, message: string): void {
  ctx.stderr.write(`papers: ${message}\n`);
}

/** "on 2025-06-09" or "from 2025-06-02 to 2025-06-08". */
export function describeRange(r: DayRange): string {
  return r.from === r.to ? `on ${r.from}` : `from ${r.from} to ${r.to}`;
}

/** The heading above a TTY listing: `Daily Papers · 2025-06-09 · 12 papers`. */
export function listingHeader(r: DayRange, count: number): string {
  const when = r.from === r.to ? r.from : `${r.from} … ${r.to}`;
  return `Daily Papers · ${when} · ${count} paper${count === 1 ? '' : 's'}`;
}

/** True when a filter beyond the day range was given. */
export function filtered(f: FilterFlags): boolean {
  return Boolean(f.minUpvotes || f.author || f.hasCode || f.keyword);
}
