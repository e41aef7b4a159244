import { describe, expect, it } from 'vitest';
import { BundleError } from '../errors.js';
import { smallTrainSet } from '../test-helpers/small-train-set.js';
import type { EpochReport } from './model.js';
import { PopularityModel, PopularityParamsSchema, popularityAlgorithm, popularityRanking } from './popularity.js';
import { topN } from './top-n.js';

// 4 users × 5 movies. Interactions per movie: 0→2, 1→3, 2→1, 3→3, 4→0.
// Ratings: movie 0: 5, 3 (mean 4); movie 1: 2 (one rating); movie 3: 4, 4, 1.
// μ = (5 + 3 + 2 + 4 + 4 + 1) / 6 = 19 / 6.
const train = smallTrainSet(4, 5, [
  [0, 0, 5],
  [1, 0, 3],
  [0, 1, 2],
  [1, 1, Number.NaN, 30],
  [2, 1, Number.NaN, 12],
  [3, 2, Number.NaN, 5],
  [0, 3, 4],
  [2, 3, 4],
  [3, 3, 1],
]);
const mu = 19 / 6;

describe('popularityRanking', () => {
  it('orders movies by interaction count, ties by the lower index', () => {
    // counts 2, 3, 1, 3, 0 → 1 and 3 tie (1 first), then 0, 2, 4
    expect(Array.from(popularityRanking(train.implicit))).toEqual([1, 3, 0, 2, 4]);
  });
});

describe('popularity model', () => {
  it('ranks every user by popularity and recommends the unseen', async () => {
    const model = await popularityAlgorithm.fit(train, PopularityParamsSchema.parse({}));
    expect(model).toBeInstanceOf(PopularityModel);
    const scores = new Float32Array(5);
    model.scoreAll(0, scores);
    expect(Array.from(scores)).toEqual([2, 3, 1, 3, 0]);
    const popularity = popularityRanking(train.implicit);
    // user 0 has seen 0, 1, 3
    expect(Array.from(topN(model, 0, 5, { seen: train.implicit, popularity }).movies)).toEqual([2, 4]);
    expect(Array.from(topN(model, 3, 2, { seen: train.implicit, popularity }).movies)).toEqual([1, 0]);
  });

  it('estimates a rating as the movie mean shrunk toward μ', async () => {
    const model = await popularityAlgorithm.fit(train, PopularityParamsSchema.parse({ shrinkage: 2 }));
    // movie 0: (5 + 3 + 2μ) / (2 + 2); movie 1: (2 + 2μ) / 3; movie 2 unrated: μ
    expect(model.predict(0, 0)).toBeCloseTo((8 + 2 * mu) / 4, 6);
    expect(model.predict(3, 1)).toBeCloseTo((2 + 2 * mu) / 3, 6);
    expect(model.predict(1, 2)).toBeCloseTo(mu, 6);
    expect(model.predict(99, -1)).toBeCloseTo(mu, 6);
    const plain = await popularityAlgorithm.fit(train, PopularityParamsSchema.parse({ shrinkage: 0 }));
    expect(plain.predict(0, 3)).toBeCloseTo(3, 6);
    expect(plain.predict(0, 4)).toBeCloseTo(mu, 6);
    expect(plain.predictsRatings).toBe(true);
  });

  it('clips to the scale and uses the middle of the scale without ratings', async () => {
    const wild = smallTrainSet(1, 2, [[0, 0, 7]]);
    expect((await popularityAlgorithm.fit(wild, { shrinkage: 0 })).predict(0, 0)).toBe(5);
    const unrated = smallTrainSet(1, 2, [[0, 0, Number.NaN, 40]]);
    expect((await popularityAlgorithm.fit(unrated, { shrinkage: 0 })).predict(0, 0)).toBe(3);
  });

  it('reports one epoch with the training RMSE', async () => {
    const reports: EpochReport[] = [];
    await popularityAlgorithm.fit(train, { shrinkage: 0 }, { onEpoch: (r) => reports.push(r) });
    // plain means 4, 2, 3: errors 1, −1, 0, 1, 1, −2 → √(8 / 6)
    expect(reports).toHaveLength(1);
    expect(reports[0].epoch).toBe(1);
    expect(reports[0].loss).toBeCloseTo(Math.sqrt(8 / 6), 6);
  });

  it('restores an identical model and refuses mis-sized arrays', async () => {
    const params = PopularityParamsSchema.parse({});
    const model = await popularityAlgorithm.fit(train, params);
    const copy = popularityAlgorithm.restore(params, model.parameters(), model.shape);
    for (let i = -1; i <= 5; i++) expect(copy.predict(0, i)).toBe(model.predict(0, i));
    expect(copy.parameters()).toEqual(model.parameters());
    const arrays = { ...model.parameters(), counts: new Float64Array(4) };
    expect(() => popularityAlgorithm.restore(params, arrays, model.shape)).toThrow(BundleError);
    expect(() => popularityAlgorithm.restore(params, arrays, model.shape)).toThrow(/"counts" has 4 elements, expected 5/);
  });
});

describe('PopularityParamsSchema', () => {
  it('fills the default and rejects a negative shrinkage', () => {
    expect(PopularityParamsSchema.parse({})).toEqual({ shrinkage: 10 });
    const bad = PopularityParamsSchema.safeParse({ shrinkage: -1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/shrinkage must be ≥ 0/);
  });
});
