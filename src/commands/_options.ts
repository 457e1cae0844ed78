/**
 * Flag declarations shared by several commands. Kept apart from the code that runs
 * them so that declaring every command at start-up loads nothing heavy.
 */
import { Option, type Command } from 'commander';

/** Raw commander values of the filter and output flags. */
export interface FilterFlags {
  date?: string;
  since?: string;
  until?: string;
  week?: string;
  month?: string;
  minUpvotes?: string;
  author?: string;
  hasCode?: boolean;
  keyword?: string;
  limit?: string;
  sort?: string;
  json?: boolean;
  jsonl?: boolean;
}

/** Declare the filter flags on a command (list and search share them). */
export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--date <day>', 'one listing day: YYYY-MM-DD, today, yesterday, Nd (N days ago)')
    .option('--since <day>', 'listing days from this day on')
    .option('--until <day>', 'listing days up to this day (with --since)')
    .option('--week <week>', 'an ISO week, e.g. 2025-W34')
    .option('--month <month>', 'a month, e.g. 2025-08')
    .option('--min-upvotes <n>', 'only papers with at least N upvotes')
    .option('--author <text>', 'only papers with an author containing TEXT (case-insensitive)')
    .option('--has-code', 'only papers with a GitHub repository')
    .option('--keyword <text>', 'only papers whose AI keywords contain TEXT')
    .option('--limit <n>', 'print at most N papers')
    .addOption(new Option('--sort <key>', 'order: rank (default), upvotes, date, title').choices(['rank', 'upvotes', 'date', 'title']))
    .option('--json', 'print a JSON array (fields: see `papers --help`, README "JSON output")')
    .option('--jsonl', 'print one JSON object per line, streamed');
}

