/**
 * "Never write a partial listing": every mutated input that parses is stored whole by
 * storeListing, or — when the write fails part-way (a failure injected at a random write) —
 * the tables are exactly as before and the FTS index still agrees with them.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PapersError } from '../../src/errors.js';
import { titleKey, type ParsedListing } from '../../src/model.js';
import { titleHash } from '../../src/store/title-hash.js';
import { hfHtml } from '../../src/sources/hf-html.js';
import { hfJson } from '../../src/sources/hf-json.js';
import { papersJsonl } from '../../src/sources/jsonl.js';
import { pageText } from '../../src/sources/page-text.js';
import type { Source } from '../../src/sources/types.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { storeListing } from '../../src/store/write.js';
import {
  HF_API,
  HEAVY_RUNS,
  HF_FIELDS,
  HF_HTML,
  HTML_PROPS,
  JSONL,
  NOW,
  PAGE_TEXT,
  TIMEOUT,
  applyJsonOps,
  applyTextOps,
  check,
  dayOption,
  jsonOp,
  opts,
  textOps,
} from './support.js';

interface Input {
  source: Source;
  text: string;
}
/** An input that fast-check prints by format and size, not by its whole text. */
const asInput = (source: Source, text: string): Input =>
  ({ source, text, [fc.toStringMethod]: () => `${source.name} input (${text.length} chars): ${JSON.stringify(text.slice(0, 200))}…` }) as Input;
const jsonOps = fc.array(jsonOp(HF_FIELDS), { minLength: 1, maxLength: 3 });
/** Mutated inputs of every format; text mutations kept light so that most still parse. */
const input: fc.Arbitrary<Input> = fc.oneof(
  fc.tuple(fc.constantFrom(...HF_API), jsonOps).map(([f, ops]) => asInput(hfJson, applyJsonOps(f.text, ops))),
  fc.tuple(fc.constantFrom(...HF_API), textOps).map(([f, ops]) => asInput(hfJson, applyTextOps(f.text, ops.slice(0, 1)))),
  fc.tuple(fc.constantFrom(...JSONL), textOps).map(([f, ops]) => asInput(papersJsonl, applyTextOps(f.text, ops.slice(0, 1)))),
  fc.tuple(fc.constantFrom(...PAGE_TEXT), textOps).map(([f, ops]) => asInput(pageText, applyTextOps(f.text, ops.slice(0, 1)))),
  fc.tuple(fc.constantFrom(...HF_HTML), textOps).map(([f, ops]) => asInput(hfHtml, applyTextOps(f.text, ops.slice(0, 1)))),
  jsonOps.map((ops) => asInput(hfHtml, HTML_PROPS.page(applyJsonOps(HTML_PROPS.json, ops, 'dailyPapers')))),
);

