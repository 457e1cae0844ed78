/** The ranking against the database: the user's feedback and watch list read from the store, then rank.ts. */
import type { Db } from '../store/db.js';
import { feedbackDocs, sampleDocs, watchRelevance, type RankDoc } from '../store/feedback.js';
import type { Filters } from '../store/query.js';
import type { PaperRow } from '../model.js';
import { termExpression, watchTerms } from '../store/state.js';
import { featureCache } from '../store/rank-cache.js';
import { seeded } from './random.js';
import { rank, type RankInfo, type Ranked, type WatchMatch } from './rank.js';

/** Unlabeled papers sampled as mild negatives: a few per positive, within bounds that keep a run in milliseconds. */
const SAMPLE = { perPositive: 5, min: 300, max: 1000 };
/** The sample's seed: the same database gives the same ranking. */
const SEED = 20_240_527;

/** `rows` best first for this user, each with its score and why, and how the ranking was made. */
export function rankByFit<T extends RankDoc>(db: Db, rows: T[], now: Date): { rows: Array<T & Pick<Ranked, 'score' | 'why'>>; info: RankInfo } {
  const feedback = feedbackDocs(db);
  const labeled = new Set([...feedback.starred, ...feedback.dismissed, ...feedback.read].map((d) => d.id));
  const positives = feedback.starred.length + feedback.read.length;
  const exclude = new Set([...labeled, ...rows.map((r) => r.id)]);
  const n = positives === 0 ? 0 : Math.min(SAMPLE.max, Math.max(SAMPLE.min, SAMPLE.perPositive * positives));
  const unlabeled = sampleDocs(db, n, seeded(SEED), exclude);
  const terms = watchTerms(db);
  const relevance = watchRelevance(db, terms.map(termExpression), rows.map((r) => r.id));
  const watch = new Map<string, WatchMatch>([...relevance].map(([id, m]) => [id, { score: m.score, terms: m.terms.map((t) => terms[t]!) }]));
  const { ranked, info } = rank(rows, { ...feedback, unlabeled }, watch, now, featureCache(db));
  const byId = new Map(rows.map((r) => [r.id, r]));
  // `why` stays a getter (rank.ts): it is worked out only for the papers shown.
  const rowsOut = ranked.map((r) => Object.defineProperty({ ...byId.get(r.id)!, score: r.score }, 'why', { enumerable: true, get: () => r.why }) as T & Ranked);
  return { rows: rowsOut, info };
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
