/**
 * Option groups several commands share, each declared once as a function returning commander
 * `Option`s, beside the type of the values it gives a command's run. Values are parsed and
 * checked as commander reads them (`argParser`, `choices`): a bad one is a usage error before
 * the run starts. What needs the run's clock or terminal (the day range, the output mode) is
 * resolved by _flags.ts.
 */
import { Option } from 'commander';
import { MAX_COUNT } from '../config.js';
import { UsageError } from '../errors.js';
import type { NetFlags } from '../fetch/settings.js';
import type { Filters } from '../store/query.js';
import type { DataFormat } from '../render/formats.js';

/** An option whose value is parsed (and checked) by `parse` as commander reads it. */
export function parsed<T>(flags: string, description: string, parse: (value: string) => T): Option {
  return new Option(flags, description).argParser(parse);
}

/** A whole number from `min` up, as commander reads it (`--limit`, `--min-upvotes`). */
function count(flags: string, description: string, min = 0): Option {
  const name = flags.split(' ')[0]!;
  return parsed(flags, description, (v) => parseCount(v, name, min)!);
}

/** Day-range flags as typed: days relative to now (`yesterday`, `7d`) are resolved by rangeFromFlags. */
export interface RangeFlags {
  date?: string;
  since?: string;
  until?: string;
  week?: string;
  month?: string;
}

/** The paper filters and output flags, parsed. */
export interface FilterOptions extends RangeFlags {
  minUpvotes?: number;
  author?: string;
  hasCode?: boolean;
  hasModel?: boolean;
  keyword?: string;
  submitter?: string;
  limit?: number;
  sort?: NonNullable<Filters['sort']>;
  /** `--window 6h`: with `--sort rising`, the gain over this long instead of since the previous day. */
  window?: string;
  source?: string;
  category?: string;
  new?: boolean;
  starred?: boolean;
  watched?: boolean;
  json?: boolean;
  jsonl?: boolean;
  format?: DataFormat;
  /** `--fields id,title` (repeats joined): checked against the output mode by fieldsFromFlags. */
  fields?: string;
}

/** `--mark-seen` (list and today). */
export interface MarkSeenOptions {
  markSeen?: boolean;
}

/** The day-range flags (list, search, fetch…). */
export function rangeOptions(): Option[] {
  return [
    new Option('--date <day>', 'one listing day: YYYY-MM-DD, today, yesterday, Nd (N days ago)'),
    new Option('--since <day>', 'listing days from this day on'),
    new Option('--until <day>', 'listing days up to this day (with --since)'),
    new Option('--week <week>', 'an ISO week, e.g. 2025-W34, or this or last'),
    new Option('--month <month>', 'a month, e.g. 2025-08, or this or last'),
  ];
}

/** The orders of `--sort`: every listing has these; `today` and `list` add HF's own (`hfOrders`). */
const SORTS = ['rank', 'upvotes', 'date', 'title', 'fit'];

/** The paper filters and output flags (list, search, today…); `hfOrders`: `--sort` takes `trending` too. */
export function paperOptions({ hfOrders = false }: { hfOrders?: boolean } = {}): Option[] {
  const sorts = hfOrders ? [...SORTS, 'trending', 'rising'] : SORTS;
  return [
    count('--min-upvotes <n>', 'only papers with at least N upvotes'),
    new Option('--author <text>', 'only papers with an author containing TEXT (case-insensitive)'),
    new Option('--has-code', 'only papers with a GitHub repository'),
    new Option('--has-model', 'only papers a Hugging Face model cites (as `papers show` last fetched them; never fetched here)'),
    new Option('--keyword <text>', 'only papers whose AI keywords contain TEXT'),
    new Option('--submitter <user>', 'only papers submitted to Daily Papers by this Hugging Face user (case-insensitive)'),
    count('--limit <n>', 'print at most N papers', 1),
    new Option('--sort <key>', `order: rank (default), ${sorts.slice(1).join(', ')} (fit: your ranking, as \`papers inbox\`${hfOrders ? "; trending: HF's order of one listing day, fetched with it; rising: upvotes gained since the previous day's last fetch" : ''})`).choices(sorts),
    ...(hfOrders ? [new Option('--window <age>', 'with --sort rising: the upvotes gained over this long instead (6h, 2d)')] : []),
    parsed('--source <source>', 'only papers listed by this source: hf, arxiv (any category), arxiv:cs.LG', parseSource),
    parsed('--category <cat>', 'only papers in this arXiv category, primary or cross-listed (e.g. cs.LG)', parseCategory),
    new Option('--new', 'only papers not shown on a terminal before and not marked read'),
    new Option('--starred', 'only starred papers (with no day range: all of them)'),
    new Option('--watched', 'only papers matching a term of the watch list (`papers watch`)'),
    new Option('--json', 'print a JSON array (`papers help json`); --json=FIELDS is short for --json --fields FIELDS'),
    new Option('--jsonl', 'print one JSON object per line, streamed'),
    new Option('--format <format>', 'print as jsonl, json, csv, tsv, md (a Markdown digest) or bibtex').choices(['jsonl', 'json', 'csv', 'tsv', 'md', 'bibtex']),
    fieldsOption('in --json, --jsonl, --format csv|tsv'),
  ];
}

