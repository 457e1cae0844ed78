/** Horizontal bar charts in the terminal, one row per period, several series side by side. */
import type { Style } from './style.js';
import { displayWidth, padEnd, truncate } from './width.js';
import { sanitizeLine } from './sanitize.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `value / max` of `width` columns, in Unicode eighth blocks. */
export function bar(value: number, max: number, width: number): string {
  if (max <= 0 || value <= 0 || width <= 0) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/** Chart input: periods (rows) × series (columns) of counts. */
export interface ChartData {
  periods: string[];
  series: Array<{ name: string; counts: number[] }>;
}

/**
 * The chart as text: a header naming the series, then one row per period with a bar per
 * series and its count at the bar's end. All series share one scale, so bars compare.
 */
export function barChart(data: ChartData, style: Style, width: number, paints: Array<(s: string) => string>): string {
  const label = Math.max(...data.periods.map((p) => p.length), 6);
  const max = Math.max(0, ...data.series.flatMap((s) => s.counts));
  const countWidth = String(max).length;
  const column = Math.max(8, Math.floor((width - label - 2) / data.series.length) - 1);
  const barWidth = Math.max(1, column - countWidth - 1);
  const head =
    ' '.repeat(label + 2) +
    data.series
      .map((s, i) => {
        const name = truncate(sanitizeLine(s.name), column);
        return paints[i % paints.length]!(name) + ' '.repeat(column - displayWidth(name));
      })
      .join(' ');
  const rows = data.periods.map((p, r) => {
    const cells = data.series.map((s, i) => {
      const n = s.counts[r]!;
      const b = bar(n, max, barWidth);
      return paints[i % paints.length]!(b) + ' ' + padEnd(String(n), column - b.length - 1);
    });
    return style.meta(padEnd(p, label)) + '  ' + cells.join(' ').trimEnd();
  });
  return [head.trimEnd(), ...rows].join('\n') + '\n';
}
