/** What `papers cache` reports and does: counts, sizes, last fetches, integrity checks, compaction. */
import { statSync } from 'node:fs';
import type { Db } from './db.js';

/** Counts and sizes of the database. */
export interface CacheStats {
  path: string;
  bytes: number;
  papers: number;
  listings: number;
  stars: number;
  read: number;
  watchTerms: number;
  /** Stored full texts (`show --full`): how many, their markdown's size, and what they take stored (compressed). */
  bodies: { count: number; bytes: number; storedBytes: number };
  bySource: Array<{ source: string; days: number; papers: number; first: string; last: string }>;
  byMonth: Array<{ month: string; days: number; papers: number }>;
  lastFetches: Array<{ source: string; period: string; fetchedAt: string; items: number; status: string }>;
}

/** Size of the database with its WAL, in bytes. */
function fileBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(path + suffix).size;
    } catch {
      // no WAL file right now
    }
  }
  return total;
}

/** Gather the numbers `papers cache stats` prints. */
export function cacheStats(db: Db, path: string): CacheStats {
  const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    path,
    bytes: fileBytes(path),
    papers: one('SELECT count(*) AS n FROM papers'),
    listings: one('SELECT count(*) AS n FROM listings'),
    stars: one('SELECT count(*) AS n FROM stars'),
    read: one('SELECT count(*) AS n FROM reads'),
    watchTerms: one('SELECT count(*) AS n FROM watch_terms'),
    bodies: db.prepare('SELECT count(*) AS count, coalesce(sum(bytes), 0) AS bytes, coalesce(sum(length(body)), 0) AS storedBytes FROM paper_bodies').get() as CacheStats['bodies'],
    bySource: db
      .prepare(
        `SELECT source, count(DISTINCT day) AS days, count(DISTINCT paper_id) AS papers, min(day) AS first, max(day) AS last
         FROM listings GROUP BY source ORDER BY source`,
      )
      .all() as CacheStats['bySource'],
    byMonth: db
      .prepare(
        `SELECT substr(day, 1, 7) AS month, count(DISTINCT day) AS days, count(DISTINCT paper_id) AS papers
         FROM listings GROUP BY month ORDER BY month DESC LIMIT 24`,
      )
      .all() as CacheStats['byMonth'],
    lastFetches: db
      .prepare(
        `SELECT source, period, fetched_at AS fetchedAt, item_count AS items, status
         FROM fetches ORDER BY fetched_at DESC, id DESC LIMIT 10`,
      )
      .all() as CacheStats['lastFetches'],
  };
}

/** Drop every stored full text and its search index (`cache prune --bodies`); returns how many there were. */
export function pruneBodies(db: Db): number {
  return db.transaction(() => {
    db.exec("INSERT INTO bodies_fts (bodies_fts) VALUES ('delete-all')");
    return db.prepare('DELETE FROM paper_bodies').run().changes;
  }).immediate();
}

/**
 * Integrity problems of the database and its search index, or [] when all is well.
 * Slow on large databases (a full read): only on request, never on start-up.
 */
export function integrityProblems(db: Db): string[] {
  const problems = (db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>)
    .map((r) => r.integrity_check)
    .filter((m) => m !== 'ok');
  try {
    db.prepare("INSERT INTO papers_fts(papers_fts) VALUES ('integrity-check')").run();
  } catch (err) {
    problems.push(`search index: ${(err as Error).message}`);
  }
  const ftsRows = (db.prepare('SELECT count(*) AS n FROM papers_fts').get() as { n: number }).n;
  const papers = (db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
  if (ftsRows !== papers) problems.push(`search index has ${ftsRows} rows for ${papers} papers`);
  return problems;
}

/** Merge the search index's segments and rebuild the file without free pages; returns bytes before and after. */
export function compact(db: Db, path: string): { before: number; after: number } {
  const before = fileBytes(path);
  db.prepare("INSERT INTO papers_fts(papers_fts) VALUES ('optimize')").run();
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { before, after: fileBytes(path) };
}
