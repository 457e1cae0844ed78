/**
 * L2-regularized logistic regression over sparse vectors, trained by AdaGrad in a fixed
 * number of passes over a seeded shuffle: the same examples always give the same weights.
 */
import type { SparseVector } from './features.js';
import { seeded, shuffle } from './random.js';

/** One training example: a paper's vector, its label and how much it counts. */
export interface Example {
  x: SparseVector;
  y: 0 | 1;
  weight: number;
}

/** A trained linear model: a weight per feature and a bias. */
export interface LinearModel {
  weights: Float64Array;
  bias: number;
}

/** Training settings; the defaults suit a few hundred examples of a few thousand features. */
export interface TrainOptions {
  epochs?: number;
  rate?: number;
  /** L2 penalty per example seen. */
  l2?: number;
  seed?: number;
}

/** Train on `examples` over `dimensions` features. Positive and negative weights are balanced to equal totals. */
export function train(examples: Example[], dimensions: number, opts: TrainOptions = {}): LinearModel {
  // Strong regularization: a few dozen stars against thousands of features would be memorized otherwise.
  const { epochs = 10, rate = 0.5, l2 = 3e-2, seed = 1 } = opts;
  const weights = new Float64Array(dimensions);
  const grad2 = new Float64Array(dimensions).fill(1e-8);
  let bias = 0;
  let bias2 = 1e-8;
  const total = (y: 0 | 1) => examples.reduce((s, e) => s + (e.y === y ? e.weight : 0), 0);
  const pos = total(1);
  const neg = total(0);
  if (pos === 0 || neg === 0) return { weights, bias: pos > 0 ? 1 : -1 };
  // Balanced classes: a few stars weigh as much as many sampled papers.
  const scale = { 1: (pos + neg) / (2 * pos), 0: (pos + neg) / (2 * neg) };
  // Every example's entries end to end, as for the vectors (features.ts): these loops make
  // ~500k updates once per process, mostly before the JIT has optimized them, and flat arrays
  // of numbers are what they run fastest over.
  const offsets = new Int32Array(examples.length + 1);
  examples.forEach((e, i) => (offsets[i + 1] = offsets[i]! + e.x.index.length));
  const index = new Int32Array(offsets[examples.length]!);
  const value = new Float64Array(index.length);
  const labels = new Uint8Array(examples.length);
  const factors = new Float64Array(examples.length);
  examples.forEach((e, i) => {
    index.set(e.x.index, offsets[i]!);
    value.set(e.x.value, offsets[i]!);
    labels[i] = e.y;
    factors[i] = e.weight * scale[e.y];
  });
  const order = examples.map((_, i) => i);
  const random = seeded(seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    for (let o = 0; o < order.length; o++) {
      const i = order[o]!;
      const from = offsets[i]!;
      const to = offsets[i + 1]!;
      let z = 0;
      for (let k = from; k < to; k++) z += weights[index[k]!]! * value[k]!;
      z += bias;
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - labels[i]!) * factors[i]!;
      for (let k = from; k < to; k++) {
        const j = index[k]!;
        const gj = g * value[k]! + l2 * weights[j]!;
        grad2[j] += gj * gj;
        weights[j] -= (rate * gj) / Math.sqrt(grad2[j]!);
      }
      bias2 += g * g;
      bias -= (rate * g) / Math.sqrt(bias2);
    }
  }
  return { weights, bias };
}

/** Each feature's part in the score of `x` (weight × value) of at least `min` in magnitude, largest magnitude first. */
export function contributions(model: LinearModel, x: SparseVector, min = 0): Array<{ feature: number; part: number }> {
  const parts: Array<{ feature: number; part: number }> = [];
  for (let k = 0; k < x.index.length; k++) {
    const part = model.weights[x.index[k]!]! * x.value[k]!;
    if (part !== 0 && Math.abs(part) >= min) parts.push({ feature: x.index[k]!, part });
  }
  return parts.sort((a, b) => Math.abs(b.part) - Math.abs(a.part) || a.feature - b.feature);
}
