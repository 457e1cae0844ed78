/**
 * Fuzzing the date expressions (`--date`, `--week`, `--month`): a valid day / range, checked
 * against an independent UTC computation, or a UsageError; under several time zones,
 * since days are calendar dates and the machine's zone must never matter.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDay, parseMonth, parseWeek, shiftDay, weekOf } from '../../src/dates.js';
import { UsageError } from '../../src/errors.js';
import { isoDay } from '../../src/sources/hf-item.js';
import { parseFeedDate } from '../../src/sources/_xml.js';
import { check, isRealDay } from './support.js';

const DAY_MS = 86_400_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Midnight UTC of a calendar day, years 0–9999 included (Date.UTC reads 0–99 as 1900–1999). */
function utc(y: number, m: number, d: number): Date {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return t;
}
const fmt = (t: Date) => `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
const plusDays = (t: Date, n: number) => new Date(t.getTime() + n * DAY_MS);
const dayOf = (s: string) => utc(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));

/** ISO week (year, week) of a day: the week's Thursday decides the year. */
function isoWeek(t: Date): { year: number; week: number } {
  const thursday = plusDays(t, 3 - ((t.getUTCDay() + 6) % 7));
  const year = thursday.getUTCFullYear();
  return { year, week: 1 + Math.floor((thursday.getTime() - utc(year, 1, 1).getTime()) / (7 * DAY_MS)) };
}
/** 53 when Dec 28 (always in the last week) is in week 53. */
const weeksIn = (year: number) => isoWeek(utc(year, 12, 28)).week;

/** Result or UsageError; anything else fails. */
function attempt<T>(fn: () => T): T | UsageError {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
}

const now = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true });
const space = fc.constantFrom('', ' ', '\t', '\n', ' \u00a0');
// The calendar is 0001–9999: date-fns, which parses dates here, has no year 0.
const year = fc.integer({ min: 1, max: 9999 });
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.stringMatching(/^[\d\-Wwd ]{0,12}$/));

const ZONES = ['UTC', 'America/Sao_Paulo', 'Pacific/Apia', 'Pacific/Kiritimati', 'America/St_Johns', 'Asia/Kathmandu', 'America/Los_Angeles'];

describe.each(ZONES)('date expressions, fuzzed, TZ=%s', (zone) => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = zone;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('parseDay: any text gives a real day or a UsageError', () => {
    check(fc.property(anyText, now, (s, t) => {
      const r = attempt(() => parseDay(s, t));
      if (!(r instanceof UsageError)) expect(isRealDay(r)).toBe(true);
    }));
  });

  it('parseDay: YYYY-MM-DD is itself when it exists, else a UsageError', () => {
    check(fc.property(year, fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), space, space, now, (y, m, d, a, b, t) => {
      const s = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
      const r = attempt(() => parseDay(a + s + b, t));
      if (isRealDay(s)) expect(r).toBe(s);
      else expect(r).toBeInstanceOf(UsageError);
    }));
  });

  it('parseDay: Nd, today and yesterday count back from the UTC day of "now"', () => {
    check(fc.property(fc.integer({ min: 0, max: 99_999 }), fc.constantFrom('d', 'D'), now, (n, d, t) => {
      const today = utc(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
      expect(parseDay(`${n}${d}`, t)).toBe(fmt(plusDays(today, -n)));
      expect(parseDay('Today', t)).toBe(fmt(today));
      expect(parseDay('YESTERDAY', t)).toBe(fmt(plusDays(today, -1)));
    }));
  });

  it('shiftDay moves by whole calendar days', () => {
    check(fc.property(fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9000-12-31T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -5000, max: 5000 }), (t, n) => {
      const day = fmt(utc(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()));
      expect(shiftDay(day, n)).toBe(fmt(plusDays(dayOf(day), n)));
    }));
  });

  it('parseWeek: Monday..Sunday of that ISO week, or a UsageError', () => {
    check(fc.property(year, fc.integer({ min: 0, max: 54 }), fc.constantFrom('-W', 'W', '-w'), fc.boolean(), space, (y, w, sep, padded, a) => {
      const s = `${a}${pad(y, 4)}${sep}${padded ? pad(w) : String(w)}${a}`;
      const r = attempt(() => parseWeek(s));
      if (w < 1 || w > weeksIn(y)) return void expect(r).toBeInstanceOf(UsageError);
      expect(r).not.toBeInstanceOf(UsageError);
      const { from, to } = r as { from: string; to: string };
      expect(isRealDay(from) && isRealDay(to)).toBe(true);
      expect(dayOf(from).getUTCDay()).toBe(1);
      // 9999-W52 would end on 10000-01-02, off the calendar: it ends on 9999-12-31, as 9999-12 does.
      const sunday = plusDays(dayOf(from), 6);
      expect(to).toBe(sunday.getUTCFullYear() > 9999 ? '9999-12-31' : fmt(sunday));
      expect(isoWeek(dayOf(from))).toEqual({ year: y, week: w });
      expect(weekOf(from)).toBe(`${pad(y, 4)}-W${pad(w)}`);
    }));
  });

  it('parseMonth: first..last day of the month, or a UsageError', () => {
    check(fc.property(year, fc.integer({ min: 0, max: 13 }), space, (y, m, a) => {
      const r = attempt(() => parseMonth(`${a}${pad(y, 4)}-${pad(m)}${a}`));
      if (m < 1 || m > 12) return void expect(r).toBeInstanceOf(UsageError);
      expect(r).toEqual({ from: fmt(utc(y, m, 1)), to: fmt(utc(y, m + 1, 0)) });
    }));
  });

  it('parseWeek and parseMonth: any text gives a range or a UsageError', () => {
    check(fc.property(anyText, (s) => {
      for (const r of [attempt(() => parseWeek(s)), attempt(() => parseMonth(s))]) {
        if (!(r instanceof UsageError)) expect(isRealDay(r.from) && isRealDay(r.to) && r.from <= r.to).toBe(true);
      }
    }));
  });
});

describe('dates regressions', () => {
  it.each([
    ['0025-W01', { from: '0024-12-30', to: '0025-01-05' }],
    ['0099-W10', { from: '0099-03-02', to: '0099-03-08' }],
  ])('r7_small_year: parseWeek(%s) stays in that year, not 19xx', (w, range) => expect(parseWeek(w)).toEqual(range));

  it('r7_small_year: parseMonth(0050-03) stays in year 50', () => expect(parseMonth('0050-03')).toEqual({ from: '0050-03-01', to: '0050-03-31' }));

  it('r7_skipped_day: a day the local zone skipped (Samoa, 2011-12-30) still parses and counts', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Pacific/Apia';
    try {
      expect(parseDay('2011-12-30', new Date('2012-01-05T00:00:00Z'))).toBe('2011-12-30');
      expect(parseDay('1d', new Date('2011-12-31T12:00:00Z'))).toBe('2011-12-30');
      expect(shiftDay('2011-12-29', 1)).toBe('2011-12-30');
      expect(parseWeek('2011-W52')).toEqual({ from: '2011-12-26', to: '2012-01-01' });
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('the calendar is years 0001–9999 for every parser and flag', () => {
  it.each([
    ['parseDay', () => parseDay('9999-12-31', new Date(0)), '9999-12-31'],
    ['parseDay', () => parseDay('0001-01-01', new Date(0)), '0001-01-01'],
    ['parseWeek', () => parseWeek('9999-W52'), { from: '9999-12-27', to: '9999-12-31' }],
    ['parseWeek', () => parseWeek('0001-W01'), { from: '0001-01-01', to: '0001-01-07' }],
    ['parseMonth', () => parseMonth('9999-12'), { from: '9999-12-01', to: '9999-12-31' }],
    ['parseMonth', () => parseMonth('0001-01'), { from: '0001-01-01', to: '0001-01-31' }],
  ])('%s at the edge: %j', (_name, fn, expected) => expect(fn()).toEqual(expected));

  it.each<() => unknown>([
    () => parseDay('0000-12-31', new Date(0)),
    () => parseDay('10000-01-01', new Date(0)),
    () => parseWeek('0000-W52'),
    () => parseWeek('9999-W53'),
    () => parseWeek('10000-W01'),
    () => parseMonth('0000-12'),
    () => parseMonth('10000-01'),
  ])('past the edge is a UsageError (%#)', (fn) => expect(attempt(fn)).toBeInstanceOf(UsageError));

  it('isoDay (every imported day and timestamp) is a real day in range, or null: never rolled over', () => {
    const zone = fc.constantFrom('', 'T00:00:00Z', 'T23:59:59-05:00', 'T00:00:00+05:00', 'T12:00:00.000Z');
    check(fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), zone, (y, m, d, z) => {
      const written = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
      const s = written + z;
      const day = isoDay(s);
      if (!isRealDay(written)) return void expect(day).toBeNull();
      // The UTC day of the instant: the written day or its neighbour, if still on the calendar.
      const t = new Date(s);
      const utcDay = fmt(utc(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()));
      expect(day).toBe(t.getUTCFullYear() >= 1 && t.getUTCFullYear() <= 9999 ? utcDay : null);
    }));
  });

  it.each([
    ['2025-02-30', null],
    ['2025-02-30T10:00:00Z', null],
    ['2023-02-29', null],
    ['2024-02-29', '2024-02-29'],
    ['0000-01-01', null],
    ['0001-01-01', '0001-01-01'],
    ['0001-01-01T00:00:00+01:00', null],
    ['9999-12-31T23:00:00-05:00', null],
    ['9999-12-31T23:59:59Z', '9999-12-31'],
  ])('isoDay(%s) = %s', (s, expected) => expect(isoDay(s)).toBe(expected));

  it.each([
    ['Sun, 30 Feb 2025 10:00:00 GMT', null],
    ['Sat, 01 Mar 2025 10:00:00 GMT', '2025-03-01'],
    ['2025-02-30T10:00:00Z', null],
    ['0000-06-01T10:00:00Z', null],
    ['9999-12-31T23:00:00-05:00', null],
  ])('parseFeedDate(%s) names a real day or is null', (s, expected) => expect(parseFeedDate(s)?.toISOString().slice(0, 10) ?? null).toBe(expected));
});
