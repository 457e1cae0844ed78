/**
 * `papers inbox` — the window's papers you have not starred, dismissed, marked read or
 * ignored, best first for you (src/rank), each once however many sources listed it.
 */
import { Option } from 'commander';
import type { App } from '../app.js';
import { parseDay, utcDay, type DayRange } from '../dates-day.js';
import { NoResultsError, UsageError } from '../errors.js';
import { rankByFit } from '../rank/fit.js';
import type { RankInfo } from '../rank/rank.js';
import { FIELD_PATHS } from '../render/fields.js';
import { forTerminal } from '../render/sanitize.js';
import type { Db } from '../store/db.js';
import { cursorAt, setCursor } from '../store/feedback.js';
import { latestDay, listPapers } from '../store/query.js';
import type { PaperRow } from '../model.js';
import { defineCommand } from './_command.js';
import { configuredLimit, fieldsFromFlags, outputMode } from './_flags.js';
import { fieldsOption, parsed, parseCount, parseSource } from './_options.js';
import { countLabel, describeRange, printPapers } from '../render/printer.js';
import { printTarget } from './_print.js';
import { note } from './_shared.js';

/** Options of `papers inbox`. */
export interface InboxOptions {
  since?: string;
  until?: string;
  source?: string;
  limit?: number;
  json?: boolean;
  jsonl?: boolean;
  fields?: string;
}

/** A paper of the inbox: the row plus its score and why. */
export type InboxPick = PaperRow & { score: number; why: string[] };

/** Picks shown to a person unless --limit (or the config's limit) says otherwise. */
const DEFAULT_LIMIT = 20;

/** The window, source and limit options the inbox and the digest share. */
export function windowOptions(since: string): Option[] {
  return [
    new Option('--since <day>', since),
    new Option('--until <day>', 'up to this listing day (default: today)'),
    parsed('--source <source>', 'only papers listed by this source: hf, arxiv (any category), arxiv:cs.LG', parseSource),
    parsed('--limit <n>', 'at most N papers', (v) => parseCount(v, '--limit', 1)!),
  ];
}

export default defineCommand<InboxOptions>({
  name: 'inbox',
  summary: 'what to read: the unread, undismissed, unignored papers since the last inbox, best first for you (learned from stars, read marks and dismissals)',
  options: [
    ...windowOptions('from this listing day (default: the day of the last inbox on a terminal, at least the latest listing day)'),
    new Option('--json', 'print a JSON array: the paper objects plus score and why'),
    new Option('--jsonl', 'print one JSON object per line, streamed'),
    fieldsOption('in --json, --jsonl (score and why included)'),
  ],
  notes:
    'On a terminal it is a triage: j/k or arrows move, Enter shows the abstract, s stars, d dismisses, r marks read (each saved at once), o opens the paper, u undoes, q quits; each paper has a dim line saying why it ranks where it does (`+` pushed it up, `-` down), and the next inbox starts from today. Without a keyboard (stdin not a terminal) the list is printed, and its numbers work with `papers star|dismiss|read|show N`. Piped, it prints the ranked list and changes nothing. It reads the database only: `papers today` or `papers fetch` fills it.',
  examples: ['papers inbox', 'papers star 2 5 && papers dismiss 3', 'papers inbox --since 7d --limit 50', 'papers inbox --json | jq -r ".[] | [.score, .title] | @tsv"'],
  run,
});

