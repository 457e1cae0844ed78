/**
 * What a terminal listing marks seen: the screen height (context.ts), where each entry of
 * the listing ends (render/text.ts), and which rows a reader has certainly seen (render/printer.ts).
 */
import { describe, expect, test } from 'vitest';
import { displayedRows } from '../../src/render/printer.js';
import { screenHeight } from '../../src/context.js';
import { emptyPaper } from '../../src/model.js';
import { PLAIN_STYLE } from '../../src/render/style.js';
import { lineCount, ttyList, ttyListing } from '../../src/render/text.js';
import type { PaperRow } from '../../src/model.js';

const row = (id: string, title: string, over: Partial<PaperRow> = {}): PaperRow => ({
  ...emptyPaper(id, title),
  authors: ['Ada Lovelace'],
  upvotes: 3,
  listedOn: '2025-06-09',
  source: 'hf',
  rank: 1,
  ...over,
});

describe('screenHeight', () => {
  test.each([
    ['LINES wins', { LINES: '40' }, 50, 40],
    ['LINES with spaces', { LINES: ' 30 ' }, undefined, 30],
    ['LINES=0 is ignored', { LINES: '0' }, 50, 50],
    ['LINES not a number', { LINES: 'tall' }, 50, 50],
    ['LINES negative', { LINES: '-5' }, undefined, 24],
    ['LINES fractional', { LINES: '12.5' }, undefined, 24],
    ['the terminal rows', {}, 61, 61],
    ['no terminal', {}, undefined, 24],
    ['a terminal reporting 0 rows', {}, 0, 24],
  ])('%s', (_, env, rows, expected) => {
    expect(screenHeight(env, rows)).toBe(expected);
  });
});

describe('ttyListing: where each entry ends', () => {
  const rows = [
    row('2506.00001', 'Short'),
    row('2506.00002', 'A title long enough to wrap onto a second line at forty columns wide'),
    row('2506.00003', 'Also short', { authors: [] }),
    row('2506.00004', 'Searched', { snippet: 'a long \u0001snippet\u0002 of the abstract, wrapped under the title like the rest' }),
  ];

  test.each([
    [100, false],
    [40, false],
    [40, true],
    [24, true],
  ])('width %i, spaced %s: the ends are the line numbers where each entry stops', (width, spaced) => {
    const { text, ends } = ttyListing(rows, PLAIN_STYLE, width, spaced);
    expect(text).toBe(ttyList(rows, PLAIN_STYLE, width, spaced));
    expect(ends).toHaveLength(rows.length);
    expect(ends.at(-1)).toBe(lineCount(text));
    const lines = text.split('\n');
    ends.forEach((end, i) => {
      // The line after an entry's end starts the next entry (or a blank line between spaced ones).
      const next = lines[end]!;
      if (i + 1 < rows.length) expect(next, `entry ${i + 1}`).toMatch(spaced ? /^$/ : new RegExp(`^ *${i + 2} `));
      // And the entry's own first line is where the previous one ended.
      const start = i === 0 ? 0 : ends[i - 1]! + (spaced ? 1 : 0);
      expect(lines[start], `entry ${i + 1}`).toMatch(new RegExp(`^ *${i + 1}\\b`));
    });
  });

  test('lineCount counts newlines', () => {
    expect([lineCount(''), lineCount('a\n'), lineCount('a\nb\n\n'), lineCount('no newline')]).toEqual([0, 1, 3, 0]);
  });
});

describe('displayedRows', () => {
  const ids = ['a', 'b', 'c', 'd'];
  // Entries of 3, 2, 4 and 3 lines under a 2-line header: they end on lines 5, 7, 11 and 14.
  const ends = [3, 5, 9, 12];
  test.each([
    ['printed directly: all, whatever the height', false, 5, ids],
    ['paged and fitting the screen (14 lines, 15-line screen minus the prompt): all', true, 15, ids],
    ['paged, one line too long: the entries ending on the first 13 lines', true, 14, ['a', 'b', 'c']],
    ['paged, a 10-line screen: entries ending by line 9', true, 10, ['a', 'b']],
    ['paged, an entry ending exactly on the last line of the first screen counts', true, 8, ['a', 'b']],
    ['paged, a screen smaller than the first entry: none', true, 4, []],
    ['paged, a 1-line terminal: none', true, 1, []],
  ])('%s', (_, paged, height, expected) => {
    expect(displayedRows(ids, 2, ends, paged, height)).toEqual(expected);
  });

  test('no header and no rows', () => {
    expect(displayedRows([], 0, [], true, 24)).toEqual([]);
    expect(displayedRows(['a'], 0, [30], true, 24)).toEqual([]);
  });
});
