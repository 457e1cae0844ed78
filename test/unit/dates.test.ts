import { describe, expect, it } from 'vitest';
import { dayFromFileName, parseDay, parseMonth, parseWeek, shiftDay, utcDay, weekOf } from '../../src/dates.js';
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