/** The inbox's days: from the flag, else from the day `cursor` last ran, never later than the latest listing day. */
export function inboxWindow(db: Db, cursor: string, flags: Pick<InboxOptions, 'since' | 'until' | 'source'>, now: Date): DayRange {
  const today = utcDay(now);
  const to = flags.until !== undefined ? parseDay(flags.until, now, '--until') : today;
  if (flags.until !== undefined && flags.since === undefined) throw new UsageError('--until needs --since');
  let from: string;
  if (flags.since !== undefined) from = parseDay(flags.since, now, '--since');
  else {
    const last = cursorAt(db, cursor);
    const latest = latestDay(db, flags.source ?? null) ?? today;
    const lastDay = last ? utcDay(new Date(last)) : latest;
    // At least the latest day's listings, so an inbox is never empty just because nothing arrived since.
    from = lastDay < latest ? lastDay : latest < to ? latest : to;
  }
  if (from > to) throw new UsageError(`--since ${from} is after --until ${to}`);
  return { from, to };
}

/** The window's untriaged papers, ranked; empty is a NoResultsError saying why. */
export function inboxPicks(db: Db, range: DayRange, source: string | null, now: Date): { picks: InboxPick[]; info: RankInfo } {
  const rows = listPapers(db, { range, source, untriaged: true, limit: null });
  if (rows.length === 0) throw new NoResultsError(`nothing in the inbox ${describeRange(range)}: every paper there was starred, dismissed, read or ignored (or none was listed; \`papers today\` or \`papers fetch\` fetches)`);
  const { rows: picks, info } = rankByFit(db, rows, now);
  return { picks, info };
}

/** One line on how the ranking was made, for a person. */
export function rankingNote(info: RankInfo): string {
  if (info.mode === 'model') return `ranked by a model of your ${info.positives} starred or read papers against ${info.negatives} others`;
  const by = info.mode === 'watch' ? 'your watch list, then upvotes' : 'upvotes';
  return `ranked by ${by}: star papers you like (\`papers star N\`) and dismiss others (\`papers dismiss N\`) to train your ranking`;
}

/** Run `papers inbox`. */
async function run(flags: InboxOptions, app: App): Promise<void> {
  const { ctx } = app;
  const mode = outputMode(flags, ctx);
  const fields = fieldsFromFlags(flags, mode, [...FIELD_PATHS, 'score', 'why']);
  const db = await app.db();
  const range = inboxWindow(db, 'inbox', flags, ctx.now);
  const { picks: all, info } = inboxPicks(db, range, flags.source ?? null, ctx.now);
  const limit = flags.limit ?? configuredLimit(app, mode) ?? (mode === 'tty' || mode === 'plain' ? DEFAULT_LIMIT : null);
  const picks = limit === null ? all : all.slice(0, limit);
  // `why` is worked out only when read (rank.ts): not for output that leaves it out.
  const withWhy = fields === null || fields.includes('why');
  const extra = (p: PaperRow) => (withWhy ? { score: (p as InboxPick).score, why: (p as InboxPick).why } : { score: (p as InboxPick).score });
  if (mode === 'tty') return terminal(app, db, picks, all.length, range, info);
  // Piped, the ranked list in any format; nothing is marked or remembered.
  await printPapers(printTarget(app), picks, { mode, fields, extra });
}

/** The terminal view: the listing with a dim why line under each paper; the numbers are saved and the next inbox starts today. */
async function terminal(app: App, db: Db, picks: InboxPick[], total: number, range: DayRange, info: RankInfo): Promise<void> {
  const { ctx } = app;
  const { loadStyle } = await import('../render/style.js');
  const { rememberShown } = await import('../store/state.js');
  const style = await loadStyle(ctx.color);
  const { canTriage, triage } = await import('./_triage.js');
  if (canTriage(ctx.stdin)) {
    setCursor(db, 'inbox', ctx.now);
    return triage(app, db, picks, style);
  }
  rememberShown(db, picks.map((p) => p.id), [], ctx.now);
  setCursor(db, 'inbox', ctx.now);
  note(ctx, rankingNote(info));
  await printPapers(printTarget(app), picks, {
    mode: 'tty',
    header: `Inbox · ${describeRange(range)} · ${countLabel(picks.length, total)}`,
    note: (row) => ((row as InboxPick).why.length ? (row as InboxPick).why.join('  ') : null),
  });
}
