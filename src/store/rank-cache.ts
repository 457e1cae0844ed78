/**
 * The ranking's feature cache (schema 16): each paper's features as the ranking read them,
 * so a `papers inbox` tokenizes only the papers it has not seen before — a day's new ones —
 * instead of every abstract of the month and of the training set in every process.
 *
 * A cache and nothing more: a paper's row is dropped by trigger when its text or id changes,
 * rows of another feature-extraction version are ignored, and when the database cannot be
 * written at once (another process holds the write lock, a read-only file, a full disk) the
 * ranking tokenizes in memory as if there were no cache — it never waits or fails for it.
 */
import { FEATURES_VERSION, GROUP_OF_PREFIX, type FeatureCache, type FeatureName } from '../rank/features.js';
import { DatabaseError } from '../errors.js';
import type { Db } from './db.js';
import { writeRefusal } from './db-errors.js';

/** A paper's features as stored: (key, count) pairs of 32-bit integers. */
function pairsOf(blob: Buffer): Int32Array {
  // A view needs 4-byte alignment; a Buffer from a pool may not have it.
  if (blob.byteOffset % 4 === 0) return new Int32Array(blob.buffer, blob.byteOffset, blob.byteLength >> 2);
  const pairs = new Int32Array(blob.byteLength >> 2);
  new Uint8Array(pairs.buffer).set(blob);
  return pairs;
}

/** The feature cache of `db`. */
export function featureCache(db: Db): FeatureCache {
  // One statement for all the papers of a ranking: a step per paper would cost more than the reading.
  const select = db.prepare<[string, number], { paper_id: string; features: Buffer }>(
    'SELECT paper_id, features FROM rank_features WHERE paper_id IN (SELECT value FROM json_each(?)) AND version = ?',
  );
  const namesById = db.prepare<[string], { id: number; name: string }>('SELECT id, name FROM rank_vocabulary WHERE id IN (SELECT value FROM json_each(?))');
  const idByName = db.prepare<[string], number>('SELECT id FROM rank_vocabulary WHERE name = ?').pluck();
  const addName = db.prepare<[string], number>('INSERT INTO rank_vocabulary (name) VALUES (?) RETURNING id').pluck();
  // Only papers still in the table: a row for a paper deleted since it was read would never be dropped.
  const store = db.prepare<[string, number, Buffer, string]>(
    `INSERT INTO rank_features (paper_id, version, features) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM papers WHERE id = ?)
     ON CONFLICT (paper_id) DO UPDATE SET version = excluded.version, features = excluded.features`,
  );
  const keyOf = (name: FeatureName): number => {
    const id = idByName.get(name) ?? addName.get(name)!;
    return id * 4 + GROUP_OF_PREFIX[name[0]!]!;
  };

  return {
    read(ids) {
      const out = new Map<string, Int32Array>();
      for (const row of select.iterate(JSON.stringify(ids), FEATURES_VERSION)) out.set(row.paper_id, pairsOf(row.features));
      return out;
    },

    write(papers) {
      if (db.readonly) return null;
      const keys = new Map<FeatureName, number>();
      const written = () => {
        const out = new Map<string, Int32Array>();
        for (const { id, names: paperNames, counts } of papers) {
          const pairs = new Int32Array(2 * paperNames.length);
          paperNames.forEach((name, i) => {
            let key = keys.get(name);
            if (key === undefined) keys.set(name, (key = keyOf(name)));
            pairs[2 * i] = key;
            pairs[2 * i + 1] = counts[i]!;
          });
          store.run(id, FEATURES_VERSION, Buffer.from(pairs.buffer, pairs.byteOffset, pairs.byteLength), id);
          out.set(id, pairs);
        }
        return out;
      };
      // A cache is not worth a wait: with the write lock taken elsewhere, tokenize in memory this time.
      const timeout = db.pragma('busy_timeout', { simple: true }) as number;
      db.pragma('busy_timeout = 0');
      try {
        return db.transaction(written).immediate();
      } catch (err) {
        if (writeRefusal(err) || (err as { code?: string }).code === 'SQLITE_FULL') return null;
        throw err;
      } finally {
        db.pragma(`busy_timeout = ${timeout}`);
      }
    },

    names(keys) {
      const byId = new Map<number, FeatureName>();
      for (const { id, name } of namesById.iterate(JSON.stringify(keys.map((key) => key >> 2)))) byId.set(id, name);
      return keys.map((key) => {
        const name = byId.get(key >> 2);
        // Vocabulary rows are never deleted: a missing one is a damaged database, not a cache miss.
        if (name === undefined) throw new DatabaseError(`the ranking's feature cache is damaged (feature ${key >> 2} has no name); move the database aside or pass another --db`);
        return name;
      });
    },
  };
}
