/**
 * Full texts: a paper page as markdown, stored once (`show --full`), raw-deflated when that
 * saves at least a tenth (markdown bodies shrink to ~40%: bench/RESULTS.md), and indexed in
 * `bodies_fts` for `search --in body`.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { spaceCjk } from './cjk.js';
import type { Db } from './db.js';

/** A stored body and when it was fetched. */
export interface StoredBody {
  markdown: string;
  fetchedAt: string;
}

/** Compressed only when it is at most this share of the text: otherwise inflating costs for nothing. */
const PAYS = 0.9;

/** Store (or replace) the markdown of paper `id`, and its search index row, in one transaction. */
export function putBody(db: Db, id: string, markdown: string, now: Date): void {
  const raw = Buffer.from(markdown, 'utf8');
  const packed = deflateRawSync(raw);
  const [encoding, body] = packed.length <= raw.length * PAYS ? ['deflate', packed] : ['identity', raw];
  db.transaction(() => {
    // Deleting first lets the trigger drop the old index row (REPLACE would not fire it).
    db.prepare('DELETE FROM paper_bodies WHERE paper_id = ?').run(id);
    const { lastInsertRowid } = db
      .prepare('INSERT INTO paper_bodies (paper_id, fetched_at, encoding, bytes, body) VALUES (?, ?, ?, ?, ?)')
      .run(id, now.toISOString(), encoding, raw.length, body);
    db.prepare('INSERT INTO bodies_fts (rowid, body) VALUES (?, ?)').run(lastInsertRowid, spaceCjk(markdown));
  }).immediate();
}

/** The stored markdown of paper `id`, or null. */
export function getBody(db: Db, id: string): StoredBody | null {
  const r = db.prepare<[string], { encoding: string; body: Buffer; fetched_at: string }>('SELECT encoding, body, fetched_at FROM paper_bodies WHERE paper_id = ?').get(id);
  if (!r) return null;
  const bytes = r.encoding === 'deflate' ? inflateRawSync(r.body) : r.body;
  return { markdown: bytes.toString('utf8'), fetchedAt: r.fetched_at };
}
