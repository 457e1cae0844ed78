/** The ranking: features, the model, the cold start, and why. */
import { describe, expect, it } from 'vitest';
import { featureLabel, memoryFeaturizer, MIN_PAPERS, rawFeatures, weighCandidates, weighTraining, words } from '../../src/rank/features.js';
import { train } from '../../src/rank/model.js';
import { seeded, shuffle } from '../../src/rank/random.js';
import { rank, type Feedback } from '../../src/rank/rank.js';
import type { RankDoc } from '../../src/store/feedback.js';

const NOW = new Date('2025-06-10T00:00:00Z');

let n = 0;
function doc(title: string, abstract = '', extra: Partial<RankDoc> = {}): RankDoc {
  n++;
  return { id: `2506.${String(n).padStart(5, '0')}`, title, abstract, keywords: [], authors: [], categories: [], upvotes: null, publishedAt: '2025-06-08T00:00:00Z', ...extra };
}

const splat = (i: number, extra: Partial<RankDoc> = {}) => doc(`Gaussian splatting for scenes ${i}`, 'We render radiance fields with 3D Gaussian splatting in real time.', extra);
const llm = (i: number, extra: Partial<RankDoc> = {}) => doc(`Reasoning in language models ${i}`, 'Chain of thought prompting improves reasoning of large language models.', extra);
const survey = (i: number) => doc(`A survey of vision transformers ${i}`, 'This survey reviews vision transformers and their methods.');

