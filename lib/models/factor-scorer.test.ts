import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTrainSet } from '../data/build-train-set.js';
import type { Csr } from '../data/csr.js';
import { aggregateInteractions } from '../data/interactions.js';
import { readMovieLens } from '../data/readers/movielens.js';
import { DEFAULT_SCALE } from '../data/records.js';
import type { TrainSet } from '../data/train-set.js';
import { InvalidArgumentError } from '../errors.js';
import { sharedDataset } from '../test-helpers/datasets.js';
import { syntheticLowRank } from '../test-helpers/svd-low-rank.js';
import { FactorScorer } from './factor-scorer.js';
import { popularityRanking } from './popularity.js';
import { Rng } from './rng.js';
import { SvdParamsSchema, svdAlgorithm } from './svd.js';
import { createRecommender } from './top-n.js';

/**
 * The kernel's arithmetic for one movie, plainly: q_iᵀx in float32 with lane
 * l summing factors f ≡ l (mod 4) in order, reduced as (l0 + l2) + (l1 + l3);
 * then (base + b_i) + dot in float64, rounded to float32.
 */
function referenceScore(q: Float32Array | Float64Array, qo: number, x: Float32Array, xo: number, k: number, base: number, bi: number): number {
  const f32 = Math.fround;
  const lane = [0, 0, 0, 0];
  for (let f = 0; f < k; f++) lane[f % 4] = f32(lane[f % 4] + f32(f32(q[qo + f]) * x[xo + f]));
  const dot = f32(f32(lane[0] + lane[2]) + f32(lane[1] + lane[3]));
  return f32(base + bi + dot);
}

describe('FactorScorer', () => {
  it.each([
    [1, 1],
    [3, 7],
    [4, 4],
    [5, 30],
    [20, 13],
    [64, 101],
  ])('scores k = %i factors × %i movies bit for bit as the reference', (k, nMovies) => {
    const rng = new Rng(k * 1000 + nMovies);
    const q = Float64Array.from({ length: nMovies * k }, () => rng.normal(0, 0.3));
    const bi = Float64Array.from({ length: nMovies }, () => rng.normal(0, 0.5));
    const users = Float32Array.from({ length: 3 * k }, () => rng.normal(0, 0.3));
    for (const [qi, bias] of [
      [q, bi],
      [Float32Array.from(q), undefined],
    ] as const) {
      const scorer = new FactorScorer(qi, bias, k, nMovies);
      for (let u = 0; u < 3; u++) {
        const out = new Float32Array(nMovies + 2).fill(-7);
        scorer.scoreAll(users, u, 3.5 + u, out);
        const want = Array.from({ length: nMovies }, (_, i) => referenceScore(qi, i * k, users, u * k, k, 3.5 + u, bias?.[i] ?? 0));
        expect(Array.from(out.subarray(0, nMovies))).toStrictEqual(want);
        expect(Array.from(out.subarray(nMovies))).toStrictEqual([-7, -7]);
      }
    }
  });

  it('keeps its own copy: changing the parameters afterwards changes no score', () => {
    const qi = Float64Array.of(1, 2, 3, 4);
    const bi = Float64Array.of(0.5, 0.25);
    const scorer = new FactorScorer(qi, bi, 2, 2);
    qi.fill(0);
    bi.fill(0);
    const out = new Float32Array(2);
    scorer.scoreAll(Float32Array.of(1, 1), 0, 1, out);
    expect(Array.from(out)).toStrictEqual([4.5, 8.25]);
  });

  it('refuses factors or biases that do not fit the shape', () => {
    expect(() => new FactorScorer(new Float64Array(6), undefined, 2, 2)).toThrow(InvalidArgumentError);
    expect(() => new FactorScorer(new Float64Array(4), new Float64Array(3), 2, 2)).toThrow(InvalidArgumentError);
    expect(() => new FactorScorer(new Float64Array(0), undefined, 0, 2)).toThrow(InvalidArgumentError);
  });
});

/**
 * Every user's top-20 from the float32 scores is the double-precision
 * ranking, except between movies whose double estimates are within `tie`:
 * the list descends by the double estimate, and no unseen movie left out
 * beats its last entry, both up to `tie`. Returns how many lists were exactly
 * the double-precision ones.
 */
async function expectTop20LikeDoubles(train: TrainSet, tie: number): Promise<{ users: number; identical: number }> {
  const k = 16;
  const model = await svdAlgorithm.fit(train, SvdParamsSchema.parse({ factors: k, seed: 3 }));
  const { mu, bu, bi, pu, qi } = model.parameters();
  const seen: Csr = train.implicit;
  const recommend = createRecommender(model, { seen, popularity: popularityRanking(seen) });
  const exact = new Float64Array(train.nMovies);
  let identical = 0;
  const wrong: string[] = [];
  for (let u = 0; u < train.nUsers; u++) {
    for (let i = 0; i < train.nMovies; i++) {
      let dot = 0;
      for (let f = 0; f < k; f++) dot += qi[i * k + f] * pu[u * k + f];
      exact[i] = mu[0] + bu[u] + bi[i] + dot;
    }
    const top = Array.from(recommend(u, 20).movies);
    const watched = new Set(seen.indices.subarray(seen.indptr[u], seen.indptr[u + 1]));
    const byDoubles = Array.from({ length: train.nMovies }, (_, i) => i)
      .filter((i) => !watched.has(i))
      .sort((a, b) => exact[b] - exact[a] || a - b);
    if (top.length === 20 && top.every((m, j) => m === byDoubles[j])) identical++;
    for (let j = 1; j < top.length; j++) {
      if (exact[top[j]] > exact[top[j - 1]] + tie) wrong.push(`user ${u}: #${j} ${top[j]} above ${top[j - 1]}`);
    }
    const last = exact[top[top.length - 1]];
    for (const i of byDoubles.slice(0, 40)) {
      if (!top.includes(i) && exact[i] > last + tie) wrong.push(`user ${u}: ${i} left out`);
    }
  }
  expect(wrong).toStrictEqual([]);
  return { users: train.nUsers, identical };
}

describe('float32 scoring ranks like the double-precision estimate', () => {
  it('on a planted low-rank problem', async () => {
    const { train } = syntheticLowRank({ users: 200, movies: 300, rank: 4, perUser: 30, heldOut: 0, noise: 0.2, seed: 9 });
    const { users, identical } = await expectTop20LikeDoubles(train, 1e-6);
    expect(identical).toBeGreaterThanOrEqual(users - 2);
  });

  const u1Base = sharedDataset('ml-100k', 'u1.base');
  it.skipIf(u1Base === undefined)('on ML-100k u1.base', async () => {
    const { train } = buildTrainSet(aggregateInteractions(await readMovieLens(join(u1Base ?? '', '..', 'u1.base'))), DEFAULT_SCALE);
    const { users, identical } = await expectTop20LikeDoubles(train, 1e-6);
    expect(identical).toBeGreaterThanOrEqual(users - 5);
  });
});
