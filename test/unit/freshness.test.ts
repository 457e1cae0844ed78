/** Freshness: when a listing day is fetched again, as one table. */
import { describe, expect, it } from 'vitest';
import { decide, type Reason } from '../../src/fetch/freshness.js';

const HOUR = 3_600_000;
// "Now" is 2025-06-12 10:00 UTC: today is the 12th; the 10th and 11th are the 2 recent days before it.
const NOW = new Date('2025-06-12T10:00:00Z');

type Case = [label: string, day: string, lastOk: string | null, expected: Reason, opts?: { maxAgeMs?: number; refresh?: boolean; offline?: boolean }];

const CASES: Case[] = [
  ['never fetched, today', '2025-06-12', null, 'missing'],
  ['never fetched, long ago', '2024-01-02', null, 'missing'],
  ['today, fetched 30 min ago', '2025-06-12', '2025-06-12T09:30:00Z', 'fresh'],
  ['today, fetched exactly max-age ago', '2025-06-12', '2025-06-12T09:00:00Z', 'fresh'],
  ['today, fetched 61 min ago', '2025-06-12', '2025-06-12T08:59:00Z', 'stale'],
  ['today, fetched 2 h ago, max-age 3h', '2025-06-12', '2025-06-12T08:00:00Z', 'fresh', { maxAgeMs: 3 * HOUR }],
  ['today, max-age 0', '2025-06-12', '2025-06-12T09:59:59Z', 'stale', { maxAgeMs: 0 }],
  ['yesterday, fetched 5 h ago', '2025-06-11', '2025-06-12T05:00:00Z', 'stale'],
  ['yesterday, fetched 10 min ago', '2025-06-11', '2025-06-12T09:50:00Z', 'fresh'],
  ['2 days ago is still recent: fetched 2 h ago', '2025-06-10', '2025-06-12T08:00:00Z', 'stale'],
  ['2 days ago, fetched 10 min ago', '2025-06-10', '2025-06-12T09:50:00Z', 'fresh'],
  ['3 days ago, fetched on its own day', '2025-06-09', '2025-06-09T10:00:00Z', 'unsettled'],
  ['3 days ago, fetched the next day', '2025-06-09', '2025-06-10T23:59:59Z', 'unsettled'],
  ['3 days ago, fetched when 2 days old', '2025-06-09', '2025-06-11T00:00:00Z', 'final'],
  ['3 days ago, fetched 1 min ago', '2025-06-09', '2025-06-12T09:59:00Z', 'final'],
  ['a year ago, fetched a year ago the day after', '2024-06-09', '2024-06-10T12:00:00Z', 'unsettled'],
  ['a year ago, fetched a week later', '2024-06-09', '2024-06-16T12:00:00Z', 'final'],
  ['tomorrow', '2025-06-13', null, 'future'],
  ['tomorrow, even with --refresh', '2025-06-13', null, 'future', { refresh: true }],
  ['--refresh a final day', '2025-06-01', '2025-06-10T00:00:00Z', 'refresh', { refresh: true }],
  ['--refresh a fresh day', '2025-06-12', '2025-06-12T09:59:00Z', 'refresh', { refresh: true }],
  ['--offline, never fetched', '2025-06-12', null, 'offline', { offline: true }],
  ['--offline wins over --refresh', '2025-06-12', null, 'offline', { offline: true, refresh: true }],
  ['a fetch time after now (clock moved back) counts as fresh', '2025-06-12', '2025-06-12T11:00:00Z', 'fresh'],
  ['an unreadable fetch time counts as never fetched', '2025-06-01', 'garbage', 'missing'],
];

describe('decide', () => {
  it.each(CASES)('%s → %s', (_label, day, lastOk, expected, opts = {}) => {
    const d = decide({ day, lastOk, now: NOW, maxAgeMs: opts.maxAgeMs ?? HOUR, refresh: opts.refresh ?? false, offline: opts.offline ?? false });
    expect(d.reason).toBe(expected);
    expect(d.fetch).toBe(['missing', 'stale', 'unsettled', 'refresh'].includes(expected));
  });

  it('an older day is fetched at most once more: the refetch makes it final', () => {
    const first = decide({ day: '2025-06-09', lastOk: '2025-06-09T08:00:00Z', now: NOW, maxAgeMs: HOUR, refresh: false, offline: false });
    expect(first.fetch).toBe(true);
    const after = decide({ day: '2025-06-09', lastOk: NOW.toISOString(), now: new Date('2025-06-20T00:00:00Z'), maxAgeMs: HOUR, refresh: false, offline: false });
    expect(after).toEqual({ fetch: false, reason: 'final' });
  });

  it('does not depend on the time zone of the machine', () => {
    // Days are UTC calendar days; only Date.parse of ISO strings and toISOString are used.
    const late = new Date('2025-06-12T23:59:59Z');
    expect(decide({ day: '2025-06-12', lastOk: null, now: late, maxAgeMs: HOUR, refresh: false, offline: false }).reason).toBe('missing');
    expect(decide({ day: '2025-06-13', lastOk: null, now: late, maxAgeMs: HOUR, refresh: false, offline: false }).reason).toBe('future');
  });
});
