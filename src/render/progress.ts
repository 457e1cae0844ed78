/**
 * A progress bar on stderr, drawn only when stderr is a terminal (gh and qmd do the same):
 * piped or logged, a fetch prints its notes and summary and nothing else. Notes printed
 * while the bar is up go above it, so the bar stays the last line. When a request has kept
 * us waiting a moment, the line says what for — the host, the try, the seconds left — and
 * counts down, instead of a bar that looks frozen.
 */
import type { Context } from '../context.js';
import type { Progress, Wait } from '../fetch/report.js';
import { clearStatusLine, diagnostic, statusLine } from './diagnostic.js';
import { displayWidth, truncate } from './width.js';

// A wait shorter than this is not worth a word: most answers come well within it.
const QUIET_WAIT_MS = 1000;
const TICK_MS = 250;

/** `waiting for huggingface.co: try 1 of 4, 4 s left`, or `huggingface.co: HTTP 503; try 2 of 4 in 3 s`. */
export function waitText(w: Wait, now: number): string {
  const secs = Math.max(0, Math.ceil((w.until - now) / 1000));
  if (w.retrying) return `${w.host}: ${w.retrying}; try ${w.attempt} of ${w.tries} in ${secs} s`;
  return `waiting for ${w.host}: try ${w.attempt} of ${w.tries}, ${secs} s left`;
}

const FULL = '█';
const EMPTY = '░';

/** The bar's text for `done` of `total`, fitted to `width` columns: `fetching ███░░░ 3/7 days 2025-06-09`. */
export function progressLine(done: number, total: number, width: number, unit: string, label = ''): string {
  const count = `${done}/${total} ${unit}`;
  const fixed = `fetching  ${count}`;
  // Keep one column free: writing the last column makes some terminals wrap.
  const room = width - 1 - displayWidth(fixed);
  const barWidth = Math.max(0, Math.min(30, room - (label ? displayWidth(label) + 1 : 0)));
  const filled = total > 0 ? Math.round((barWidth * Math.min(done, total)) / total) : barWidth;
  const bar = FULL.repeat(filled) + EMPTY.repeat(barWidth - filled);
  const line = `fetching ${bar} ${count}${label && barWidth > 0 ? ` ${label}` : ''}`;
  return displayWidth(line) <= width - 1 ? line : count.slice(0, Math.max(0, width - 1));
}

/** Start a bar for `total` units on `ctx.stderr`; a silent one unless stderr is a terminal. */
export function startProgress(ctx: Context, total: number, unit = total === 1 ? 'day' : 'days', clock: () => number = Date.now): Progress {
  if (!ctx.stderrIsTTY || total === 0) {
    return { advance() {}, note: (line) => diagnostic(ctx.stderr, line), wait() {}, done() {} };
  }
  let done = 0;
  let label = '';
  let finished = false;
  const waits = new Map<string, { wait: Wait; since: number }>();
  let ticker: NodeJS.Timeout | null = null;
  const line = (): string => {
    const now = clock();
    // The request waited for longest speaks for the others.
    const oldest = [...waits.values()].filter((w) => now - w.since >= QUIET_WAIT_MS).sort((a, b) => a.since - b.since)[0];
    if (!oldest) return progressLine(done, total, ctx.width, unit, label);
    const text = total === 1 ? waitText(oldest.wait, now) : `fetching ${done}/${total} ${unit} · ${waitText(oldest.wait, now)}`;
    return truncate(text, ctx.width - 1);
  };
  let drawn = '';
  // Redraw only what changed: the ticker and every request's start and end ask for a draw.
  const draw = (force = false) => {
    const text = line();
    if (text === drawn && !force) return;
    drawn = text;
    statusLine(ctx.stderr, text);
  };
  const tick = () => {
    if (waits.size > 0 && !ticker && !finished) {
      ticker = setInterval(() => draw(), TICK_MS);
      ticker.unref();
    } else if (waits.size === 0 && ticker) {
      clearInterval(ticker);
      ticker = null;
    }
  };
  draw();
  return {
    advance(next) {
      if (finished) return;
      done++;
      label = next ?? '';
      draw();
    },
    note(text) {
      if (!finished) clearStatusLine(ctx.stderr);
      diagnostic(ctx.stderr, text);
      if (!finished) draw(true);
    },
    wait(key, w) {
      if (finished) return;
      if (w === null) waits.delete(key);
      else waits.set(key, { wait: w, since: waits.get(key)?.since ?? clock() });
      tick();
      draw();
    },
    done() {
      if (ticker) clearInterval(ticker);
      ticker = null;
      if (!finished) clearStatusLine(ctx.stderr);
      finished = true;
    },
  };
}
