/** `papers trend TERM...` — how many listed papers match each term per day, week or month, as a bar chart. */
import type { App } from '../app.js';
import { parseDay, shiftDay, utcDay } from '../dates-day.js';
import { NoResultsError, UsageError } from '../errors.js';
import { barChart, type ChartData } from '../render/chart.js';
import { loadStyle } from '../render/style.js';
import { assertQuerySize, parseQuery, toMatchExpression } from '../store/fts-query.js';
import { listedPerDay, matchesPerDay } from '../store/trend.js';
import { forTerminal } from '../render/sanitize.js';
import { Option } from 'commander';
import { argument, defineCommand, optionTable } from './_command.js';

/** Options of `papers trend`. */
interface TrendOptions {
  terms: string[];
  by: 'day' | 'week' | 'month';
  since?: string;
  until?: string;
  json?: boolean;
}

export default defineCommand<TrendOptions>({
  name: 'trend',
  summary: 'how many listed papers match each term per day, week or month, as a bar chart',
  args: [argument('<terms...>', 'one series per argument; quote several words to count papers with all of them')],
  options: [
    new Option('--by <period>', 'bucket size').choices(['day', 'week', 'month']).default('week'),
    ...optionTable`
      --since <day>  first day (default: 30 days, 12 weeks or 12 months back)
      --until <day>  last day (default: today)
      --json         print [{period, listed, counts: {term: n}}]
    `,
  ],
  notes: 'Piped, it prints tab-separated numbers: period, papers listed, one count per term.',
  examples: ['papers trend diffusion mamba "state space"', 'papers trend agent --by month --since 2025-01-01'],
  run: (opts, app) => run(opts.terms, opts, app),
});

/** Default look-back per bucket size: enough periods to see a trend. */
const DEFAULT_SPAN_DAYS = { day: 30, week: 7 * 12, month: 365 };

/** The period a day falls in (`weekOf` is dates.ts's, loaded only for `--by week`). */
function periodOf(day: string, by: 'day' | 'week' | 'month', weekOf: ((day: string) => string) | null): string {
  return by === 'day' ? day : by === 'week' ? weekOf!(day) : day.slice(0, 7);
}

/** Run `papers trend`. */
async function run(terms: string[], flags: TrendOptions, app: App): Promise<void> {
  const { ctx } = app;
  const by = flags.by;
  // ISO weeks need the calendar code (date-fns): loaded only when bucketing by week.
  const weekOf = by === 'week' ? (await import('../dates.js')).weekOf : null;
  const to = flags.until ? parseDay(flags.until, ctx.now, '--until') : utcDay(ctx.now);
  const from = flags.since ? parseDay(flags.since, ctx.now, '--since') : shiftDay(to, -DEFAULT_SPAN_DAYS[by]);
  if (from > to) throw new UsageError(`--since ${from} is after --until ${to}`);
  // Each argument is one series; a multi-word argument is all of its words ("sparse attention").
  const parsed = terms.map((t) => parseQuery(t));
  // Every series is searched: together they obey one search's caps.
  assertQuerySize(parsed.flat());
  const queries = terms.map((t, i) => {
    const m = toMatchExpression(parsed[i]!);
    if (!m) throw new UsageError(`nothing to search for in "${t}": give at least one word`);
    return { name: t, match: m };
  });
  const db = await app.db();
  const listed = listedPerDay(db, from, to);
  if (listed.size === 0) throw new NoResultsError(`no listings between ${from} and ${to}; fetch or import some first`);

  // Periods from the first to the last day with listings, gaps included (a zero is information).
  const days = [...listed.keys()].sort();
  const periods: string[] = [];
  for (let d = days[0]!; d <= days.at(-1)!; d = shiftDay(d, 1)) {
    const p = periodOf(d, by, weekOf);
    if (periods.at(-1) !== p) periods.push(p);
  }
  const data: ChartData = {
    periods,
    series: queries.map(({ name, match }) => {
      const perPeriod = new Map<string, number>();
      for (const [day, n] of matchesPerDay(db, match, from, to)) perPeriod.set(periodOf(day, by, weekOf), (perPeriod.get(periodOf(day, by, weekOf)) ?? 0) + n);
      return { name, counts: periods.map((p) => perPeriod.get(p) ?? 0) };
    }),
  };
  const listedPer = new Map<string, number>();
  for (const [day, n] of listed) listedPer.set(periodOf(day, by, weekOf), (listedPer.get(periodOf(day, by, weekOf)) ?? 0) + n);

  if (flags.json) {
    const out = periods.map((p, i) => ({
      period: p,
      listed: listedPer.get(p) ?? 0,
      counts: Object.fromEntries(data.series.map((s) => [s.name, s.counts[i]])),
    }));
    ctx.stdout.write(forTerminal(ctx.stdoutIsTTY, JSON.stringify(out, null, 2), 'json') + '\n');
  } else if (!ctx.stdoutIsTTY) {
    // Plain numbers for scripts: a header row, then period, listed, one count per term.
    ctx.stdout.write(['period', 'listed', ...terms].join('\t') + '\n');
    periods.forEach((p, i) => ctx.stdout.write([p, listedPer.get(p) ?? 0, ...data.series.map((s) => s.counts[i])].join('\t') + '\n'));
  } else {
    const style = await loadStyle(ctx.color);
    const { Chalk } = style.enabled ? await import('chalk') : { Chalk: null };
    const c = Chalk ? new Chalk({ level: ctx.color }) : null;
    const paints = c ? [c.cyan, c.magenta, c.yellow, c.green, c.blue, c.red] : [(s: string) => s];
    ctx.stdout.write(barChart(data, style, ctx.width, paints));
  }
  if (data.series.every((s) => s.counts.every((n) => n === 0))) {
    throw new NoResultsError(`no listed papers match ${terms.map((t) => `"${t}"`).join(', ')} between ${from} and ${to}`);
  }
}
