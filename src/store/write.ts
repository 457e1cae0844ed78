/**
 * Writing papers and listings. Every call here is one IMMEDIATE transaction
 * (IMMEDIATE so two processes never fail on a read→write upgrade),
 * so an import either lands whole or not at all.
 */
import { isTitleId, titleKey, type ListingEntry, type Paper, type ParsedListing } from '../model.js';
import { spaceCjk } from './cjk.js';
import { useWriteCache, type Db } from './db.js';
import { openBacklog, pendingFrom } from './fts-backlog.js';
import { storeWords, WordSet } from './fts-words.js';
import { columnsOf, type PaperColumns } from './rows.js';
import { titleHash } from './title-hash.js';

/** Days of upvote history kept per paper; the newest older row stays as the baseline before them. */
export const HISTORY_DAYS = 30;

/** What one import or fetch changed. */
export interface WriteStats {
  read: number;
  added: number;
  updated: number;
  unchanged: number;
  days: string[];
}

type StoredRow = PaperColumns;

/** Columns a merge may change, in the order of the UPDATE below. */
const MERGED_COLUMNS = [
  'title', 'abstract', 'authors', 'keywords', 'published_at', 'upvotes', 'comments',
  'github_repo', 'github_stars', 'project_page', 'ai_summary', 'organization', 'submitted_by',
  'categories', 'primary_category', 'doi', 'journal_ref', 'arxiv_comments', 'version', 'updated_on',
] as const;

/** Columns that belong to one arXiv version: an older version never overwrites a newer one's. */
const VERSIONED_COLUMNS = new Set<MergedColumn>(['title', 'abstract', 'authors', 'version', 'updated_on', 'arxiv_comments']);
/**
 * Columns arXiv is the authority on. A source without versions (Hugging Face, copied page
 * text) fills them while arXiv has not been seen, and never overwrites them once it has
 * (the stored row has a version): HF's title and abstract are arXiv's, sometimes with the
 * TeX stripped, so arXiv's own text wins, whichever arrives first.
 */
const ARXIV_COLUMNS = new Set<MergedColumn>([...VERSIONED_COLUMNS, 'published_at']);
type MergedColumn = (typeof MERGED_COLUMNS)[number];

/**
 * Merge what a source knows into what is stored: a known value replaces the stored
 * one (upvotes and comments move with each fetch); an unknown or empty one never
 * erases it (a cards-only HTML page carries no abstract). Two exceptions keep arXiv's
 * data whole: an older version never overwrites a newer one's text, and an unversioned
 * source never overwrites what arXiv said (ARXIV_COLUMNS).
 */
function mergeColumns(old: StoredRow, incoming: Record<MergedColumn, string | number | null>) {
  const merged = {} as Record<MergedColumn, string | number | null>;
  // An old snapshot (v1) imported after a newer listing (v3) keeps v3's text.
  const older = incoming.version !== null && old.version !== null && Number(incoming.version) < old.version;
  // HF after arXiv: arXiv's title, abstract, authors and dates stay.
  const unversioned = incoming.version === null && old.version !== null;
  for (const c of MERGED_COLUMNS) {
    const v = incoming[c];
    const keep = (older && VERSIONED_COLUMNS.has(c)) || (unversioned && ARXIV_COLUMNS.has(c) && old[c] !== null && old[c] !== '');
    merged[c] = v === null || v === '' || keep ? old[c] : v;
  }
  // A list whose primary category is unknown (an RSS cross-list) keeps a known primary first.
  if (incoming.primary_category === null && old.primary_category !== null && incoming.categories !== '') {
    const rest = String(incoming.categories).split(' ').filter((c) => c !== old.primary_category);
    merged.categories = [old.primary_category, ...rest].join(' ');
  }
  return merged;
}

/** Prepared statements for one database, built once per write. */
function statements(db: Db) {
  return {
    byId: db.prepare<[string], StoredRow>('SELECT * FROM papers WHERE id = ?'),
    byTitleHash: db.prepare<[number], { id: string; title: string }>('SELECT id, title FROM papers WHERE title_hash = ? ORDER BY pk'),
    insert: db.prepare(
      `INSERT INTO papers (id, title_hash, ${MERGED_COLUMNS.join(', ')})
       VALUES (@id, @title_hash, ${MERGED_COLUMNS.map((c) => '@' + c).join(', ')})`,
    ),
    update: db.prepare(
      `UPDATE papers SET title_hash = @title_hash, ${MERGED_COLUMNS.map((c) => `${c} = @${c}`).join(', ')}
       WHERE id = @id`,
    ),
    // The FTS index is kept in step here, not by triggers (schema migration 4 says why).
    ftsInsert: db.prepare<[number | bigint, string, string, string, string]>(
      'INSERT INTO papers_fts (rowid, title, abstract, authors, keywords) VALUES (?, ?, ?, ?, ?)',
    ),
    ftsDelete: db.prepare<[number | bigint, string, string, string, string]>(
      "INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors, keywords) VALUES ('delete', ?, ?, ?, ?, ?)",
    ),
    lastUpvotes: db.prepare<[string, string], number>('SELECT upvotes FROM upvote_history WHERE paper_id = ? AND at <= ? ORDER BY at DESC LIMIT 1').pluck(),
    history: db.prepare<[string, string, number]>('INSERT OR REPLACE INTO upvote_history (paper_id, at, upvotes) VALUES (?, ?, ?)'),
    prune: db.prepare<[string, string, string, string]>(
      `DELETE FROM upvote_history WHERE paper_id = ? AND at < ?
       AND at < (SELECT max(at) FROM upvote_history WHERE paper_id = ? AND at < ?)`,
    ),
    listing: db.prepare(
      `INSERT INTO listings (source, day, paper_id, rank, upvotes) VALUES (@source, @day, @paper_id, @rank, @upvotes)
       ON CONFLICT (source, day, paper_id) DO UPDATE SET rank = excluded.rank, upvotes = coalesce(excluded.upvotes, upvotes)`,
    ),
  };
}
type Statements = ReturnType<typeof statements>;

