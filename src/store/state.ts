/**
 * State that belongs to the user and cannot be refetched: read marks, stars and the
 * watch list. Every write is one IMMEDIATE transaction.
 */
import type { Db } from './db.js';
import { spaceCjk } from './cjk.js';

/** Mark papers as read. `how` says whether they were just shown on a terminal or marked by hand. */
export function markRead(db: Db, ids: string[], how: 'shown' | 'marked', now: Date): number {
  const at = now.toISOString();
  // A hand-made mark is never downgraded to 'shown'.
  const stmt = db.prepare(
    `INSERT INTO reads (paper_id, read_at, how) VALUES (?, ?, ?)
     ON CONFLICT (paper_id) DO UPDATE SET how = CASE WHEN how = 'marked' THEN how ELSE excluded.how END`,
  );
  let changed = 0;
  db.transaction(() => {
    for (const id of ids) changed += stmt.run(id, at, how).changes;
  }).immediate();
  return changed;
}

/** Remove read marks; returns how many papers had one. */
export function markUnread(db: Db, ids: string[]): number {
  let n = 0;
  db.transaction(() => {
    n = deleteIds(db, 'reads', ids);
    forgetListingMarks(db, ids);
  }).immediate();
  return n;
}

/** Mark papers seen ('shown'); returns those that had no read mark before. */
export function markSeen(db: Db, ids: string[], now: Date): string[] {
  let fresh: string[] = [];
  db.transaction(() => {
    const before = readAmong(db, ids);
    fresh = ids.filter((id) => !before.has(id));
    // Papers already shown or marked keep their mark and its time.
    markRead(db, fresh, 'shown', now);
  }).immediate();
  return fresh;
}

/** Remove seen marks ('shown', never a hand-made 'marked'); returns how many papers had one. */
export function markUnseen(db: Db, ids: string[]): number {
  const stmt = db.prepare("DELETE FROM reads WHERE paper_id = ? AND how = 'shown'");
  let n = 0;
  db.transaction(() => {
    for (const id of ids) n += stmt.run(id).changes;
    forgetListingMarks(db, ids);
  }).immediate();
  return n;
}

/** Papers whose read mark is a hand-made one (`papers read`). */
export function markedAmong(db: Db, ids: string[]): Set<string> {
  const out = new Set<string>();
  const stmt = db.prepare<[string], { how: string }>('SELECT how FROM reads WHERE paper_id = ?');
  for (const id of ids) if (stmt.get(id)?.how === 'marked') out.add(id);
  return out;
}

/** The latest read_at among `ids` (ISO 8601), or null when none has a read mark. */
export function lastReadAt(db: Db, ids: string[]): string | null {
  const stmt = db.prepare<[string], { read_at: string }>('SELECT read_at FROM reads WHERE paper_id = ?');
  let last: string | null = null;
  for (const id of ids) {
    const at = stmt.get(id)?.read_at;
    if (at && (last === null || at > last)) last = at;
  }
  return last;
}

/**
 * Remember the numbers of a terminal list or search (`papers show 3`) and mark `seen` of
 * its papers seen, noting which marks this listing made: `papers unseen --last` removes
 * those, and leaves papers seen before it as they were.
 */
export function rememberShown(db: Db, ids: string[], seen: string[], now: Date): void {
  db.transaction(() => {
    const fresh = new Set(markSeen(db, seen, now));
    db.prepare('DELETE FROM last_shown').run();
    const ins = db.prepare('INSERT INTO last_shown (n, paper_id, marked_seen) VALUES (?, ?, ?)');
    ids.forEach((id, i) => ins.run(i + 1, id, fresh.has(id) ? 1 : 0));
  }).immediate();
}

/** The papers of the last terminal list or search, in order (empty when there was none). */
export function lastShown(db: Db): string[] {
  return db.prepare<[], { paper_id: string }>('SELECT paper_id FROM last_shown ORDER BY n').all().map((r) => r.paper_id);
}

/**
 * Mark every paper of the last list seen, as if it had all been on screen; the marks this
 * makes count as the listing's. Returns the papers and those newly marked.
 */
export function markLastSeen(db: Db, now: Date): { ids: string[]; fresh: string[] } {
  let ids: string[] = [];
  let fresh: string[] = [];
  db.transaction(() => {
    ids = [...new Set(lastShown(db))];
    fresh = markSeen(db, ids, now);
    const flag = db.prepare('UPDATE last_shown SET marked_seen = 1 WHERE paper_id = ?');
    for (const id of fresh) flag.run(id);
  }).immediate();
  return { ids, fresh };
}

/**
 * Remove the seen marks the last list made (and `markLastSeen`): papers seen before it,
 * and papers marked read by hand since, keep their marks. Returns the papers and how
 * many marks were removed.
 */
export function unmarkLastSeen(db: Db): { ids: string[]; removed: number } {
  let ids: string[] = [];
  let removed = 0;
  db.transaction(() => {
    ids = [...new Set(lastShown(db))];
    const made = db.prepare<[], { paper_id: string }>('SELECT paper_id FROM last_shown WHERE marked_seen = 1 ORDER BY n').all().map((r) => r.paper_id);
    removed = markUnseen(db, made);
  }).immediate();
  return { ids, removed };
}

/** A paper's seen mark is no longer the last listing's once it is removed: a later mark is someone else's. */
function forgetListingMarks(db: Db, ids: string[]): void {
  const stmt = db.prepare('UPDATE last_shown SET marked_seen = 0 WHERE paper_id = ?');
  for (const id of ids) stmt.run(id);
}

