/** Option parsing and output plumbing shared by the reading commands (list, search, show). */
import type { App } from '../app.js';
import type { Context } from '../context.js';
import { parseDay, parseMonth, parseWeek, type DayRange } from '../dates.js';
import { UsageError } from '../errors.js';
import { paperJson } from '../render/json.js';
import { loadStyle } from '../render/style.js';
import { plainRecord, ttyList, watchMarked } from '../render/text.js';
import { pagerCommand, startPager } from '../render/pager.js';
import { markRead, termExpression, watchMatches, watchTerms } from '../store/state.js';
import { rememberShown } from '../store/write.js';
import { sanitizeLine } from '../render/sanitize.js';
import { truncate } from '../render/width.js';
import type { Filters, PaperRow } from '../store/query.js';
import type { Db } from '../store/db.js';
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
    unread: f.new === true,
    starred: f.starred === true,
    watchedOnly: f.watched === true,
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

/** What printing does besides printing, on a terminal. */
export interface PrintOptions {
  /** Mark the papers as seen (`--new` hides them next time): listings do, searches don't. */
  markSeen?: boolean;
}

/**
 * Print rows in the chosen mode. On a terminal this is also where the tool's memory of
 * what you saw lives: the numbers for `papers show N`, the seen marks, the watch-list
 * marks and summary — and long output goes through the pager. Never in a pipe.
 */
export async function printRows(app: App, rows: PaperRow[], mode: OutputMode, header?: string, opts: PrintOptions = {}): Promise<void> {
  const { ctx } = app;
  const db = await app.db();
  if (mode !== 'plain') decorateWatched(db, rows);
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
      rememberShown(db, rows.map((r) => r.id));
      if (opts.markSeen) markRead(db, rows.map((r) => r.id), 'shown', ctx.now);
      watchSummary(ctx, rows);
      const style = await loadStyle(ctx.color);
      const shown = rows.map((r) => watchMarked(r));
      let text = header ? style.heading(truncate(sanitizeLine(header), ctx.width)) + '\n\n' : '';
      text += ttyList(shown, style, ctx.width, shown.some((r) => r.snippet));
      await writePaged(app, text);
      return;
    }
  }
}

/** Set `watched` on each row: the watch-list terms it matches. Only the printed rows are looked up. */
function decorateWatched(db: Db, rows: PaperRow[]): void {
  const terms = watchTerms(db).map((term) => ({ term, match: termExpression(term) }));
  const matches = watchMatches(db, terms, rows.map((r) => r.id));
  for (const r of rows) r.watched = matches.get(r.id) ?? [];
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
  const terms = [...counts.entries()].map(([t, n]) => `${sanitizeLine(t)} ×${n}`).join(', ');
  ctx.stderr.write(`${papers} paper${papers === 1 ? '' : 's'} match${papers === 1 ? 'es' : ''} your watch list: ${terms}\n`);
}

/** Write terminal output through the pager when it is on (`--no-pager`, PAGER='' turn it off). */
export async function writePaged(app: App, text: string): Promise<void> {
  const { ctx } = app;
  const command = app.usePager && ctx.stdoutIsTTY ? pagerCommand(ctx.env) : null;
  if (!command) {
    ctx.stdout.write(text);
    return;
  }
  const pager = startPager(command, ctx.env);
  pager.stdin.write(text);
  await pager.close();
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
  return Boolean(f.minUpvotes || f.author || f.hasCode || f.keyword || f.new || f.starred || f.watched);
}
