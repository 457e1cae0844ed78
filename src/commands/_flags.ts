/**
 * Flag values that need the run's clock, terminal or config — the day range, the output
 * mode, the selected fields, the configured limit — turned into what commands work with.
 * Values that need nothing (counts, sources, categories) are checked as commander reads
 * them (_options.ts).
 */
import type { App } from '../app.js';
import type { Context } from '../context.js';
import { parseDay, utcDay, type DayRange } from '../dates-day.js';
import { parseDuration } from '../fetch/settings.js';
import { UsageError } from '../errors.js';
import { FIELD_PATHS, parseFieldList } from '../render/fields.js';
import type { Filters } from '../store/query.js';
import type { DataFormat, OutputMode } from '../render/formats.js';
import type { FilterOptions, RangeFlags } from './_options.js';

/**
 * The day range the flags ask for, or null when they name none. Resolved in the run, against
 * its clock (`yesterday`, `7d`). Async because `--week` and `--month` load the calendar code
 * (date-fns, ~30 ms) only when given.
 */
export async function rangeFromFlags(f: RangeFlags, now: Date): Promise<DayRange | null> {
  const given = [f.date, f.since, f.week, f.month].filter((v) => v !== undefined).length;
  if (given > 1) throw new UsageError('use only one of --date, --since, --week, --month');
  if (f.until !== undefined && f.since === undefined) throw new UsageError('--until needs --since');
  if (f.date !== undefined) {
    const d = parseDay(f.date, now, '--date');
    return { from: d, to: d };
  }
  if (f.week !== undefined) return (await import('../dates.js')).weekRange(f.week, now);
  if (f.month !== undefined) return (await import('../dates.js')).monthRange(f.month, now);
  if (f.since !== undefined) {
    const from = parseDay(f.since, now, '--since');
    const to = f.until !== undefined ? parseDay(f.until, now, '--until') : parseDay('today', now);
    if (from > to) throw new UsageError(`--since ${from} is after --until ${to}`);
    return { from, to };
  }
  return null;
}

/** The store's filters from the parsed filter options (the day range is resolved separately). */
export function filtersFromFlags(f: Omit<FilterOptions, keyof RangeFlags>): Filters {
  return {
    minUpvotes: f.minUpvotes ?? null,
    author: f.author ?? null,
    hasCode: f.hasCode === true,
    hasModel: f.hasModel === true,
    keyword: f.keyword ?? null,
    submitter: f.submitter ?? null,
    limit: f.limit ?? null,
    sort: f.sort ?? null,
    source: f.source ?? null,
    category: f.category ?? null,
    unread: f.new === true,
    starred: f.starred === true,
    watchedOnly: f.watched === true,
  };
}

/**
 * Since when `--sort rising` counts upvotes gained: the start of the run's UTC day (so the
 * baseline is the previous day's last fetch), or `--window` back from now; null for other orders.
 */
export function risingSince(f: Pick<FilterOptions, 'sort' | 'window'>, now: Date): string | null {
  if (f.window !== undefined && f.sort !== 'rising') throw new UsageError('--window needs --sort rising');
  if (f.sort !== 'rising') return null;
  if (f.window === undefined) return `${utcDay(now)}T00:00:00.000Z`;
  const ms = parseDuration(f.window, '--window');
  if (ms <= 0) throw new UsageError(`invalid --window "${f.window}": it must be longer than 0`);
  return new Date(Math.max(0, now.getTime() - ms)).toISOString();
}

/** True when a filter beyond the day range was given (`--new` aside with `exceptNew`). */
export function filtered(f: FilterOptions, exceptNew = false): boolean {
  return Boolean(f.minUpvotes !== undefined || f.author || f.hasCode || f.hasModel || f.keyword || f.submitter || (f.new && !exceptNew) || f.starred || f.watched);
}

/** The output mode from flags and the terminal. */
export function outputMode(f: { json?: boolean; jsonl?: boolean; format?: DataFormat }, ctx: Context): OutputMode {
  const asked = [f.json === true, f.jsonl === true, f.format !== undefined].filter(Boolean).length;
  if (asked > 1) throw new UsageError('use one of --json, --jsonl, --format');
  if (f.format) return f.format;
  if (f.json) return 'json';
  if (f.jsonl) return 'jsonl';
  return ctx.stdoutIsTTY ? 'tty' : 'plain';
}

/** The output formats whose fields `--fields` selects. */
const FIELD_FORMATS: ReadonlySet<OutputMode> = new Set(['json', 'jsonl', 'csv', 'tsv']);

/**
 * The fields `--fields` asks for in `mode`, or null for all: one rule for every command that
 * prints papers. Fields of a text view or of md/bibtex would be ignored, so asking is a usage
 * error; `valid` as in parseFieldList (a command adds its own: `listings`, `matches`).
 */
export function fieldsFromFlags(f: { fields?: string }, mode: OutputMode, valid: readonly string[] = FIELD_PATHS): string[] | null {
  if (f.fields === undefined) return null;
  if (!FIELD_FORMATS.has(mode)) {
    throw new UsageError(mode === 'tty' || mode === 'plain' ? '--fields needs --json, --jsonl or --format csv|tsv' : `--fields does not apply to --format ${mode}: use json, jsonl, csv or tsv`);
  }
  return parseFieldList(f.fields, valid, '--fields');
}

/**
 * The config file's `limit` where it applies: a default for what a person reads — a terminal,
 * or a listing printed without a data format. Never for JSON, CSV and the like, and never
 * for counts or exports: those are for programs, which must get everything.
 */
export function configuredLimit(app: App, mode: OutputMode): number | null {
  return mode === 'tty' || mode === 'plain' ? (app.config.limit ?? null) : null;
}
