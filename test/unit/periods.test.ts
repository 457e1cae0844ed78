import { describe, expect, it } from 'vitest';
import { daysIn } from '../../src/dates-day.js';
import { DATED_SINCE, planQueries, periodDays } from '../../src/fetch/periods.js';

const TODAY = '2025-06-12';
const short = (q: { param: string; value: string; days: string[] }) => `${q.param}=${q.value}:${q.days.length}`;

describe('planQueries', () => {
  it.each([
    ['a lone day', ['2025-06-11'], ['date=2025-06-11:1']],
    ['two days of one week', ['2025-06-10', '2025-06-11'], ['week=2025-W24:2']],
    ['today and the 2 days before, across a week boundary (Sun 8, Mon 9, Tue 10)', ['2025-06-08', '2025-06-09', '2025-06-10'], ['date=2025-06-08:1', 'week=2025-W24:2']],
    ['a whole ISO week', daysIn({ from: '2025-06-02', to: '2025-06-08' }), ['week=2025-W23:7']],
    ['a week across two months', daysIn({ from: '2025-04-28', to: '2025-05-04' }), ['week=2025-W18:7']],
    ['a whole past month', daysIn({ from: '2025-05-01', to: '2025-05-31' }), ['month=2025-05:31']],
    ['the current month up to today', daysIn({ from: '2025-06-01', to: TODAY }), ['month=2025-06:12']],
    ['a month but one day: weeks and a day', daysIn({ from: '2025-05-02', to: '2025-05-31' }), ['week=2025-W18:3', 'week=2025-W19:7', 'week=2025-W20:7', 'week=2025-W21:7', 'week=2025-W22:6']],
    ['days before answers named their day: one by one', ['2025-02-03', '2025-02-04'], ['date=2025-02-03:1', 'date=2025-02-04:1']],
    ['straddling DATED_SINCE (Mon 2025-03-17)', daysIn({ from: '2025-03-14', to: '2025-03-19' }), ['date=2025-03-14:1', 'date=2025-03-15:1', 'date=2025-03-16:1', 'week=2025-W12:3']],
    ['nothing', [], []],
  ])('%s', (_name, wanted, expected) => {
    const queries = planQueries(wanted as string[], TODAY);
    expect(queries.map(short)).toEqual(expected);
    // Every wanted day is asked exactly once, inside its query's period.
    const asked = queries.flatMap((q) => q.days);
    expect(asked.sort()).toEqual([...(wanted as string[])].sort());
    for (const q of queries) for (const d of q.days) expect(periodDays(q)).toContain(d);
  });

  it('a range of 400 days costs a few dozen queries, not 400', () => {
    const days = daysIn({ from: '2024-05-09', to: TODAY });
    const queries = planQueries(days, TODAY);
    const old = days.filter((d) => d < DATED_SINCE).length;
    // One per day before DATED_SINCE, then weeks until the first whole month, then one per month.
    expect(queries.length).toBeLessThan(old + 8);
    expect(queries.filter((q) => q.param === 'month').map((q) => q.value)).toEqual(['2025-04', '2025-05', '2025-06']);
  });
});
