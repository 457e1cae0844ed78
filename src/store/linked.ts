/**
 * The Hugging Face repositories that cite a paper (tables `linked`, `linked_fetches`): what
 * `show` prints and `--has-model` filters on. Written whole per paper: a new answer replaces
 * the old one, so a repository that stopped citing the paper disappears.
 */
import type { Db } from './db.js';

import { LINKED_KINDS, type Linked, type LinkedKind, type StoredLinked } from '../model.js';

/** The stored repositories of paper `id`, most liked first, or null when they were never fetched. */
export function linkedOf(db: Db, id: string): StoredLinked | null {
  const head = db
    .prepare<[string], { fetched_at: string; models: number; datasets: number; spaces: number }>('SELECT fetched_at, models, datasets, spaces FROM linked_fetches WHERE paper_id = ?')
    .get(id);
  if (!head) return null;
  const repos: Linked = { model: [], dataset: [], space: [] };
  const rows = db
    .prepare<[string], { kind: LinkedKind; repo: string; likes: number | null; downloads: number | null }>(
      'SELECT kind, repo, likes, downloads FROM linked WHERE paper_id = ? ORDER BY coalesce(likes, -1) DESC, coalesce(downloads, -1) DESC, repo',
    )
    .all(id);
  for (const r of rows) repos[r.kind]?.push({ id: r.repo, likes: r.likes, downloads: r.downloads });
  return { fetchedAt: head.fetched_at, repos, counts: { model: head.models, dataset: head.datasets, space: head.spaces } };
}

/**
 * Replace what is stored for paper `id` with `linked` (at most `keep` repositories of each
 * kind, the most liked; `counts` says how many HF listed), in one IMMEDIATE transaction.
 */
export function storeLinked(db: Db, id: string, linked: Linked, counts: Record<LinkedKind, number>, now: Date, keep: number): void {
  const insert = db.prepare('INSERT OR REPLACE INTO linked (paper_id, kind, repo, likes, downloads) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM linked WHERE paper_id = ?').run(id);
    for (const kind of LINKED_KINDS) {
      const top = [...linked[kind]].sort((a, b) => (b.likes ?? -1) - (a.likes ?? -1)).slice(0, keep);
      for (const r of top) insert.run(id, kind, r.id, r.likes, r.downloads);
    }
    db.prepare('INSERT OR REPLACE INTO linked_fetches (paper_id, fetched_at, models, datasets, spaces) VALUES (?, ?, ?, ?, ?)').run(
      id,
      now.toISOString(),
      counts.model,
      counts.dataset,
      counts.space,
    );
  }).immediate();
}
