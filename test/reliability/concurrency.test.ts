/**
 * Concurrency: four `papers import` processes write one database at once, round
 * after round, while readers (`list`, `search`, piped and on a terminal) run beside them.
 * No process may fail with "database is locked" while the others' transactions are each
 * shorter than the busy timeout; no paper may be lost or duplicated; totals are exact; no
 * reader ever fails.
 *
 * Each round starts from a new database file, so the four also race to create and migrate it.
 * The imports are sized so that each one's work (about 1.5–2.5 s here) is short, but the four
 * together take longer than the 5 s busy timeout: writers must take turns, not time out.
 * PAPERS_IMPORT_BATCH is set small so a batched import holds the write lock briefly.
 *
 * A third test runs readers and a `star` beside one long import (30,000 papers): they must
 * succeed, not fail with "locked" once the import has held the lock for 5 s.
 *
 * Default: 2 rounds of 4 × 3,000 papers. RELIABILITY_FULL=1: 5 rounds of 4 × 4,000.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatabase, expectedHashes, range, storedHashes, writeCorpus, type WrittenCorpus } from '../support/corpus.js';
import { timedRun } from '../support/kill.js';
import type { RunResult } from '../support/run.js';

const FULL = process.env.RELIABILITY_FULL === '1';
const ROUNDS = FULL ? 5 : 2;
const SLICE = FULL ? 4_000 : 3_000;
const BATCH = 500;
/** Papers of the long import (~15–25 s here; one transaction for it all holds the lock ~10 s). */
const LONG = 30_000;
const MINUTE = 60_000;

let dir: string;
const log: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'papers-concurrency-'));
});
afterAll(() => {
  if (log.length) console.log(`concurrency:\n  ${log.join('\n  ')}`);
  rmSync(dir, { recursive: true, force: true });
});

interface ReaderRun {
  args: string[];
  tty: boolean;
  r: RunResult;
}

/**
 * Run readers in a loop until `until` settles: `list` of a range and `search`, piped, and
 * `list` on a terminal (which also records the numbers it showed: a small write).
 */
async function readWhile(db: string, until: Promise<unknown>): Promise<ReaderRun[]> {
  let done = false;
  void until.finally(() => (done = true));
  const runs: ReaderRun[] = [];
  const kinds: Array<{ args: string[]; tty: boolean }> = [
    { args: ['list', '--since', '2020-01-01', '--until', '2099-12-31', '--limit', '20'], tty: false },
    { args: ['search', 'model', '--limit', '5'], tty: false },
    { args: ['list', '--since', '2020-01-01', '--until', '2099-12-31', '--limit', '20'], tty: true },
    { args: ['search', 'learning'], tty: true },
  ];
  const loop = async (offset: number) => {
    for (let k = offset; !done; k++) {
      const { args, tty } = kinds[k % kinds.length]!;
      const r = await timedRun(args, { env: { PAPERS_DB: db, ...(tty ? { PAPERS_FORCE_TTY: '1', COLUMNS: '100' } : {}) } });
      runs.push({ args, tty, r });
    }
  };
  await Promise.all([loop(0), loop(1)]);
  return runs;
}

/** Size of the database's write-ahead log (0 when there is none). */
function walSize(db: string): number {
  try {
    return statSync(`${db}-wal`).size;
  } catch {
    return 0;
  }
}

/** The note a reader gives while a bulk import it runs beside has papers not indexed yet. */
const NOT_INDEXED_YET = /^papers: [\d,]+ papers? being imported \(process \d+\) are not in the search index yet\n/m;

/** Readers never fail: exit 0, or 1 when nothing is there yet, with a one-line note (and the note of papers not indexed yet). */
function expectReadersFine(runs: ReaderRun[]) {
  expect(runs.length, 'some readers ran during the writes').toBeGreaterThan(0);
  for (const { args, tty, r } of runs) {
    const what = `papers ${args.join(' ')}${tty ? ' (on a terminal)' : ''}: exit ${r.code}: ${r.stderr.trim()}`;
    expect([0, 1], what).toContain(r.code);
    const stderr = r.stderr.replace(NOT_INDEXED_YET, '');
    if (r.code === 1) expect(stderr, what).toMatch(/^papers: no (papers|results)?.*\n$/);
    expect(stderr, what).not.toMatch(/locked|unexpected|malformed|\n\s+at /);
  }
}

