/**
 * Flag declarations shared by several commands. Kept apart from the code that runs
 * them so that declaring every command at start-up loads nothing heavy.
 */
import { Option, type Command } from 'commander';
import type { NetFlags } from '../fetch/settings.js';

/** Raw commander values of the day-range flags. */
export interface RangeFlags {
  date?: string;
  since?: string;
  until?: string;
  week?: string;
  month?: string;
}

/** Raw commander values of the filter and output flags. */
export interface FilterFlags extends RangeFlags {
  minUpvotes?: string;
  author?: string;
  hasCode?: boolean;
  keyword?: string;
  limit?: string;
  sort?: string;
  new?: boolean;
  starred?: boolean;
  source?: string;
  category?: string;
  watched?: boolean;
  json?: boolean;
  jsonl?: boolean;
  format?: string;
  /** `--fields id,title` (repeats joined): the fields of the data formats, checked by the command. */
  fields?: string;
}

/** `--mark-seen` (list and today). */
export interface MarkSeenFlags {
  markSeen?: boolean;
}

/** Filter, output and network flags: what `list` takes. */
export type ListFlags = FilterFlags & MarkSeenFlags & NetFlags;

/** Declare the day-range flags (list, search, fetch). */
export function addRangeOptions(cmd: Command): Command {
  return cmd
    .option('--date <day>', 'one listing day: YYYY-MM-DD, today, yesterday, Nd (N days ago)')
    .option('--since <day>', 'listing days from this day on')
    .option('--until <day>', 'listing days up to this day (with --since)')
    .option('--week <week>', 'an ISO week, e.g. 2025-W34')
    .option('--month <month>', 'a month, e.g. 2025-08');
}

/** Declare the paper filters and output flags (list, search, today). */
export function addPaperOptions(cmd: Command): Command {
  cmd
    .option('--min-upvotes <n>', 'only papers with at least N upvotes')
    .option('--author <text>', 'only papers with an author containing TEXT (case-insensitive)')
    .option('--has-code', 'only papers with a GitHub repository')
    .option('--keyword <text>', 'only papers whose AI keywords contain TEXT')
    .option('--limit <n>', 'print at most N papers')
    .addOption(new Option('--sort <key>', 'order: rank (default), upvotes, date, title').choices(['rank', 'upvotes', 'date', 'title']))
    .option('--source <source>', 'only papers listed by this source: hf, arxiv (any category), arxiv:cs.LG')
    .option('--category <cat>', 'only papers in this arXiv category, primary or cross-listed (e.g. cs.LG)')
    .option('--new', 'only papers not shown on a terminal before and not marked read')
    .option('--starred', 'only starred papers (with no day range: all of them)')
    .option('--watched', 'only papers matching a term of the watch list (`papers watch`)')
    .option('--json', 'print a JSON array (`papers help json`); --json=FIELDS is short for --json --fields FIELDS')
    .option('--jsonl', 'print one JSON object per line, streamed')
    .addOption(new Option('--format <format>', 'print as jsonl, json, csv, tsv, md (a Markdown digest) or bibtex').choices(['jsonl', 'json', 'csv', 'tsv', 'md', 'bibtex']));
  return addFieldsOption(cmd, 'in --json, --jsonl, --format csv|tsv');
}

/** Declare `--fields` (`where`: the formats it selects in); repeats add up (`--fields id --fields title`). */
export function addFieldsOption(cmd: Command, where: string): Command {
  return cmd.option('--fields <list>', `only these fields (comma list, e.g. id,title,urls.pdf) ${where}`, (value: string, previous?: string) =>
    previous === undefined ? value : `${previous},${value}`,
  );
}

/**
 * `--json=FIELDS` read as `--json --fields FIELDS`, for a command that has `--fields`. Not
 * after `--`, nor as the value of an option that takes one (`--author --json=x` is an author).
 */
export function expandJsonFields(args: string[], options: readonly Option[]): string[] {
  if (!options.some((o) => o.long === '--fields')) return args;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (arg.startsWith('--json=')) {
      out.push('--json', '--fields', arg.slice('--json='.length));
      continue;
    }
    out.push(arg);
    if (i + 1 < args.length && options.some((o) => o.required && (o.long === arg || o.short === arg))) out.push(args[++i]!);
  }
  return out;
}

/** Declare the filter flags on a command (list and search share them). */
export function addFilterOptions(cmd: Command): Command {
  return addPaperOptions(addRangeOptions(cmd));
}

/** Declare `--mark-seen` (list and today). */
export function addMarkSeenOption(cmd: Command): Command {
  return cmd.option('--mark-seen', 'mark every printed paper seen, piped or as JSON too (on a terminal, without it: only the papers that were on screen)');
}

/**
 * Declare the network flags (fetch, today, list). `papers fetch` takes --offline only to
 * refuse it in one clear line (scripts pass it everywhere), not as "unknown option".
 */
export function addNetworkOptions(cmd: Command, { fetching }: { fetching: boolean }): Command {
  cmd.option('--offline', fetching ? 'refused: fetch needs the network (accepted so scripts can pass it everywhere)' : 'never use the network: show what the database has (also: PAPERS_OFFLINE=1)');
  return cmd
    .option('--refresh', 'fetch every day asked for, even when the database has it fresh')
    .option('--max-age <age>', 'refetch today and the 2 days before when fetched longer ago than this: 30m, 2h, 1d, 0 (default: 1h; PAPERS_MAX_AGE)')
    .option('--timeout <seconds>', 'give up on a connection, a response or a stalled body after this long, on one request after twice that + 1 s, and on the command after 4 times that without an answer (default: 10 s connect, 15 s response, 30 s silence, 60 s a request, 2 min; PAPERS_TIMEOUT)')
    .option('--retries <n>', 'extra tries after a timeout, a dropped connection, 429 or 5xx (default: 3; PAPERS_RETRIES)');
}