/** Star papers; returns how many were not starred before. */
export function star(db: Db, ids: string[], now: Date): number {
  return addMarks(db, 'stars', ids, now);
}

/** The tables of the user's per-paper marks, each with the column holding when a mark was made. */
const MARKED_AT = { stars: 'starred_at', dismissals: 'dismissed_at' } as const;

/** Mark papers in `table` (stars, dismissals); returns how many had no mark before. */
export function addMarks(db: Db, table: keyof typeof MARKED_AT, ids: string[], now: Date): number {
  const stmt = db.prepare(`INSERT OR IGNORE INTO ${table} (paper_id, ${MARKED_AT[table]}) VALUES (?, ?)`);
  let added = 0;
  db.transaction(() => {
    for (const id of ids) added += stmt.run(id, now.toISOString()).changes;
  }).immediate();
  return added;
}

/** Unstar papers; returns how many were starred. */
export function unstar(db: Db, ids: string[]): number {
  return deleteIds(db, 'stars', ids);
}

/** Remove the marks of `table` from papers; returns how many had one. */
export function deleteIds(db: Db, table: 'reads' | 'stars' | 'dismissals', ids: string[]): number {
  const stmt = db.prepare(`DELETE FROM ${table} WHERE paper_id = ?`);
  let n = 0;
  db.transaction(() => {
    for (const id of ids) n += stmt.run(id).changes;
  }).immediate();
  return n;
}

/** Which of `ids` are starred. */
export function starredAmong(db: Db, ids: string[]): Set<string> {
  return idsIn(db, 'stars', ids);
}

/** Which of `ids` have been read or shown. */
export function readAmong(db: Db, ids: string[]): Set<string> {
  return idsIn(db, 'reads', ids);
}

function idsIn(db: Db, table: 'reads' | 'stars', ids: string[]): Set<string> {
  const out = new Set<string>();
  const stmt = db.prepare<[string], { paper_id: string }>(`SELECT paper_id FROM ${table} WHERE paper_id = ?`);
  for (const id of ids) if (stmt.get(id)) out.add(id);
  return out;
}

/** The watch list, in the order terms were added. */
export function watchTerms(db: Db): string[] {
  return db.prepare<[], { term: string }>('SELECT term FROM watch_terms ORDER BY rowid').all().map((r) => r.term);
}

/** Add a watched term; false if it was already there (case-insensitively). */
export function addWatch(db: Db, term: string, now: Date): boolean {
  return db.prepare('INSERT OR IGNORE INTO watch_terms (term, added_at) VALUES (?, ?)').run(term, now.toISOString()).changes > 0;
}

/** Add the terms not yet on the watch list, writing only when one is missing. */
export function addMissingWatch(db: Db, terms: string[], now: Date): void {
  const has = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM watch_terms WHERE term = ?');
  const missing = terms.filter((t) => has.get(t)!.n === 0);
  if (missing.length === 0) return;
  db.transaction(() => {
    for (const t of missing) addWatch(db, t, now);
  }).immediate();
}

/** Remove a watched term; false if it was not there. */
export function removeWatch(db: Db, term: string): boolean {
  return db.prepare('DELETE FROM watch_terms WHERE term = ?').run(term).changes > 0;
}

/** The FTS5 expression of a watched term: one phrase, its words together, stemmed like search. */
export function termExpression(term: string): string {
  // CJK characters are words of their own in the index (cjk.ts): a run is a phrase of them.
  const phrase = (t: string) => `"${spaceCjk(t).replace(/"/g, '""')}"`;
  // As search does (fts-query.ts): the term as typed or in compatibility form (`ﬁne` → `fine`).
  const folded = term.normalize('NFKC');
  return folded === term || !/[\p{L}\p{N}]/u.test(folded) ? phrase(term) : `(${phrase(term)} OR ${phrase(folded)})`;
}

/** The papers of `ids` (those that exist) by their rowid. */
export function pksOf(db: Db, ids: string[]): Map<number, string> {
  return new Map(db.prepare<[string], [number, string]>('SELECT pk, id FROM papers WHERE id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(ids)));
}

/**
 * Past this many papers, watchMatches walks each term's matches instead of looking the papers
 * up: FTS5 answers a rowid lookup by starting the query again (~100 µs on a laptop-class
 * core), while a walk costs well under 1 µs a match.
 */
const LOOKUP_MAX = 100;

/**
 * For each paper of `ids`, the watched terms it matches (each term with its FTS5
 * expression). A page of rows is looked up by rowid, so a common term's every match is not
 * walked for twenty rows; a long listing walks the matches once.
 */
export function watchMatches(db: Db, terms: Array<{ term: string; match: string }>, ids: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (ids.length === 0 || terms.length === 0) return out;
  const add = (id: string, term: string) => out.set(id, [...(out.get(id) ?? []), term]);
  if (ids.length > LOOKUP_MAX) {
    const idOfPk = pksOf(db, ids);
    const walk = db.prepare<[string], number>('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?').pluck();
    for (const { term, match } of terms) {
      for (const pk of walk.iterate(match)) {
        const id = idOfPk.get(pk);
        if (id !== undefined) add(id, term);
      }
    }
    return out;
  }
  const stmt = db.prepare<[string, string], { id: string }>(
    `SELECT p.id FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
     WHERE papers_fts.rowid IN (SELECT pk FROM papers WHERE id IN (SELECT value FROM json_each(?))) AND papers_fts MATCH ?`,
  );
  const json = JSON.stringify(ids);
  for (const { term, match } of terms) {
    for (const { id } of stmt.all(json, match)) add(id, term);
  }
  return out;
}