/**
 * A paper known only by its title takes the id of a stored paper with the same
 * title and an arXiv id; a paper with an arXiv id absorbs stored title-only ones.
 */
function resolveId(db: Db, st: Statements, paper: Paper, key: string): string {
  // The hash narrows it down; the folded titles decide.
  const sameTitle = st.byTitleHash.all(titleHash(key)).filter((r) => titleKey(r.title) === key).map((r) => r.id);
  if (isTitleId(paper.id)) return sameTitle.find((id) => !isTitleId(id)) ?? paper.id;
  for (const other of sameTitle) if (isTitleId(other)) absorbPaper(db, other, paper.id);
  return paper.id;
}

/**
 * Move everything stored under `fromId` to `toId` and delete `fromId`: used when a
 * title-only paper later arrives with its arXiv id. If `toId` does not exist yet, the
 * row is simply renamed, keeping what the title-only import knew.
 */
export function absorbPaper(db: Db, fromId: string, toId: string): void {
  const exists = db.prepare('SELECT 1 FROM papers WHERE id = ?').get(toId);
  if (exists) db.prepare('DELETE FROM papers WHERE id = ?').run(fromId);
  else db.prepare('UPDATE papers SET id = ? WHERE id = ?').run(toId, fromId);
  // Listings: keep the arXiv id's entry where both exist for the same source and day.
  db.prepare('UPDATE OR IGNORE listings SET paper_id = ? WHERE paper_id = ?').run(toId, fromId);
  db.prepare('DELETE FROM listings WHERE paper_id = ?').run(fromId);
  db.prepare('UPDATE last_shown SET paper_id = ? WHERE paper_id = ?').run(toId, fromId);
  // The user's marks follow the paper, and so does what was fetched about it (upvote
  // history, HF's orders, linked repositories); where both ids have a row, the arXiv id's is kept.
  for (const table of ['reads', 'stars', 'dismissals', 'upvote_history', 'listing_orders', 'linked', 'linked_fetches']) {
    db.prepare(`UPDATE OR IGNORE ${table} SET paper_id = ? WHERE paper_id = ?`).run(toId, fromId);
    db.prepare(`DELETE FROM ${table} WHERE paper_id = ?`).run(fromId);
  }
}

/**
 * Insert or merge one paper; returns its final id and whether it was added, updated or unchanged.
 * Papers from `unindexedFrom` on are left out of the search index (fts-backlog.ts builds it).
 */
function upsertPaper(db: Db, st: Statements, paper: Paper, unindexedFrom: number, words: WordSet): { id: string; change: 'added' | 'updated' | 'unchanged' } {
  const key = titleKey(paper.title);
  const id = resolveId(db, st, paper, key);
  const incoming = columnsOf(paper);
  const old = st.byId.get(id);
  if (!old) {
    const { lastInsertRowid } = st.insert.run({ id, title_hash: titleHash(key), ...incoming });
    if (lastInsertRowid < unindexedFrom) {
      const text = indexedText(incoming);
      st.ftsInsert.run(lastInsertRowid, ...text);
      for (const t of text) words.add(t, true);
    }
    return { id, change: 'added' };
  }
  const merged = mergeColumns(old, incoming);
  const changed = MERGED_COLUMNS.some((c) => merged[c] !== old[c]);
  if (!changed) return { id, change: 'unchanged' };
  st.update.run({ id, title_hash: titleHash(titleKey(String(merged.title))), ...merged });
  // Re-index only when the indexed text changed (a refetch mostly moves upvotes).
  const before = indexedText(old);
  const after = indexedText(merged);
  if (old.pk < unindexedFrom && before.some((text, i) => text !== after[i])) {
    st.ftsDelete.run(old.pk, ...before);
    st.ftsInsert.run(old.pk, ...after);
    for (const t of after) words.add(t, true);
  }
  return { id, change: 'updated' };
}

/**
 * Record a paper's count in its history when it differs from the one recorded last before
 * `at`, and prune what is older than `cutoff` but the newest of it. A paper just added has
 * no history: no lookup, nothing to prune (most of an import).
 */
