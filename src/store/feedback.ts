/**
 * The user's ranking feedback — dismissals ("not interested"), with stars and hand-made read
 * marks from state.ts — read back as the model's training documents, and the cursors that
 * remember where the last inbox and digest stopped. Every write is one IMMEDIATE transaction.
 */
import type { Paper } from '../model.js';
import type { Db } from './db.js';
import { toRow, type RawRow } from './query.js';
import { addMarks, deleteIds, pksOf } from './state.js';

/** What the ranking reads of a paper: its text and the few numbers it uses as priors. */
export type RankDoc = Pick<Paper, 'id' | 'title' | 'abstract' | 'keywords' | 'authors' | 'categories' | 'upvotes' | 'publishedAt'>;

const DOC_COLUMNS = 'p.*, NULL AS day, NULL AS source, NULL AS rank';
type DocColumns = RawRow;
const toDoc: (r: RawRow) => RankDoc = toRow;

/** Dismiss papers ("not interested"); returns how many were not dismissed before. */
export function dismiss(db: Db, ids: string[], now: Date): number {
  return addMarks(db, 'dismissals', ids, now);
}

/** Take dismissals back; returns how many papers had one. */
export function undismiss(db: Db, ids: string[]): number {
  return deleteIds(db, 'dismissals', ids);
}

/** Which of `ids` are dismissed. */
export function dismissedAmong(db: Db, ids: string[]): Set<string> {
  const stmt = db.prepare<[string], { paper_id: string }>('SELECT paper_id FROM dismissals WHERE paper_id = ?');
  return new Set(ids.filter((id) => stmt.get(id)));
}

/**
 * A training document whose text is read from the database only when asked for: the
 * ranking's feature cache (rank-cache.ts) usually has its features, and then only its id is
 * used. A paper deleted meanwhile reads as empty.
 */
class StoredDoc implements RankDoc {
  private row: RankDoc | null = null;

  constructor(
    readonly id: string,
    private readonly load: (id: string) => RankDoc | undefined,
  ) {}

  private get doc(): RankDoc {
    return (this.row ??= this.load(this.id) ?? { id: this.id, title: '', abstract: '', keywords: [], authors: [], categories: [], upvotes: null, publishedAt: null });
  }
  get title() {
    return this.doc.title;
  }
  get abstract() {
    return this.doc.abstract;
  }
  get keywords() {
    return this.doc.keywords;
  }
  get authors() {
    return this.doc.authors;
  }
  get categories() {
    return this.doc.categories;
  }
  get upvotes() {
    return this.doc.upvotes;
  }
  get publishedAt() {
    return this.doc.publishedAt;
  }
}

/** Training documents for papers by id, each read only if its text is asked for. */
function storedDocs(db: Db, ids: string[]): RankDoc[] {
  const byId = db.prepare<[string], DocColumns>(`SELECT ${DOC_COLUMNS} FROM papers p WHERE p.id = ?`);
  const load = (id: string) => {
    const row = byId.get(id);
    return row ? toDoc(row) : undefined;
  };
  return ids.map((id) => new StoredDoc(id, load));
}

/** The papers the user gave feedback on, as training documents: starred, dismissed, marked read by hand. */
export function feedbackDocs(db: Db): { starred: RankDoc[]; dismissed: RankDoc[]; read: RankDoc[] } {
  const docs = (sql: string) => storedDocs(db, db.prepare<[], string>(`SELECT p.id FROM papers p WHERE p.id IN (${sql}) ORDER BY p.id`).pluck().all());
  return {
    starred: docs('SELECT paper_id FROM stars'),
    dismissed: docs('SELECT paper_id FROM dismissals'),
    // A hand-made read mark on a starred or dismissed paper says nothing more.
    read: docs("SELECT paper_id FROM reads WHERE how = 'marked' EXCEPT SELECT paper_id FROM stars EXCEPT SELECT paper_id FROM dismissals"),
  };
}

/**
 * Up to `n` papers drawn at random by `random` (seeded by the caller, so a run is
 * repeatable), skipping `exclude`: the unlabeled papers the model takes as mild negatives.
 * Rows are picked by rowid, so the cost is the sample's, not the table's.
 */
export function sampleDocs(db: Db, n: number, random: () => number, exclude: ReadonlySet<string>): RankDoc[] {
  const maxPk = db.prepare<[], number | null>('SELECT max(pk) FROM papers').pluck().get() ?? 0;
  // Rowids have gaps (merged papers): a bounded number of draws, never a scan, read in one query.
  const draws: number[] = [];
  const tried = new Set<number>();
  for (let i = 0; i < n * 4 && tried.size < maxPk; i++) {
    const pk = 1 + Math.floor(random() * maxPk);
    if (!tried.has(pk)) draws.push(pk);
    tried.add(pk);
  }
  const idOf = new Map(db.prepare<[string], [number, string]>('SELECT pk, id FROM papers WHERE pk IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(draws)));
  const ids: string[] = [];
  for (const pk of draws) {
    if (ids.length === n) break;
    const id = idOf.get(pk);
    if (id !== undefined && !exclude.has(id)) ids.push(id);
  }
  return storedDocs(db, ids);
}

/**
 * bm25 relevance of each of `ids` to each watched term's FTS expression (state.ts
 * termExpression), summed over terms; higher is more relevant. Each term's matches are read
 * once from the index alone (rowid and bm25, no join) and kept for the papers of `ids`: for
 * the hundreds of papers a ranking takes, far cheaper than a lookup per paper, which FTS5
 * answers by starting the whole query again (~100 µs each).
 */
export function watchRelevance(db: Db, matches: string[], ids: string[]): Map<string, { score: number; terms: number[] }> {
  const out = new Map<string, { score: number; terms: number[] }>();
  if (ids.length === 0 || matches.length === 0) return out;
  const idOfPk = pksOf(db, ids);
  // Same column weights as search: the title weighs most.
  const stmt = db.prepare<[string], [number, number]>('SELECT rowid, -bm25(papers_fts, 10.0, 1.0, 4.0, 4.0) FROM papers_fts WHERE papers_fts MATCH ?').raw();
  matches.forEach((match, t) => {
    for (const [pk, score] of stmt.iterate(match)) {
      const id = idOfPk.get(pk);
      if (id === undefined) continue;
      const e = out.get(id) ?? { score: 0, terms: [] };
      e.score += score;
      e.terms.push(t);
      out.set(id, e);
    }
  });
  return out;
}

/** When the command `name` ('inbox', 'digest') last recorded its cursor (ISO time), or null. */
export function cursorAt(db: Db, name: string): string | null {
  return db.prepare<[string], string>('SELECT at FROM cursors WHERE name = ?').pluck().get(name) ?? null;
}

/** Record that `name` ran at `now`. */
export function setCursor(db: Db, name: string, now: Date): void {
  db.transaction(() => {
    db.prepare('INSERT INTO cursors (name, at) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET at = excluded.at').run(name, now.toISOString());
  }).immediate();
}
