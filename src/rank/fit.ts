/** The ranking against the database: the user's feedback and watch list read from the store, then rank.ts. */
import type { Db } from '../store/db.js';
import { feedbackDocs, sampleDocs, watchRelevance, type RankDoc } from '../store/feedback.js';
import type { Filters } from '../store/query.js';
import type { PaperRow } from '../model.js';
import { termExpression, watchTerms } from '../store/state.js';
import { featureCache, modelCache } from '../store/rank-cache.js';
import { seeded } from './random.js';
import { cachedFeaturizer, FEATURES_VERSION, memoryFeaturizer } from './features.js';
import { fit, labeled, rankWith, type Fitted, type RankInfo, type Ranked, type WatchMatch } from './rank.js';

/** Unlabeled papers sampled as mild negatives: a few per positive, within bounds that keep a run in milliseconds. */
const SAMPLE = { perPositive: 5, min: 300, max: 1000 };
/** The sample's seed: the same database gives the same ranking. */
const SEED = 20_240_527;
/**
 * The version of what a model learns from given feedback: raise it with any change to the
 * training (rank.ts's example weights, model.ts), the weighting (features.ts) or the sample
 * above, so a model kept from before is not used.
 */
const MODEL_VERSION = 1;

/** `rows` best first for this user, each with its score and why, and how the ranking was made. */
export function rankByFit<T extends RankDoc>(db: Db, rows: T[], now: Date): { rows: Array<T & Pick<Ranked, 'score' | 'why'>>; info: RankInfo } {
  const feedback = feedbackDocs(db);
  const positives = feedback.starred.length + feedback.read.length;
  const model = positives > 0 ? fitted(db, rows, feedback) : { fitted: null, sampled: 0 };
  const terms = watchTerms(db);
  const relevance = watchRelevance(db, terms.map(termExpression), rows.map((r) => r.id));
  const watch = new Map<string, WatchMatch>([...relevance].map(([id, m]) => [id, { score: m.score, terms: m.terms.map((t) => terms[t]!) }]));
  const { ranked, info } = rankWith(rows, model.fitted, watch, now, { positives, negatives: feedback.dismissed.length + model.sampled });
  const byId = new Map(rows.map((r) => [r.id, r]));
  // `why` stays a getter (rank.ts): it is worked out only for the papers shown.
  const rowsOut = ranked.map((r) => Object.defineProperty({ ...byId.get(r.id)!, score: r.score }, 'why', { enumerable: true, get: () => r.why }) as T & Ranked);
  return { rows: rowsOut, info };
}

/**
 * The model for this feedback: the one kept from the last training if the feedback has not
 * changed since and none of `rows` was among its sampled negatives, else one trained now on
 * a new sample (and kept). `sampled` is how many unlabeled papers it was trained against.
 */
function fitted(db: Db, rows: RankDoc[], feedback: ReturnType<typeof feedbackDocs>): { fitted: Fitted | null; sampled: number } {
  const ids = (docs: RankDoc[]) => docs.map((d) => d.id);
  const trainedOn = JSON.stringify([MODEL_VERSION, FEATURES_VERSION, ids(feedback.starred), ids(feedback.read), ids(feedback.dismissed)]);
  const features = cachedFeaturizer(featureCache(db));
  const models = modelCache(db);
  const kept = models.read(trainedOn);
  if (kept) {
    const sampled = new Set(kept.sample);
    const candidates = rows.some((r) => sampled.has(r.id)) ? null : features.features(rows);
    if (candidates) return { fitted: { model: kept.model, featurizer: features, candidates }, sampled: kept.sample.length };
  }
  const positives = feedback.starred.length + feedback.read.length;
  const exclude = new Set([...ids(feedback.starred), ...ids(feedback.dismissed), ...ids(feedback.read), ...ids(rows)]);
  const n = Math.min(SAMPLE.max, Math.max(SAMPLE.min, SAMPLE.perPositive * positives));
  const unlabeled = sampleDocs(db, n, seeded(SEED), exclude);
  if (feedback.dismissed.length + unlabeled.length === 0) return { fitted: null, sampled: 0 };
  const training = labeled({ ...feedback, unlabeled });
  const lasting = fit(training, rows, features);
  if (lasting) models.write({ feedback: trainedOn, sample: ids(unlabeled), model: lasting.model });
  return { fitted: lasting ?? fit(training, rows, memoryFeaturizer()), sampled: unlabeled.length };
}

/**
 * `--sort fit` for a listing or search: `query` gets the filters without a limit (a search
 * its best `pool` matches), and the rows come back best first for this user, cut to the limit.
 * Any other sort is `query` as asked.
 */
export function sortedByFit(db: Db, f: Filters, now: Date, query: (f: Filters) => PaperRow[], pool: number | null = null): PaperRow[] {
  if (f.sort !== 'fit') return query(f);
  const ranked = rankByFit(db, query({ ...f, limit: pool }), now).rows;
  return f.limit ? ranked.slice(0, f.limit) : ranked;
}