describe('features', () => {
  it.each([
    ['Diffusion Models of Studies', ['diffusion', 'model', null, null]],
    ['GPT-4 in 2025', ['gpt', null, null, null]],
    ['ﬁne-tuning', ['fine', 'tuning']],
  ])('words(%j)', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it('names words, pairs that never span a stop word, keywords, authors and categories', () => {
    const f = rawFeatures(doc('Sparse attention for the video', 'sparse attention', { keywords: ['Sparse Attention'], authors: ['Jane Doe'], categories: ['cs.CV'] }));
    // Words count twice in the title, once in the abstract; pairs come from the title only.
    expect(f.get('w:sparse')).toBe(3);
    expect(f.get('w:sparse attention')).toBe(2);
    expect(f.has('w:attention video')).toBe(false);
    // A keyword of several words also gives each of its words, so `speech recognition` is like `speech synthesis`.
    expect([...f.keys()].filter((k) => !k.startsWith('w:'))).toEqual(['k:sparse attention', 'k:sparse', 'k:attention', 'a:Jane Doe', 'c:cs.CV']);
    expect(['w:sparse attention', 'k:sparse attention', 'a:Jane Doe', 'c:cs.CV'].map(featureLabel)).toEqual(['sparse attention', 'sparse attention', 'author: Jane Doe', 'category: cs.CV']);
  });

  it.each(['Ｆｉｎｅ-ｔｕｎｉｎｇ ﬁne Über 𝐀𝐁 models', 'GPT-4o: 3D/4D Splatting — naïve Straße', 'A🤗B déjà-vu x2 42'])('reads the same words as words() from %j', (text) => {
    const read = [...rawFeatures(doc('', text)).keys()].filter((k) => k.startsWith('w:')).map((k) => k.slice(2));
    expect(read.sort()).toEqual([...new Set(words(text).filter((w) => w !== null))].sort());
  });

  it(`weighs a training set: features of ${MIN_PAPERS} papers or more, numbered by first occurrence, idf over the negatives, each group scaled to its weight`, () => {
    const featurizer = memoryFeaturizer();
    // MIN_PAPERS positives, then two negatives: common is in every paper, shared in MIN_PAPERS, rare in one fewer.
    const texts = Array.from({ length: MIN_PAPERS + 2 }, (_, i) => ['common', i >= 2 ? 'shared' : '', i < MIN_PAPERS - 1 ? 'rare' : ''].join(' '));
    const { weighting, vectors } = weighTraining(featurizer.features(texts.map((t) => doc('', t)))!, featurizer.group, MIN_PAPERS);
    expect(featurizer.names([...weighting.keys])).toEqual(['w:common', 'w:shared']);
    // idf counts the negatives only, where both are in every paper: the positives, which lack shared, change nothing.
    expect(weighting.idf[0]).toBe(weighting.idf[1]);
    // The words group weighs 0.7 once normalized, over the learned features only.
    for (const v of vectors) expect(Math.hypot(...v.value)).toBeCloseTo(0.7, 10);
    expect(vectors[0]!.index.length).toBe(1);
  });

  it('with fewer positives than that, a feature is learned from as many papers as there are positives', () => {
    const featurizer = memoryFeaturizer();
    const texts = ['splatting scene', 'splatting render', 'survey', 'survey', 'survey'];
    const { weighting } = weighTraining(featurizer.features(texts.map((t) => doc('', t)))!, featurizer.group, 2);
    expect(featurizer.names([...weighting.keys])).toEqual(['w:splatting', 'w:survey']);
  });

  it("a candidate's features the training set lacks neither weigh nor count in its length; its score is its vector's dot product", () => {
    const featurizer = memoryFeaturizer();
    const { weighting } = weighTraining(featurizer.features([doc('', 'alpha beta'), doc('', 'alpha beta')])!, featurizer.group, 2);
    const candidates = weighCandidates(weighting, featurizer.features([doc('', 'alpha'), doc('', 'alpha epsilon'), doc('', 'alpha beta')])!, featurizer.group);
    const [alone, unknown, both] = [0, 1, 2].map((d) => candidates.vector(d));
    expect([...unknown!.index]).toEqual([...alone!.index]);
    expect([...unknown!.value]).toEqual([...alone!.value]);
    expect(alone!.value[0]!).toBeCloseTo(0.7, 10);
    expect(both!.value[0]!).toBeLessThan(alone!.value[0]!);
    const weights = Float64Array.from(weighting.keys, (_, j) => j + 1.5);
    expect(candidates.dot(weights, 2)).toBeCloseTo(weights[0]! * both!.value[0]! + weights[1]! * both!.value[1]!, 12);
  });
});

describe('model', () => {
  it('is deterministic, and learns which side a feature is on', () => {
    const featurizer = memoryFeaturizer();
    const { weighting, vectors } = weighTraining(featurizer.features([splat(1), splat(2), llm(1), llm(2)])!, featurizer.group, 2);
    const names = featurizer.names([...weighting.keys]);
    const examples = vectors.map((x, i) => ({ x, y: (i < 2 ? 1 : 0) as 0 | 1, weight: 1 }));
    const a = train(examples, weighting.keys.length);
    expect(train(examples, weighting.keys.length)).toEqual(a);
    expect(a.weights[names.indexOf('w:splatting')]!).toBeGreaterThan(0);
    expect(a.weights[names.indexOf('w:reasoning')]!).toBeLessThan(0);
  });

  it('seeded shuffles repeat', () => {
    expect(shuffle([1, 2, 3, 4, 5], seeded(7))).toEqual(shuffle([1, 2, 3, 4, 5], seeded(7)));
  });
});

describe('rank', () => {
  const feedback = (f: Partial<Feedback>): Feedback => ({ starred: [], read: [], dismissed: [], unlabeled: [], ...f });

  it('puts papers like the starred ones first and says why; dismissed topics go down', () => {
    const candidates = [llm(10, { upvotes: 90 }), splat(10, { upvotes: 3 }), survey(10), llm(11)];
    const { ranked, info } = rank(candidates, feedback({ starred: [splat(1), splat(2)], dismissed: [survey(1), survey(2)], unlabeled: [llm(1), llm(2), llm(3)] }), new Map(), NOW);
    expect(info).toMatchObject({ mode: 'model', positives: 2, negatives: 5 });
    expect(ranked[0]!.id).toBe(candidates[1]!.id);
    expect(ranked[0]!.why).toContain('+gaussian splatting');
    expect(ranked.find((r) => r.id === candidates[2]!.id)!.why).toContain('-survey');
    for (const r of ranked) expect(r.score).toBeGreaterThanOrEqual(0);
  });

  it('with no positives: watched terms by relevance, then upvotes', () => {
    const [a, b, c] = [llm(20, { upvotes: 5 }), llm(21, { upvotes: 50 }), splat(20, { upvotes: 1 })];
    const watch = new Map([[c.id, { score: 2.5, terms: ['splatting'] }]]);
    const { ranked, info } = rank([a, b, c], feedback({ dismissed: [survey(3)] }), watch, NOW);
    expect(info.mode).toBe('watch');
    expect(ranked.map((r) => r.id)).toEqual([c.id, b.id, a.id]);
    expect(ranked[0]).toEqual({ id: c.id, score: 2.5, why: ['+watch: splatting', '+upvotes 1'] });
    expect(rank([a, b], feedback({}), new Map(), NOW).info.mode).toBe('upvotes');
  });
});