/** Every importer succeeded with its one-line summary, and none saw a lock. */
function expectImportersFine(results: Array<RunResult & { elapsedMs: number }>) {
  results.forEach((r, k) => {
    expect(r.stderr, `importer ${k}`).not.toMatch(/locked|busy/i);
    expect(r.code, `importer ${k}: ${r.stderr}`).toBe(0);
    expect(r.stderr, `importer ${k}`).toMatch(/^imported .*\(jsonl\)/m);
  });
}

/** Exactly the expected papers, each exact, in a sound database. */
function expectExactly(db: string, expected: Map<string, string>) {
  const s = checkDatabase(db);
  expect(s.integrity).toBe('ok');
  expect(s.ftsError).toBeNull();
  expect(s.ftsRows).toBe(s.papers);
  expect(s.distinctIds, 'no duplicates').toBe(s.papers);
  expect(s.papers, 'no lost or extra papers').toBe(expected.size);
  expect(s.listings).toBe(expected.size);
  const stored = storedHashes(db);
  const wrong = [...expected].filter(([id, hash]) => stored.get(id) !== hash).map(([id]) => id);
  expect(wrong.slice(0, 5), `${wrong.length} papers missing or different`).toEqual([]);
}

describe('concurrent writers and readers', () => {
  it('during one long import: list and search (piped and on a terminal) and star all succeed', async () => {
    const db = join(dir, 'long.db');
    const seed = writeCorpus(join(dir, 'long-seed.jsonl'), range(900_000, 200));
    expect((await timedRun(['import', seed.file], { env: { PAPERS_DB: db } })).code).toBe(0);
    // Big enough that one transaction for the whole file holds the write lock well past the
    // 5 s busy timeout; a batched import holds it a batch at a time.
    const long = writeCorpus(join(dir, 'long.jsonl'), range(900_200, LONG));
    const importer = timedRun(['import', long.file], { env: { PAPERS_DB: db, PAPERS_IMPORT_BATCH: String(BATCH) } });
    const others: Array<Promise<RunResult & { elapsedMs: number }>> = [];
    const tty = { PAPERS_FORCE_TTY: '1', COLUMNS: '100' };
    // Start the others once the import is writing: its write-ahead log has grown past 1 MB
    // (not on a timer: how long the import reads and parses first depends on the machine).
    let finished = false;
    void importer.finally(() => (finished = true));
    while (!finished && walSize(db) < 2 ** 20) await new Promise((r) => setTimeout(r, 25));
    expect(finished, 'the import was still running when the others started').toBe(false);
    for (const [args, extra] of [
      [['list', '--since', '2020-01-01', '--until', '2099-12-31', '--limit', '10'], {}],
      [['list', '--since', '2020-01-01', '--until', '2099-12-31', '--limit', '10'], tty],
      [['search', 'model'], tty],
      [['search', 'learning', '--limit', '5'], {}],
      [['star', seed.ids[3]!], {}],
    ] as Array<[string[], Record<string, string>]>) {
      others.push(timedRun(args, { env: { PAPERS_DB: db, ...extra } }));
    }
    const results = await Promise.all(others);
    const imp = await importer;
    log.push(`long import ${Math.round(imp.elapsedMs)} ms; beside it: ${results.map((r) => `${Math.round(r.elapsedMs)} ms`).join(', ')}`);
    expect(imp.code, imp.stderr).toBe(0);
    results.forEach((r, k) => {
      expect(r.stderr, `command ${k}`).not.toMatch(/locked|unexpected|\n\s+at /);
      expect(r.code, `command ${k}: ${r.stderr}`).toBe(0);
    });
    expect(results[0]!.stdout.trimEnd().split('\n')).toHaveLength(10);
    expectExactly(db, new Map([...expectedHashes(range(900_000, 200)), ...expectedHashes(range(900_200, LONG))]));
  }, 5 * MINUTE);


  it(`4 importers at once into a new database, different and overlapping data, ${ROUNDS} rounds, readers alongside: no lock failure, exact totals`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const db = join(dir, `round-${round}.db`);
      // Each importer's slice overlaps the next one's by half; even rounds read the files in
      // reverse order, so the overlap is written from both ends.
      const base = round * 100_000;
      const slices: WrittenCorpus[] = [0, 1, 2, 3].map((k) => {
        const start = base + (k * SLICE) / 2;
        const order = [...range(start, SLICE)];
        if (round % 2 === 0 && k % 2 === 1) order.reverse();
        return writeCorpus(join(dir, `round-${round}-${k}.jsonl`), order);
      });
      const started = performance.now();
      const importers = Promise.all(slices.map((s) => timedRun(['import', s.file], { env: { PAPERS_DB: db, PAPERS_IMPORT_BATCH: String(BATCH) } })));
      const readers = readWhile(db, importers);
      const results = await importers;
      const reads = await readers;
      log.push(
        `round ${round}: importers ${results.map((r) => `${Math.round(r.elapsedMs)} ms`).join(', ')} (all: ${Math.round(performance.now() - started)} ms); ${reads.length} reader runs, exits ${[...new Set(reads.map((x) => x.r.code))].join('/')}`,
      );
      expectImportersFine(results);
      expectReadersFine(reads);
      expectExactly(db, expectedHashes(range(base, (SLICE * 5) / 2)));
    }
  }, (FULL ? 15 : 8) * MINUTE);

  it('4 importers updating the same papers with different data into a populated database, with stars set alongside: each paper wholly one version, no star lost', async () => {
    const db = join(dir, 'updates.db');
    const first = writeCorpus(join(dir, 'updates-0.jsonl'), range(500_000, SLICE));
    const seed = await timedRun(['import', first.file], { env: { PAPERS_DB: db } });
    expect(seed.code, seed.stderr).toBe(0);
    // Two importers of variant 1 and two of variant 2 of the same papers.
    const variants = [1, 2, 1, 2].map((v, k) => writeCorpus(join(dir, `updates-${k + 1}.jsonl`), range(500_000, SLICE), { variant: v }));
    const starIds = first.ids.filter((_, i) => i % 97 === 0);
    const importers = Promise.all(variants.map((c) => timedRun(['import', c.file], { env: { PAPERS_DB: db, PAPERS_IMPORT_BATCH: String(BATCH) } })));
    // A user starring papers one by one while the imports run (each `papers star` is a write).
    const stars = (async () => {
      const out: RunResult[] = [];
      for (const id of starIds) out.push(await timedRun(['star', id], { env: { PAPERS_DB: db } }));
      return out;
    })();
    const reads = readWhile(db, importers);
    const results = await importers;
    const starRuns = await stars;
    expectImportersFine(results);
    expectReadersFine(await reads);
    starRuns.forEach((r) => expect(r.code, `papers star: ${r.stderr}`).toBe(0));

    const s = checkDatabase(db);
    expect(s.integrity).toBe('ok');
    expect(s.ftsError).toBeNull();
    expect(s.papers).toBe(SLICE);
    expect(s.ftsRows).toBe(SLICE);
    const stored = storedHashes(db);
    const mixed = first.ids.filter((id, i) => stored.get(id) !== variants[0]!.hashes[i] && stored.get(id) !== variants[1]!.hashes[i]);
    expect(mixed.slice(0, 5), `${mixed.length} papers are neither wholly version 1 nor wholly version 2`).toEqual([]);
    const starred = await timedRun(['list', '--starred', '--jsonl'], { env: { PAPERS_DB: db } });
    expect(starred.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id).sort()).toEqual([...starIds].sort());
  }, (FULL ? 10 : 6) * MINUTE);
});
