/**
 * The personal ranking, a plain function of papers and feedback. With stars or read marks it
 * trains a linear model (model.ts) on them against dismissed papers and a sample of others;
 * before any such feedback, watched terms rank (bm25), then upvotes.
 */
import type { RankDoc } from '../store/feedback.js';
import { featureLabel, featureNames, memoryFeaturizer, papersBetween, weighCandidates, weighTraining, type Featurizer, type FeatureName, type FlatFeatures, type Weighting } from './features.js';
import { contributions, train, type Example } from './model.js';

/** What the user told us: positives (starred, read by hand), negatives (dismissed), and unlabeled papers taken as mild negatives. */
export interface Feedback {
  starred: RankDoc[];
  read: RankDoc[];
  dismissed: RankDoc[];
  unlabeled: RankDoc[];
}

/** How well a candidate matches the watch list: summed bm25 relevance and the terms it matches. */
export interface WatchMatch {
  score: number;
  terms: string[];
}

/** One ranked paper: `score` is higher for better (comparable within one ranking), `why` the features that moved it most. */
export interface Ranked {
  id: string;
  score: number;
  why: string[];
}

/** How the ranking was made, for notes and the bench. */
export interface RankInfo {
  mode: 'model' | 'watch' | 'upvotes';
  /** Training examples (positives, negatives) and features, when a model was trained. */
  positives: number;
  negatives: number;
  features: number;
}

/** Example weights within a class: a star counts fully, a read mark half; a dismissal four times a sampled paper. */
const WEIGHT = { starred: 1, read: 0.5, dismissed: 1, unlabeled: 0.25 };
/** Logit per log(1 + bm25 relevance to the watched terms): a term in the title counts for more than one in passing. */
const WATCH_BONUS = 1.5;
/** Logit per log(1 + upvotes): 100 upvotes add about 0.23. */
const UPVOTE_PRIOR = 0.05;
/** Logit taken per day since arXiv publication, at most a month's worth. */
const AGE_PRIOR = 0.01;
/** A feature must move the logit at least this much to be named in `why`. */
const WHY_MIN = 0.03;
/** How many of a paper's largest contributions have their names read ahead: `why` names five at most. */
const WHY_PREFETCH = 8;
/** Papers whose `why` is worked out together, when the first of them is read. */
const WHY_PAGE = 50;

/** A model trained on the feedback, over the features of a weighting: weight j is feature j of `weighting`. */
export interface TrainedModel {
  weighting: Weighting;
  weights: Float64Array;
  bias: number;
}

/** A trained model with the featurizer its keys come from, and the candidates' features read through it. */
export interface Fitted {
  model: TrainedModel;
  featurizer: Featurizer;
  candidates: FlatFeatures;
}

/** A training document: a paper, its label, and how much it counts within its class. */
export interface Labeled {
  doc: RankDoc;
  y: 0 | 1;
  weight: number;
}

/** The feedback as training documents. */
export function labeled(feedback: Feedback): Labeled[] {
  return [
    ...feedback.starred.map((doc) => ({ doc, y: 1 as const, weight: WEIGHT.starred })),
    ...feedback.read.map((doc) => ({ doc, y: 1 as const, weight: WEIGHT.read })),
    ...feedback.dismissed.map((doc) => ({ doc, y: 0 as const, weight: WEIGHT.dismissed })),
    ...feedback.unlabeled.map((doc) => ({ doc, y: 0 as const, weight: WEIGHT.unlabeled })),
  ];
}

/**
 * Train on `training` and read the candidates' features, through `featurizer`; null when it
 * could not read them (a feature cache that could not store). The vocabulary and idf are the
 * training set's alone, so the model does not depend on what it ranks and can be kept.
 */
export function fit(training: Labeled[], candidates: RankDoc[], featurizer: Featurizer): Fitted | null {
  // One read of the cache for all the papers (one query, one write of those it lacks).
  const flat = featurizer.features([...training.map((l) => l.doc), ...candidates]);
  if (flat === null) return null;
  // Positives come first (labeled()).
  const positives = training.filter((l) => l.y === 1).length;
  const { weighting, vectors } = weighTraining(papersBetween(flat, 0, training.length), featurizer.group, positives);
  const examples: Example[] = training.map((l, i) => ({ x: vectors[i]!, y: l.y, weight: l.weight }));
  const { weights, bias } = train(examples, weighting.keys.length);
  return { model: { weighting, weights, bias }, featurizer, candidates: papersBetween(flat, training.length, training.length + candidates.length) };
}

/** Rank `candidates` best first (ties: more upvotes, then id): by the model when trained on positives and negatives, else by the watch list, then upvotes. */
export function rank(
  candidates: RankDoc[],
  feedback: Feedback,
  watch: Map<string, WatchMatch>,
  now: Date,
  featurizer: Featurizer = memoryFeaturizer(),
): { ranked: Ranked[]; info: RankInfo } {
  const positives = feedback.starred.length + feedback.read.length;
  const negatives = feedback.dismissed.length + feedback.unlabeled.length;
  const training = labeled(feedback);
  const fitted = positives > 0 && negatives > 0 ? (fit(training, candidates, featurizer) ?? fit(training, candidates, memoryFeaturizer())) : null;
  return rankWith(candidates, fitted, watch, now, { positives, negatives });
}

