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
import type { TrainedModel } from '../rank/rank.js';
import { DatabaseError } from '../errors.js';
import type { Db } from './db.js';
import { writeRefusal } from './db-errors.js';

/**
 * Run `write` in one IMMEDIATE transaction if the database can be written at once: null, and
 * nothing written, when another process holds the write lock, the file is read-only or the
 * disk is full.
 */
function writeWithoutWaiting<T>(db: Db, write: () => T): T | null {
  if (db.readonly) return null;
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return db.transaction(write).immediate();
  } catch (err) {
    if (writeRefusal(err) || (err as { code?: string }).code === 'SQLITE_FULL') return null;
    throw err;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
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
      for (const row of select.iterate(JSON.stringify(ids), FEATURES_VERSION)) out.set(row.paper_id, arrayOf(Int32Array, row.features));
      return out;
    },

    write(papers) {
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
      return writeWithoutWaiting(db, written);
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

/** A trained model as kept: the feedback it was trained on (rank/fit.ts) and the papers it sampled as negatives. */
export interface KeptModel {
  feedback: string;
  sample: string[];
  model: TrainedModel;
}

/** `blob` as an array of `T`, copied when its bytes are not aligned for a view. */
function arrayOf<T extends Int32Array | Float64Array>(Type: { new (buffer: ArrayBufferLike, offset: number, length: number): T; new (length: number): T; BYTES_PER_ELEMENT: number }, blob: Buffer): T {
  // A trailing partial element (a damaged blob) is left out; callers check the lengths they expect.
  const length = Math.floor(blob.byteLength / Type.BYTES_PER_ELEMENT);
  if (blob.byteOffset % Type.BYTES_PER_ELEMENT === 0) return new Type(blob.buffer, blob.byteOffset, length);
  const out = new Type(length);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

function parseIds(json: string): string[] | null {
  try {
    const ids: unknown = JSON.parse(json);
    return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : null;
  } catch {
    return null;
  }
}

const bytes = (a: Int32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/**
 * The ranking's last trained model, kept so that a ranking whose feedback has not changed
 * (the next morning's inbox, a listing `--sort fit`) scores with it instead of training again.
 * Its feature keys are the feature cache's; it is dropped whenever a cached paper's features are.
 */
export function modelCache(db: Db): { read(feedback: string): KeptModel | null; write(kept: KeptModel): void } {
  return {
    read(feedback) {
      const row = db
        .prepare<[string], { sample: string; bias: number; keys: Buffer; idf: Buffer; weights: Buffer }>('SELECT sample, bias, keys, idf, weights FROM rank_model WHERE feedback = ?')
        .get(feedback);
      if (!row) return null;
      const keys = arrayOf(Int32Array, row.keys);
      const idf = arrayOf(Float64Array, row.idf);
      const weights = arrayOf(Float64Array, row.weights);
      // A row of the wrong shape is a damaged cache: train again, as without one.
      const sample = parseIds(row.sample);
      if (idf.length !== keys.length || weights.length !== keys.length || sample === null) return null;
      return { feedback, sample, model: { weighting: { keys, idf }, weights, bias: row.bias } };
    },

    write({ feedback, sample, model }) {
      writeWithoutWaiting(db, () => {
        db.prepare(
          `INSERT INTO rank_model (id, feedback, sample, bias, keys, idf, weights) VALUES (1, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET feedback = excluded.feedback, sample = excluded.sample, bias = excluded.bias,
             keys = excluded.keys, idf = excluded.idf, weights = excluded.weights`,
        ).run(feedback, JSON.stringify(sample), model.bias, bytes(model.weighting.keys), bytes(model.weighting.idf), bytes(model.weights));
      });
    },
  };
}
