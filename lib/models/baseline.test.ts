import { describe, expect, it } from 'vitest';
import { buildTrainSet, mapTestSet } from '../data/build-train-set.js';
import { aggregateInteractions } from '../data/interactions.js';
import { readMovieLens } from '../data/readers/movielens.js';
import { DEFAULT_SCALE } from '../data/records.js';
import { BundleError } from '../errors.js';
import { mae } from '../metrics/mae.js';
import { rmse } from '../metrics/rmse.js';
import { NO_DATASETS, sharedDataset } from '../test-helpers/datasets.js';
import { smallTrainSet } from '../test-helpers/small-train-set.js';
import { BaselineParamsSchema, baselineAlgorithm } from './baseline.js';
import type { EpochReport, Model } from './model.js';

// u0 rated m0 = 5, m1 = 3; u1 rated m0 = 4. μ = 4.
const tiny = smallTrainSet(2, 2, [
  [0, 0, 5],
  [0, 1, 3],
  [1, 0, 4],
]);

describe('baseline', () => {
  it('matches one hand-computed ALS sweep', async () => {
    // λ_i = λ_u = 1, b_u = 0 to start:
    //   b_i0 = ((5 − 4) + (4 − 4)) / (1 + 2) = 1/3      b_i1 = (3 − 4) / (1 + 1) = −1/2
    //   b_u0 = ((5 − 4 − 1/3) + (3 − 4 + 1/2)) / (1 + 2) = (1/6) / 3 = 1/18
    //   b_u1 = (4 − 4 − 1/3) / (1 + 1) = −1/6
    const model = await baselineAlgorithm.fit(tiny, { epochs: 1, regUser: 1, regItem: 1 });
    const { bu, bi, mu } = model.parameters();
    expect(mu[0]).toBe(4);
    expect(bi[0]).toBeCloseTo(1 / 3, 15);
    expect(bi[1]).toBeCloseTo(-1 / 2, 15);
    expect(bu[0]).toBeCloseTo(1 / 18, 15);
    expect(bu[1]).toBeCloseTo(-1 / 6, 15);
    expect(model.predict(0, 0)).toBeCloseTo(4 + 1 / 18 + 1 / 3, 15);
    // unknown user drops b_u, unknown movie drops b_i, both unknown → μ
    expect(model.predict(-1, 1)).toBeCloseTo(4 - 1 / 2, 15);
    expect(model.predict(1, 7)).toBeCloseTo(4 - 1 / 6, 15);
    expect(model.predict(5, -1)).toBe(4);
  });

  it('scores every movie by μ + b_u + b_i and clips predictions to the scale', () => {
    const params = BaselineParamsSchema.parse({});
    const arrays = { mu: Float64Array.of(4), bu: Float64Array.of(2), bi: Float64Array.of(1, -4) };
    const model = baselineAlgorithm.restore(params, arrays, { nUsers: 1, nMovies: 2, scale: DEFAULT_SCALE });
    expect(model.predict(0, 0)).toBe(5);
    expect(model.predict(0, 1)).toBe(2);
    expect(model.predict(-1, 1)).toBe(1);
    const scores = new Float32Array(2);
    model.scoreAll(0, scores);
    expect(Array.from(scores)).toEqual([7, 2]);
  });

  it('reports a falling training RMSE every epoch and is deterministic', async () => {
    const reports: EpochReport[] = [];
    const params = BaselineParamsSchema.parse({ epochs: 4, regUser: 0.5, regItem: 0.5 });
    const a = await baselineAlgorithm.fit(tiny, params, { onEpoch: (r) => reports.push(r) });
    expect(reports.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    expect(reports.every((r) => r.epochs === 4 && Number.isFinite(r.loss))).toBe(true);
    expect(reports[3].loss).toBeLessThan(reports[0].loss);
    const b = await baselineAlgorithm.fit(tiny, params);
    expect(b.parameters()).toEqual(a.parameters());
  });

  it('changes with each hyper-parameter', async () => {
    const base = (await baselineAlgorithm.fit(tiny, { epochs: 2, regUser: 1, regItem: 1 })).parameters();
    for (const change of [{ epochs: 3 }, { regUser: 2 }, { regItem: 2 }]) {
      const other = await baselineAlgorithm.fit(tiny, { epochs: 2, regUser: 1, regItem: 1, ...change });
      expect(other.parameters()).not.toEqual(base);
    }
  });

  it('restores an identical model and refuses mis-sized arrays', async () => {
    const params = BaselineParamsSchema.parse({});
    const model = await baselineAlgorithm.fit(tiny, params);
    const copy = baselineAlgorithm.restore(params, model.parameters(), model.shape);
    for (const [u, i] of [[0, 0], [0, 1], [1, 0], [1, 1], [-1, 0], [0, 9]]) expect(copy.predict(u, i)).toBe(model.predict(u, i));
    const arrays = { ...model.parameters(), bu: new Float64Array(3) };
    expect(() => baselineAlgorithm.restore(params, arrays, model.shape)).toThrow(BundleError);
    expect(() => baselineAlgorithm.restore(params, { mu: Float64Array.of(4) }, model.shape)).toThrow(/"bu" is missing/);
  });
});

describe('BaselineParamsSchema', () => {
  it('fills Surprise defaults and rejects bad values with their names', () => {
    expect(BaselineParamsSchema.parse({})).toEqual({ epochs: 10, regUser: 15, regItem: 10 });
    const bad = BaselineParamsSchema.safeParse({ epochs: 0, regUser: -1, regItem: 'x' });
    expect(bad.success).toBe(false);
    const messages = bad.error?.issues.map((issue) => issue.message).join('; ');
    expect(messages).toMatch(/epochs must be at least 1/);
    expect(messages).toMatch(/regUser must not be negative/);
    expect(messages).toMatch(/regItem must be a finite number/);
  });
});

const ml100k = sharedDataset('ml-100k', 'u1.base');

async function foldScores(fold: number): Promise<{ rmse: number; mae: number }> {
  const dir = sharedDataset('ml-100k') ?? '';
  const base = aggregateInteractions(await readMovieLens(`${dir}/u${fold}.base`));
  const { train, users, movies } = buildTrainSet(base, DEFAULT_SCALE);
  const test = mapTestSet(aggregateInteractions(await readMovieLens(`${dir}/u${fold}.test`)), users, movies);
  const model: Model = await baselineAlgorithm.fit(train, BaselineParamsSchema.parse({}));
  const predicted = Array.from(test.user, (u, e) => model.predict(u, test.movie[e]));
  return { rmse: rmse(predicted, test.rating), mae: mae(predicted, test.rating) };
}

describe.skipIf(!ml100k)(`baseline on MovieLens-100k ${ml100k ? '' : NO_DATASETS}`, () => {
  // Surprise 1.1.4 BaselineOnly (ALS, defaults): fold u1 alone gives RMSE
  // 0.9599 / MAE 0.7616; the five official folds average 0.9457 / 0.7499.
  it('matches Surprise on fold u1', async () => {
    const u1 = await foldScores(1);
    expect(u1.rmse).toBeGreaterThan(0.959);
    expect(u1.rmse).toBeLessThan(0.961);
    expect(u1.mae).toBeGreaterThan(0.7606);
    expect(u1.mae).toBeLessThan(0.7626);
  });

  it('matches Surprise averaged over the five official folds', async () => {
    const folds = await Promise.all([1, 2, 3, 4, 5].map(foldScores));
    const meanRmse = folds.reduce((sum, f) => sum + f.rmse, 0) / folds.length;
    const meanMae = folds.reduce((sum, f) => sum + f.mae, 0) / folds.length;
    expect(Math.abs(meanRmse - 0.9457)).toBeLessThan(0.0005);
    expect(Math.abs(meanMae - 0.7499)).toBeLessThan(0.0005);
  });
});
