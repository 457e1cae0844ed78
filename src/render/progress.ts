/**
 * A progress bar on stderr, drawn only when stderr is a terminal (gh and qmd do the same):
 * piped or logged, a fetch prints its notes and summary and nothing else. Notes printed
 * while the bar is up go above it, so the bar stays the last line.
 */
import type { Context } from '../context.js';
import { displayWidth } from './width.js';

/** What the fetch code reports to. */
export interface Progress {
  /** One unit done; `label` (e.g. the day) is shown after the count. */
  advance(label?: string): void;
  /** Print a full line (a note or warning) without breaking the bar. */
  note(line: string): void;
  /** Erase the bar. */
  done(): void;
}

const FULL = '█';
const EMPTY = '░';
const CLEAR = '\r\x1b[K';

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
export function startProgress(ctx: Context, total: number, unit = total === 1 ? 'day' : 'days'): Progress {
  if (!ctx.stderrIsTTY || total === 0) {
    return { advance() {}, note: (line) => void ctx.stderr.write(line + '\n'), done() {} };
  }
  let done = 0;
  let label = '';
  let finished = false;
  const draw = () => void ctx.stderr.write(CLEAR + progressLine(done, total, ctx.width, unit, label));
  draw();
  return {
    advance(next) {
      if (finished) return;
      done++;
      label = next ?? '';
      draw();
    },
    note(line) {
      ctx.stderr.write((finished ? '' : CLEAR) + line + '\n');
      if (!finished) draw();
    },
    done() {
      if (!finished) ctx.stderr.write(CLEAR);
      finished = true;
    },
  };
}