/** The day range, paper filters and output flags (list, search, grep, similar, export). */
export function filterOptions(opts: { hfOrders?: boolean } = {}): Option[] {
  return [...rangeOptions(), ...paperOptions(opts)];
}

/** `--fields` (`where`: the formats it selects in); repeats add up (`--fields id --fields title`). */
export function fieldsOption(where: string): Option {
  return new Option('--fields <list>', `only these fields (comma list, e.g. id,title,urls.pdf) ${where}`).argParser((value: string, previous?: string) =>
    previous === undefined ? value : `${previous},${value}`,
  );
}

/** `--mark-seen` (list and today). */
export function markSeenOption(): Option {
  return new Option('--mark-seen', 'mark every printed paper seen, piped or as JSON too (on a terminal, without it: only the papers that were on screen)');
}

/**
 * The network flags (fetch, today, list), as typed: netSettings reads each with its
 * environment variable. `papers fetch` takes --offline only to refuse it in one clear line
 * (scripts pass it everywhere), not as "unknown option".
 */
export function networkOptions({ fetching }: { fetching: boolean }): Option[] {
  return [
    new Option('--offline', fetching ? 'refused: fetch needs the network (accepted so scripts can pass it everywhere)' : 'never use the network: show what the database has (also: PAPERS_OFFLINE=1)'),
    new Option('--refresh', 'fetch every day asked for, even when the database has it fresh'),
    new Option('--max-age <age>', 'refetch today and the 2 days before when fetched longer ago than this: 30m, 2h, 1d, 0 (default: 1h; PAPERS_MAX_AGE)'),
    new Option('--timeout <seconds>', 'give up on a connection, a response or a stalled body after this long, on one request after twice that + 1 s, and on the command after 4 times that without an answer (default: 10 s connect, 15 s response, 30 s silence, 60 s a request, 2 min; PAPERS_TIMEOUT)'),
    new Option('--retries <n>', 'extra tries after a timeout, a dropped connection, 429 or 5xx (default: 3; PAPERS_RETRIES)'),
  ];
}

/** The options of a listing: filters, `--mark-seen` and the network flags (list). */
export type ListOptions = FilterOptions & MarkSeenOptions & NetFlags;

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

/** A positive whole number from a flag, or a usage error naming the flag. */
export function parseCount(value: string | undefined, flag: string, min = 0): number | null {
  if (value === undefined) return null;
  // Beyond MAX_COUNT a number is no longer exact, and SQLite refuses it as a LIMIT.
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > MAX_COUNT) {
    throw new UsageError(`invalid ${flag} "${value}": expected a whole number from ${min} to ${MAX_COUNT}`);
  }
  return Number(value);
}

/** `--source`: `hf`, `hf-search`, `arxiv` or `arxiv:CATEGORY`. */
export function parseSource(value: string): string {
  const v = value.trim();
  if (/^(hf|hf-search|arxiv)$/.test(v) || /^arxiv:[a-z-]+(\.[A-Za-z-]+)?$/.test(v)) return v;
  throw new UsageError(`invalid --source "${value}": use hf, arxiv, or arxiv:CATEGORY (e.g. arxiv:cs.LG)`);
}

/** `--category`: an arXiv category such as `cs.LG`, `stat.ML` or `hep-th`. */
export function parseCategory(value: string): string {
  const v = value.trim();
  if (/^[a-z-]+(\.[A-Za-z-]+)?$/.test(v)) return v;
  throw new UsageError(`invalid --category "${value}": use an arXiv category such as cs.LG, stat.ML or hep-th`);
}