/** Rank `candidates` by `fitted` (or, without one, by the watch list, then upvotes); `counts` are the training examples, for the info. */
export function rankWith(
  candidates: RankDoc[],
  fitted: Fitted | null,
  watch: Map<string, WatchMatch>,
  now: Date,
  counts: { positives: number; negatives: number },
): { ranked: Ranked[]; info: RankInfo } {
  let scored: Scored[];
  let info: RankInfo;
  let prefetch: (candidates: number[]) => void = () => {};
  if (fitted) {
    const model = modelScores(candidates, fitted, watch, now);
    scored = model.scored;
    prefetch = model.prefetch;
    info = { mode: 'model', ...counts, features: fitted.model.weighting.keys.length };
  } else {
    scored = candidates.map((d, candidate) => {
      const w = watch.get(d.id);
      const why = () => [...(w ? w.terms.map((t) => `+watch: ${t}`) : []), ...(d.upvotes ? [`+upvotes ${d.upvotes}`] : [])];
      return { id: d.id, candidate, score: round(w?.score ?? 0), key: w?.score ?? 0, upvotes: d.upvotes ?? -1, why };
    });
    info = { mode: watch.size > 0 ? 'watch' : 'upvotes', ...counts, features: 0 };
  }
  scored.sort((a, b) => b.key - a.key || b.upvotes - a.upvotes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // `why` is worked out when first read, a page of papers at a time (their feature names in
  // one query): a terminal shows a page, `--sort fit` shows none, JSON reads them all.
  const pages = new Set<number>();
  const ranked = scored.map(({ id, score, why }, at) => {
    let said: string[] | null = null;
    const explainOnce = () => {
      const page = Math.floor(at / WHY_PAGE);
      if (!pages.has(page)) {
        pages.add(page);
        prefetch(scored.slice(page * WHY_PAGE, (page + 1) * WHY_PAGE).map((s) => s.candidate));
      }
      return (said ??= why());
    };
    return Object.defineProperty({ id, score } as Ranked, 'why', { enumerable: true, get: explainOnce });
  });
  return { ranked, info };
}

/** A candidate as scored: `key` orders (the logit keeps differences a rounded score erases), `score` is shown. */
interface Scored {
  id: string;
  /** Its index among the candidates. */
  candidate: number;
  score: number;
  key: number;
  upvotes: number;
  why: () => string[];
}

function modelScores(candidates: RankDoc[], { model, featurizer, candidates: features }: Fitted, watch: Map<string, WatchMatch>, now: Date) {
  const weighed = weighCandidates(model.weighting, features, featurizer.group);
  const names = featureNames(model.weighting, featurizer);
  const parts = new Map<number, Array<{ feature: number; part: number }>>();
  const partsOf = (candidate: number) => {
    let p = parts.get(candidate);
    if (p === undefined) parts.set(candidate, (p = contributions(model, weighed.vector(candidate), WHY_MIN)));
    return p;
  };
  // A paper's first few contributions fill its slots in `why` but for the rare repeated label.
  const prefetch = (page: number[]) => names.prefetch(new Set(page.flatMap((c) => partsOf(c).slice(0, WHY_PREFETCH).map((p) => p.feature))));
  const scored: Scored[] = candidates.map((d, candidate) => {
    const w = watch.get(d.id);
    const age = d.publishedAt ? Math.max(0, (now.getTime() - Date.parse(d.publishedAt)) / 86_400_000) : 0;
    const z =
      weighed.dot(model.weights, candidate) + model.bias +
      WATCH_BONUS * Math.log1p(w?.score ?? 0) +
      UPVOTE_PRIOR * Math.log1p(Math.max(0, d.upvotes ?? 0)) -
      AGE_PRIOR * Math.min(30, Number.isFinite(age) ? age : 0);
    const why = () => explain(partsOf(candidate), names.name, w);
    return { id: d.id, candidate, score: round(1 / (1 + Math.exp(-z))), key: z, upvotes: d.upvotes ?? -1, why };
  });
  return { scored, prefetch };
}

/** The few features that moved a score most: up to three up, two down, each named once. */
function explain(parts: Array<{ feature: number; part: number }>, name: (feature: number) => FeatureName, w: WatchMatch | undefined): string[] {
  const up: string[] = (w?.terms ?? []).map((t) => `watch: ${t}`);
  const down: string[] = [];
  for (const { feature, part } of parts) {
    if (Math.abs(part) < WHY_MIN) break;
    const label = featureLabel(name(feature));
    const side = part > 0 ? up : down;
    if (side.length >= (part > 0 ? 3 + (w?.terms.length ?? 0) : 2) || up.includes(label) || down.includes(label)) continue;
    side.push(label);
  }
  return [...up.map((l) => `+${l}`), ...down.map((l) => `-${l}`)];
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;