/** Everything a write can change, summed up: equal snapshots mean nothing changed. */
function snapshot(db: Db): unknown {
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM papers) AS papers, (SELECT count(*) FROM listings) AS listings,
              (SELECT count(*) FROM fetches) AS fetches, (SELECT count(*) FROM papers_fts) AS fts,
              (SELECT total(length(id) + length(title) + title_hash % 1000 + length(abstract) + length(authors) + length(keywords)
                            + coalesce(upvotes, 0) + coalesce(comments, 0) + coalesce(version, 0) + length(coalesce(updated_on, '')))
                 FROM papers) AS paperSum,
              (SELECT total(rank + coalesce(upvotes, 0) + length(paper_id) + length(day) + length(source)) FROM listings) AS listingSum`,
    )
    .get();
}

/** A database whose every write to papers, listings and fetches first calls `tick`, which throws at write number `failAt`. */
class FaultyDb {
  db: Db;
  writes = 0;
  failAt = -1;
  cases = 0;
  constructor() {
    this.db = openDatabase(':memory:');
    this.db.function('fuzz_tick', () => {
      this.writes++;
      if (this.writes === this.failAt) throw new Error('injected write failure');
      return 0;
    });
    for (const table of ['papers', 'listings', 'fetches']) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        this.db.exec(`CREATE TEMP TRIGGER fuzz_${table}_${op} BEFORE ${op} ON main.${table} BEGIN SELECT fuzz_tick(); END`);
      }
    }
  }
}

let faulty = new FaultyDb();
afterAll(() => faulty.db.close());

/** Store `parsed`, failing at write `failAt` (or never); check all-or-nothing. */
function storeAndCheck(parsed: ParsedListing, failAt: number | null, withFetch: boolean): 'stored' | 'rolled back' {
  // A fresh database now and then, so the checks stay cheap.
  if (++faulty.cases > 40) {
    faulty.db.close();
    faulty = new FaultyDb();
  }
  const { db } = faulty;
  const before = snapshot(db);
  faulty.writes = 0;
  faulty.failAt = failAt ?? -1;
  let stats;
  try {
    stats = storeListing(db, parsed, {
      now: NOW,
      ...(withFetch ? { fetch: { source: 'hf', period: '2025-06-09', status: 'import' } } : {}),
    });
  } catch (err) {
    expect(snapshot(db)).toEqual(before);
    db.exec(`INSERT INTO papers_fts(papers_fts) VALUES('integrity-check')`);
    expect(db.inTransaction).toBe(false);
    if (failAt === null) throw new Error(`storeListing failed with no failure injected: ${(err as Error).message}`, { cause: err });
    expect((err as Error).message).toMatch(/injected write failure/);
    return 'rolled back';
  }
  faulty.failAt = -1;
  if (failAt !== null) expect(faulty.writes, 'a failure injected within the writes made must abort the store').toBeLessThan(failAt);
  db.exec(`INSERT INTO papers_fts(papers_fts) VALUES('integrity-check')`);
  // Counts are of distinct papers: a paper listed twice in one input counts once.
  expect(stats.added + stats.updated + stats.unchanged).toBe(stats.read);
  expect(stats.read).toBeLessThanOrEqual(parsed.items.length);
  if (parsed.items.length > 0) expect(stats.read).toBeGreaterThan(0);
  // Every item is there, and so is its listing entry.
  const byId = db.prepare<[string, number], { id: string }>('SELECT id FROM papers WHERE id = ? OR title_hash = ?');
  const listed = db.prepare<[string, string, string, number], { n: number }>(
    'SELECT count(*) AS n FROM listings WHERE source = ? AND day = ? AND paper_id IN (SELECT id FROM papers WHERE id = ? OR title_hash = ?)',
  );
  for (const { paper, listing } of parsed.items) {
    const key = titleHash(titleKey(paper.title));
    expect(byId.all(paper.id, key).length, `paper ${paper.id} stored`).toBeGreaterThan(0);
    if (listing) expect(listed.get(listing.source, listing.day, paper.id, key)!.n, `listing of ${paper.id}`).toBeGreaterThan(0);
  }
  if (withFetch) expect((db.prepare('SELECT count(*) AS n FROM fetches').get() as { n: number }).n).toBeGreaterThan(0);
  return 'stored';
}

describe('storeListing, fuzzed', () => {
  it('mutated inputs that parse are stored whole, or not at all when a write fails part-way', () => {
    check(
      fc.property(input, dayOption, fc.option(fc.integer({ min: 1, max: 40 }), { freq: 2 }), fc.boolean(), ({ source, text }, day, failAt, withFetch) => {
        let parsed: ParsedListing;
        try {
          parsed = source.parse(text, opts(day));
        } catch (err) {
          if (err instanceof PapersError) return;
          throw err;
        }
        storeAndCheck(parsed, failAt, withFetch);
      }),
      { numRuns: HEAVY_RUNS },
    );
  }, TIMEOUT);

  it('the same listing twice: the second store adds nothing', () => {
    check(
      fc.property(fc.constantFrom(...HF_API, ...JSONL), (f) => {
        const source = f.name.endsWith('.jsonl') ? papersJsonl : hfJson;
        const parsed = source.parse(f.text, opts('2025-06-09'));
        const db = openDatabase(':memory:');
        try {
          storeListing(db, parsed, { now: NOW });
          const before = snapshot(db);
          const again = storeListing(db, parsed, { now: NOW });
          expect(again.added).toBe(0);
          expect(snapshot(db)).toEqual(before);
        } finally {
          db.close();
        }
      }),
      { numRuns: 12 },
    );
  });
});

describe('storeListing regressions', () => {
  it('r7_partial_write: a failure at the last write of a 12-paper listing leaves nothing behind', () => {
    const parsed = hfJson.parse(HF_API.find((f) => f.name === 'hfdp-ml_2025-06-09.json')!.text, opts(null));
    // 12 papers + 12 listings + 1 fetch = 25 writes: fail the 25th.
    expect(storeAndCheck(parsed, 25, true)).toBe('rolled back');
    expect(storeAndCheck(parsed, 24, true)).toBe('rolled back');
    expect(storeAndCheck(parsed, 1, true)).toBe('rolled back');
    expect(storeAndCheck(parsed, null, true)).toBe('stored');
  });

  it('r7_extreme_numbers: upvotes and ranks at the edges of float range are stored', () => {
    const text = JSON.stringify([{ paper: { id: '2501.00001', title: 'T', upvotes: 1e308 }, numComments: -1e308 }]);
    expect(storeAndCheck(hfJson.parse(text, opts('2025-06-09')), null, false)).toBe('stored');
    storeAndCheck(papersJsonl.parse(JSON.stringify({ id: '2501.00002', title: 'T2', listedOn: '2025-06-09', rank: 2 ** 53 - 1, version: -1 }), opts(null)), null, false);
  });
});
