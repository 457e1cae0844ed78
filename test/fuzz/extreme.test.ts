/** Extreme sizes: a 1 MB title and a 10 MB abstract parse, store and render without throwing. One case each. */
import { describe, expect, it } from 'vitest';
import { PLAIN_STYLE } from '../../src/render/style.js';
import { plainRecord, showText, ttyList } from '../../src/render/text.js';
import { displayWidth } from '../../src/render/width.js';
import { hfJson } from '../../src/sources/hf-json.js';
import { papersJsonl } from '../../src/sources/jsonl.js';
import { openDatabase } from '../../src/store/db.js';
import { getPaper } from '../../src/store/query.js';
import { storeListing } from '../../src/store/write.js';
import { NOW, opts } from './support.js';

// Words, an escape sequence now and then, and one 100,000-character word.
const words = (bytes: number) => {
  const unit = 'attention is all you need \x1b[31m深度学习 ';
  return (unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes - 100_000) + 'x'.repeat(100_000)).trim();
};
const TITLE = words(1 << 20);
const ABSTRACT = words(10 << 20);

type Row = Parameters<typeof plainRecord>[0];

function renderAll(row: Row): void {
  expect(plainRecord(row).length).toBeGreaterThan(1 << 19);
  for (const w of [80]) {
    // showText with a width: see the known gap below.
    for (const out of [ttyList([row], PLAIN_STYLE, w), showText({ ...row, abstract: row.abstract.slice(0, 1 << 20) }, [], PLAIN_STYLE, w)]) {
      expect(out).not.toContain('\x1b');
      let widest = 0;
      for (const line of out.split('\n')) widest = Math.max(widest, displayWidth(line));
      expect(widest).toBeLessThanOrEqual(w);
    }
  }
  expect(showText(row, [], PLAIN_STYLE, null)).not.toContain('\x1b');
}

describe('extreme sizes', () => {
  it('a 1 MB title and a 10 MB abstract from HF JSON: parse, store, render', () => {
    const text = JSON.stringify([{ paper: { id: '2501.00001', title: TITLE, summary: ABSTRACT, authors: [{ name: TITLE }] } }]);
    const parsed = hfJson.parse(text, opts('2025-06-09'));
    expect(parsed.items[0]!.paper.title.length).toBeGreaterThan(1_000_000);
    expect(parsed.items[0]!.paper.abstract.length).toBeGreaterThan(10_000_000);
    const db = openDatabase(':memory:');
    try {
      expect(storeListing(db, parsed, { now: NOW }).added).toBe(1);
      const row = getPaper(db, '2501.00001');
      expect(row).not.toBeNull();
      renderAll({ ...row!, listedOn: '2025-06-09', source: 'hf', rank: 1 });
    } finally {
      db.close();
    }
  }, 120_000);

  it('a 1 MB title and a 10 MB abstract from our JSONL: parse and render', () => {
    const parsed = papersJsonl.parse(JSON.stringify({ id: '2501.00002', title: TITLE, abstract: ABSTRACT, listedOn: '2025-06-09' }), opts(null));
    const { paper, listing } = parsed.items[0]!;
    renderAll({ ...paper, listedOn: listing!.day, source: listing!.source, rank: listing!.rank });
  }, 120_000);
});

// KNOWN GAP, outside the files this suite may fix: src/render/text.ts showText() does
// `out.push(...wrapped(para, '  '))` (and the same for the AI summary). A 10 MB abstract
// wraps to ~130,000 lines at 80 columns, more arguments than V8 accepts in one call:
// `papers show` on a TTY dies with "RangeError: Maximum call stack size exceeded".
// Fix: `for (const l of wrapped(para, '  ')) out.push(l);`. Remove `.skip` once fixed.
describe('extreme sizes: showText with a width on a 10 MB abstract (r7: fixed in src/render/text.ts)', () => {
  it('renders', () => {
    const parsed = papersJsonl.parse(JSON.stringify({ id: '2501.00003', title: 'T', abstract: ABSTRACT, aiSummary: ABSTRACT, listedOn: '2025-06-09' }), opts(null));
    const { paper } = parsed.items[0]!;
    expect(() => showText({ ...paper, listedOn: '2025-06-09', source: 'hf', rank: 1 }, [], PLAIN_STYLE, 80)).not.toThrow();
  }, 120_000);
});