function recordUpvotes(st: Statements, id: string, upvotes: number, added: boolean, at: string, cutoff: string): void {
  const last = added ? undefined : st.lastUpvotes.get(id, at);
  if (last === upvotes) return;
  st.history.run(id, at, upvotes);
  if (last !== undefined) st.prune.run(id, cutoff, id, cutoff);
}

/** The columns of papers_fts, in its order, as the index holds them (CJK characters spaced, cjk.ts). */
function indexedText(row: Pick<Record<MergedColumn, string | number | null>, 'title' | 'abstract' | 'authors' | 'keywords'>): [string, string, string, string] {
  const text = (v: string | number | null) => spaceCjk(String(v ?? ''));
  return [text(row.title), text(row.abstract), text(row.authors), text(row.keywords)];
}

/** A row of `fetches`: what was fetched, and how it went. */
export interface FetchRecord {
  source: string;
  period: string;
  status: string;
  detail?: string | null;
  /** Items fetched (default: every item of the listing). */
  items?: number;
}

/** How storeListing writes. */
export interface StoreOptions {
  now: Date;
  /** Record the listing as fetched (one `fetches` row each). */
  fetch?: FetchRecord | FetchRecord[];
  /** When the data was taken (default: now). */
  fetchedAt?: Date;
  /** Leave new papers out of the search index: a backlog the caller builds at the end (fts-backlog.ts). */
  bulk?: boolean;
  /** The entries are HF's positions in this order (`trending`), not the day's ranks. */
  order?: string;
}

// A paper listed several times in one input (once per arXiv category) counts once, as its biggest change.
const WEIGHT = { unchanged: 0, updated: 1, added: 2 } as const;

/**
 * Store a parsed listing in one transaction and record it in `fetches` (one row, or one
 * per arXiv category). Re-running with the same input changes nothing; a smaller listing
 * never deletes. The counts are of distinct papers.
 */
export function storeListing(db: Db, parsed: ParsedListing, opts: StoreOptions): WriteStats {
  const now = opts.now.toISOString();
  // When the data was taken: a saved file's time, which may be before the import.
  const fetchedAt = (opts.fetchedAt ?? opts.now).toISOString();
  const st = statements(db);
  const cutoff = new Date((opts.fetchedAt ?? opts.now).getTime() - HISTORY_DAYS * 86_400_000).toISOString();
  const changes = new Map<string, keyof typeof WEIGHT>();
  const days = new Set<string>();
  const records = opts.fetch === undefined ? [] : Array.isArray(opts.fetch) ? opts.fetch : [opts.fetch];
  // With `order`, the listing entries are HF's positions in that order (listing_orders), not
  // the day's ranks: the day's order is replaced whole, its listing left as it is.
  const order = opts.order;
  const position = order ? db.prepare('INSERT OR REPLACE INTO listing_orders (source, day, sort, paper_id, position, fetched_at) VALUES (?, ?, ?, ?, ?, ?)') : null;
  let wordsCommitted = () => {};
  useWriteCache(db);
  db.transaction(() => {
    if (order) {
      const clear = db.prepare('DELETE FROM listing_orders WHERE source = ? AND day = ? AND sort = ?');
      for (const day of new Set(parsed.items.flatMap((i) => (i.listing ? [`${i.listing.source}\n${i.listing.day}`] : [])))) clear.run(...day.split('\n'), order);
    }
    // Read inside the transaction: another process may have built or started a backlog.
    const unindexedFrom = (opts.bulk ? openBacklog(db, process.pid, now) : pendingFrom(db)) ?? Infinity;
    // The words of what is indexed, for grep (fts-words.ts), stored with it.
    const words = new WordSet();
    for (const { paper, listing } of parsed.items) {
      const { id, change } = upsertPaper(db, st, paper, unindexedFrom, words);
      if (paper.upvotes !== null) recordUpvotes(st, id, paper.upvotes, change === 'added', fetchedAt, cutoff);
      const before = changes.get(id);
      if (before === undefined || WEIGHT[change] > WEIGHT[before]) changes.set(id, change);
      if (listing && position) {
        position.run(listing.source, listing.day, order, id, listing.rank, fetchedAt);
      } else if (listing) {
        st.listing.run({ ...listing, paper_id: id } satisfies ListingEntry & { paper_id: string });
        days.add(listing.day);
      }
    }
    const record = db.prepare('INSERT INTO fetches (source, period, fetched_at, item_count, status, detail) VALUES (?, ?, ?, ?, ?, ?)');
    for (const r of records) record.run(r.source, r.period, fetchedAt, r.items ?? parsed.items.length, r.status, r.detail ?? null);
    wordsCommitted = storeWords(db, words.words);
  }).immediate();
  wordsCommitted();
  const stats: WriteStats = { read: changes.size, added: 0, updated: 0, unchanged: 0, days: [...days].sort() };
  for (const change of changes.values()) stats[change]++;
  return stats;
}
