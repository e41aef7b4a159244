import { describe, expect, it } from 'vitest';
import { BundleError } from '../errors.js';
import { evaluateRanking } from '../metrics/ranking-evaluation.js';
import { smallTrainSet } from '../test-helpers/small-train-set.js';
import { syntheticImplicit } from '../test-helpers/synthetic-implicit.js';
import { AlsParamsSchema, alsAlgorithm } from './als.js';
import type { EpochReport } from './model.js';
import { popularityAlgorithm } from './popularity.js';

// 200 users in 5 taste groups over 200 movies, 15 watches each, one held out.
// A random ranker finds the held-out movie in its top 10 with chance ≈ 10 / 186.
const { train, test } = syntheticImplicit({ users: 200, movies: 200, groups: 5, perUser: 15, noise: 0.1, seed: 7 });
const small = AlsParamsSchema.parse({ factors: 8, epochs: 8 });

describe('als', () => {
  it('ranks held-out watches far above chance and above popularity', async () => {
    const model = await alsAlgorithm.fit(train, small);
    const als = evaluateRanking(model, train, test, { k: 10 });
    const popularity = evaluateRanking(await popularityAlgorithm.fit(train, { shrinkage: 10 }), train, test, { k: 10 });
    expect(als.users).toBe(200);
    expect(als.hitRate).toBeGreaterThan(0.35); // measured 0.51; chance ≈ 0.054
    expect(als.hitRate).toBeGreaterThan(popularity.hitRate + 0.2);
    expect(als.ndcg).toBeGreaterThan(0.12);
  });

  it('reports an objective that never rises', async () => {
    const reports: EpochReport[] = [];
    await alsAlgorithm.fit(train, small, { onEpoch: (r) => reports.push(r) });
    expect(reports.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (let e = 1; e < reports.length; e++) expect(reports[e].loss).toBeLessThanOrEqual(reports[e - 1].loss * (1 + 1e-12));
    expect(reports[7].loss).toBeLessThan(reports[0].loss * 0.8);
  });

  it('gives bit-identical factors for one seed and changes with every hyper-parameter', async () => {
    const a = (await alsAlgorithm.fit(train, small)).parameters();
    const b = (await alsAlgorithm.fit(train, small)).parameters();
    expect(b).toEqual(a);
    for (const change of [{ seed: 1 }, { epochs: 7 }, { reg: 0.5 }, { alpha: 2 }, { factors: 7 }]) {
      const other = (await alsAlgorithm.fit(train, { ...small, ...change })).parameters();
      expect(other, JSON.stringify(change)).not.toEqual(a);
    }
  });

  it('scores preferences, not ratings, and 0 for the unknown', async () => {
    const model = await alsAlgorithm.fit(train, small);
    expect(model.predictsRatings).toBe(false);
    const scores = new Float32Array(train.nMovies);
    model.scoreAll(3, scores);
    for (let i = 0; i < train.nMovies; i++) expect(scores[i]).toBeCloseTo(model.predict(3, i), 6);
    expect(model.predict(-1, 17)).toBe(0);
    expect(model.predict(3, 200)).toBe(0);
    model.scoreAll(500, scores);
    expect(scores.every((s) => s === 0)).toBe(true);
  });

  it('restores an identical model and refuses mis-sized factors', async () => {
    const model = await alsAlgorithm.fit(train, small);
    const copy = alsAlgorithm.restore(small, model.parameters(), model.shape);
    const want = new Float32Array(train.nMovies);
    const got = new Float32Array(train.nMovies);
    for (const u of [0, 57, 199]) {
      model.scoreAll(u, want);
      copy.scoreAll(u, got);
      expect(got).toEqual(want);
    }
    const wrongK = { ...small, factors: 9 };
    expect(() => alsAlgorithm.restore(wrongK, model.parameters(), model.shape)).toThrow(BundleError);
    expect(() => alsAlgorithm.restore(wrongK, model.parameters(), model.shape)).toThrow(/200 users × 9 factors/);
  });

  it('leaves a user with no interactions at zero', async () => {
    const tiny = smallTrainSet(3, 3, [
      [0, 0, 5],
      [0, 1, Number.NaN, 40],
      [1, 1, 2],
    ]);
    const model = await alsAlgorithm.fit(tiny, AlsParamsSchema.parse({ factors: 2, epochs: 2 }));
    const x = model.parameters().userFactors;
    expect(Array.from(x.subarray(4, 6))).toEqual([0, 0]);
  });
});

describe('AlsParamsSchema', () => {
  it('fills defaults and rejects bad values with their names', () => {
    expect(AlsParamsSchema.parse({})).toEqual({ factors: 64, epochs: 15, reg: 0.1, alpha: 5, seed: 42 });
    const bad = AlsParamsSchema.safeParse({ factors: 0, epochs: 1.5, reg: 0, alpha: -1, seed: -3 });
    expect(bad.success).toBe(false);
    const messages = bad.error?.issues.map((issue) => issue.message).join('; ');
    expect(messages).toMatch(/factors must be at least 1/);
    expect(messages).toMatch(/epochs must be a whole number/);
    expect(messages).toMatch(/reg \(λ\) must be greater than 0/);
    expect(messages).toMatch(/alpha \(α\) must not be negative/);
    expect(messages).toMatch(/seed must not be negative/);
  });
});
