import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as dates from '../../src/dates.js';
import * as days from '../../src/dates-day.js';
import { dayFromFileName, monthRange, parseDay, parseMonth, parseWeek, shiftDay, utcDay, weekOf, weekRange } from '../../src/dates.js';
import { UsageError } from '../../src/errors.js';

// 2026-03-01 00:30 UTC: still Feb 28 in America, already Mar 1 in UTC.
const now = new Date('2026-03-01T00:30:00Z');

describe('parseDay', () => {
  it.each([
    ['today', '2026-03-01'],
    ['TODAY', '2026-03-01'],
    ['yesterday', '2026-02-28'],
    ['0d', '2026-03-01'],
    ['3d', '2026-02-26'],
    ['365d', '2025-03-01'],
    ['2024-02-29', '2024-02-29'],
    [' 2025-06-09 ', '2025-06-09'],
  ])('%s → %s', (expr, day) => expect(parseDay(expr, now)).toBe(day));

  it.each(['2025-02-30', '2023-02-29', '0000-01-01', '2025-13-01', '2025-6-9', 'tomorrow', '3 days', '-3d', '', '2025/06/09'])(
    'rejects %j with a usage error naming the forms',
    (expr) => {
      expect(() => parseDay(expr, now)).toThrow(UsageError);
      expect(() => parseDay(expr, now)).toThrow(/YYYY-MM-DD.*today.*yesterday.*3d/);
    },
  );
});

describe('weeks and months', () => {
  it.each([
    ['2025-W34', '2025-08-18', '2025-08-24'],
    ['2025-W01', '2024-12-30', '2025-01-05'],
    ['2020-W53', '2020-12-28', '2021-01-03'],
  ])('%s → %s..%s', (w, from, to) => expect(parseWeek(w)).toEqual({ from, to }));
  it('rejects week 53 of a 52-week year and junk', () => {
    expect(() => parseWeek('2025-W53')).toThrow(UsageError);
    expect(() => parseWeek('2025-34')).toThrow(UsageError);
  });
  it.each([
    ['2025-08', '2025-08-01', '2025-08-31'],
    ['2024-02', '2024-02-01', '2024-02-29'],
  ])('%s → %s..%s', (m, from, to) => expect(parseMonth(m)).toEqual({ from, to }));
  it('rejects month 13', () => expect(() => parseMonth('2025-13')).toThrow(UsageError));
  it('labels the ISO week of a day', () => {
    expect(weekOf('2025-08-20')).toBe('2025-W34');
    expect(weekOf('2021-01-03')).toBe('2020-W53');
  });
});

describe('relative weeks and months', () => {
  // [now, expression, from, to]
  it.each([
    ['2025-06-10T08:00:00Z', 'this', '2025-06-09', '2025-06-15'],
    ['2025-06-10T08:00:00Z', 'last', '2025-06-02', '2025-06-08'],
    ['2025-06-10T08:00:00Z', 'LAST', '2025-06-02', '2025-06-08'],
    // Sunday is the last day of its ISO week; Monday the first.
    ['2025-06-15T23:59:59Z', 'this', '2025-06-09', '2025-06-15'],
    ['2025-06-16T00:00:00Z', 'last', '2025-06-09', '2025-06-15'],
    // Across a year: 2021-01-03 is in 2020-W53.
    ['2021-01-05T12:00:00Z', 'last', '2020-12-28', '2021-01-03'],
    ['2025-06-10T08:00:00Z', '2025-W34', '2025-08-18', '2025-08-24'],
  ])('week at %s: %s → %s..%s', (at, expr, from, to) => expect(weekRange(expr, new Date(at))).toEqual({ from, to }));
  it.each([
    ['2025-06-10T08:00:00Z', 'this', '2025-06-01', '2025-06-30'],
    ['2025-06-10T08:00:00Z', 'last', '2025-05-01', '2025-05-31'],
    ['2025-01-31T23:00:00Z', 'last', '2024-12-01', '2024-12-31'],
    ['2024-03-01T00:00:00Z', 'last', '2024-02-01', '2024-02-29'],
    ['2025-06-10T08:00:00Z', '2025-08', '2025-08-01', '2025-08-31'],
  ])('month at %s: %s → %s..%s', (at, expr, from, to) => expect(monthRange(expr, new Date(at))).toEqual({ from, to }));
  it('anything else is a usage error naming the relative forms', () => {
    expect(() => weekRange('next', now)).toThrow(/or this or last/);
    expect(() => monthRange('previous', now)).toThrow(/or this or last/);
  });
});

describe('helpers', () => {
  it('utcDay uses UTC', () => expect(utcDay(now)).toBe('2026-03-01'));
  it('shiftDay crosses months and leap days', () => {
    expect(shiftDay('2024-02-28', 1)).toBe('2024-02-29');
    expect(shiftDay('2024-03-01', -1)).toBe('2024-02-29');
  });
  it.each([
    ['hfdp-ml_2025-06-09.json', '2025-06-09'],
    ['2024-05-27.json', '2024-05-27'],
    ['listing.json', null],
    ['2025-02-30.json', null],
  ])('dayFromFileName(%s) = %s', (name, day) => expect(dayFromFileName(name)).toBe(day));
});

describe('the light day module (start-up)', () => {
  it('is what dates.ts re-exports: one implementation of each day function', () => {
    for (const name of ['utcDay', 'shiftDay', 'parseDay', 'dayFromFileName'] as const) expect(dates[name]).toBe(days[name]);
  });
  it('never imports date-fns (every listing command loads it; date-fns costs ~30 ms)', () => {
    const source = readFileSync(new URL('../../src/dates-day.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/from '(@date-fns\/|date-fns)/);
  });
  it('shiftDay refuses to leave years 0001–9999 and refuses a day not on the calendar', () => {
    expect(shiftDay('9999-12-30', 1)).toBe('9999-12-31');
    expect(() => shiftDay('9999-12-31', 1)).toThrow(UsageError);
    expect(shiftDay('0001-01-02', -1)).toBe('0001-01-01');
    expect(() => shiftDay('0001-01-01', -1)).toThrow(UsageError);
    expect(() => shiftDay('2025-02-30', 0)).toThrow(UsageError);
    expect(() => shiftDay('2025-06-09', NaN)).toThrow(UsageError);
  });
  it('shiftDay keeps small years (no 19xx) and counts across centuries', () => {
    expect(shiftDay('0050-12-31', 1)).toBe('0051-01-01');
    expect(shiftDay('1900-02-28', 1)).toBe('1900-03-01');
    expect(shiftDay('2000-02-28', 1)).toBe('2000-02-29');
    expect(shiftDay('2025-06-09', 36_524)).toBe('2125-06-09'); // 2100 is not a leap year
  });
});
