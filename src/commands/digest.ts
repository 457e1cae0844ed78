/**
 * `papers digest` — the inbox's top picks with abstracts and links, as Markdown, HTML or an
 * Atom feed, for cron and feed readers. `--since last` (the default) starts where the
 * previous digest stopped.
 */
import { Option } from 'commander';
import type { App } from '../app.js';
import { digest, type DigestFormat } from '../render/digest.js';
import { forTerminal } from '../render/sanitize.js';
import { setCursor } from '../store/feedback.js';
import { defineCommand } from './_command.js';
import { openOutput } from './export.js';
import { describeRange } from '../render/printer.js';
import { inboxPicks, inboxWindow, windowOptions, type InboxOptions } from './inbox.js';

interface DigestOptions extends Omit<InboxOptions, 'json' | 'jsonl' | 'fields'> {
  format: DigestFormat;
  output?: string;
}

/** Picks in a digest unless --limit says otherwise. */
const DEFAULT_LIMIT = 10;

export default defineCommand<DigestOptions>({
  name: 'digest',
  summary: "the inbox's top picks with abstracts and links, as Markdown, HTML or an Atom feed (for cron and feed readers)",
  options: [
    ...windowOptions('from this listing day, or `last`: where the previous digest stopped (the default; at least the latest listing day)'),
    new Option('--format <format>', 'md (default), html, or atom (a feed: newsboat `exec:papers digest --format atom`)').choices(['md', 'html', 'atom']).default('md'),
    new Option('-o, --output <file>', 'write to FILE (atomically) instead of standard output'),
  ],
  notes: 'A digest changes nothing but where the next `--since last` digest starts. Dismissed, starred, read and ignored papers are left out, as in `papers inbox`.',
  examples: ['papers digest', 'papers digest --format html -o ~/digest.html', 'papers digest --format atom   # in newsboat\'s urls: "exec:papers digest --format atom"'],
  run,
});

/** Run `papers digest`. */
async function run(flags: DigestOptions, app: App): Promise<void> {
  const { ctx } = app;
  const db = await app.db();
  const fromLast = flags.since === undefined || flags.since === 'last';
  const range = inboxWindow(db, 'digest', { ...flags, since: fromLast ? undefined : flags.since }, ctx.now);
  const { picks } = inboxPicks(db, range, flags.source ?? null, ctx.now);
  const text = digest(picks.slice(0, flags.limit ?? DEFAULT_LIMIT), flags.format, { title: 'papers digest', now: ctx.now, window: describeRange(range) });
  if (flags.output !== undefined) {
    const out = await openOutput(flags.output);
    await out.write(text);
    await out.commit();
  } else {
    await ctx.stdout.write(forTerminal(ctx.stdoutIsTTY, text, 'text'));
  }
  // Only once written: a digest that failed must not skip its papers next time.
  if (fromLast) setCursor(db, 'digest', ctx.now);
}
