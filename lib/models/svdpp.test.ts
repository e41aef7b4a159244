import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTrainSet, mapTestSet } from '../data/build-train-set.js';
import { aggregateInteractions } from '../data/interactions.js';
import { readMovieLens } from '../data/readers/movielens.js';
import { DEFAULT_SCALE } from '../data/records.js';
import type { TestSet, TrainSet } from '../data/train-set.js';
import { BundleError, InvalidArgumentError } from '../errors.js';
import { rmse } from '../metrics/rmse.js';
import { sharedDataset } from '../test-helpers/datasets.js';
import { smallTrainSet, type SmallEntry } from '../test-helpers/small-train-set.js';
import { syntheticLowRank } from '../test-helpers/svd-low-rank.js';
import type { Model } from './model.js';
import { Rng } from './rng.js';
import { fillNormal } from './sgd-init.js';
import { parseParams } from './parse-params.js';
import { SvdppParamsSchema, svdppAlgorithm, type SvdppParams } from './svdpp.js';

const problem = syntheticLowRank({ users: 100, movies: 60, rank: 3, perUser: 30, heldOut: 6, noise: 0.1, seed: 9 });
const small = (over: Partial<SvdppParams> = {}): SvdppParams =>
  SvdppParamsSchema.parse({ factors: 6, epochs: 30, lr: 0.01, reg: 0.02, initSd: 0.1, seed: 3, ...over });

function testRmse(model: Model, test: TestSet): number {
  const predicted = Array.from(test.user, (u, t) => model.predict(u, test.movie[t]));
  return rmse(predicted, test.rating);
}

function someEstimates(model: Model): number[] {
  return [0, 5, 17, 33, 64].map((u) => model.predict(u, (u * 7) % 60));
}

/**
 * Surprise's `SVDpp.fit` written plainly, in doubles: Σ y_j rebuilt and every
 * y_j updated for every rating. O(|R(u)|·|N(u)|·k) per user, fine here.
 */
function referenceSvdpp(train: TrainSet, params: SvdppParams) {
  const { factors: k, epochs, lr, reg, initSd, seed } = params;
  const rng = new Rng(seed);
  const pu = Float64Array.from(fillNormal(rng, new Float32Array(train.nUsers * k), initSd));
  const qi = fillNormal(rng, new Float64Array(train.nMovies * k), initSd);
  const yj = fillNormal(rng, new Float64Array(train.nMovies * k), initSd);
  const bu = new Float64Array(train.nUsers);
  const bi = new Float64Array(train.nMovies);
  const { indptr, indices, values } = train.ratings;
  const N = train.implicit;
  const impl = new Float64Array(k);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let u = 0; u < train.nUsers; u++) {
      const Nu = Array.from(N.indices.subarray(N.indptr[u], N.indptr[u + 1]));
      const s = Nu.length > 0 ? 1 / Math.sqrt(Nu.length) : 0;
      for (let at = indptr[u]; at < indptr[u + 1]; at++) {
        const i = indices[at];
        impl.fill(0);
        for (const j of Nu) for (let f = 0; f < k; f++) impl[f] += yj[j * k + f] * s;
        let dot = 0;
        for (let f = 0; f < k; f++) dot += qi[i * k + f] * (pu[u * k + f] + impl[f]);
        const err = values[at] - (train.globalMean + bu[u] + bi[i] + dot);
        bu[u] += lr * (err - reg * bu[u]);
        bi[i] += lr * (err - reg * bi[i]);
        for (let f = 0; f < k; f++) {
          const puf = pu[u * k + f];
          const qif = qi[i * k + f];
          pu[u * k + f] += lr * (err * qif - reg * puf);
          qi[i * k + f] += lr * (err * (puf + impl[f]) - reg * qif);
          for (const j of Nu) yj[j * k + f] += lr * (err * qif * s - reg * yj[j * k + f]);
        }
      }
    }
  }
  return { bu, bi, pu, qi, yj };
}

describe('svdpp on a synthetic low-rank problem', () => {
  it('lowers the training loss every epoch and beats the global mean on held-out ratings', async () => {
    const losses: number[] = [];
    const model = await svdppAlgorithm.fit(problem.train, small(), { onEpoch: (r) => losses.push(r.loss) });
    expect(losses).toHaveLength(30);
    for (let e = 1; e < losses.length; e++) expect(losses[e]).toBeLessThan(losses[e - 1]);
    const meanRmse = rmse(new Float64Array(problem.test.user.length).fill(problem.train.globalMean), problem.test.rating);
    expect(testRmse(model, problem.test)).toBeLessThan(0.75 * meanRmse);
  });

  it('makes the same updates as a plain transcription of Surprise (y_j once per user)', async () => {
    // Implicit feedback beyond the ratings: every user also watched movie 59.
    const entries: SmallEntry[] = [];
    const { ratings } = problem.train;
    for (let u = 0; u < ratings.nRows; u++) {
      for (let at = ratings.indptr[u]; at < ratings.indptr[u + 1]; at++) entries.push([u, ratings.indices[at], ratings.values[at]]);
      if (u % 2 === 0) entries.push([u, 59, Number.NaN, 30]);
    }
    const train = smallTrainSet(problem.train.nUsers, problem.train.nMovies, entries);
    const params = small({ epochs: 4 });
    const got = (await svdppAlgorithm.fit(train, params)).parameters();
    const ref = referenceSvdpp(train, params);
    for (const name of ['bu', 'bi', 'pu', 'qi', 'yj'] as const) {
      const a = got[name];
      const b = ref[name];
      for (let n = 0; n < a.length; n++) expect(a[n]).toBeCloseTo(b[n], 5);
    }
  });

  it('is bit-identical for the same seed and differs for another seed', async () => {
    const a = (await svdppAlgorithm.fit(problem.train, small())).parameters();
    const b = (await svdppAlgorithm.fit(problem.train, small())).parameters();
    const c = (await svdppAlgorithm.fit(problem.train, small({ seed: 4 }))).parameters();
    for (const name of ['mu', 'bu', 'bi', 'pu', 'qi', 'yj', 'puImplicit']) expect(b[name]).toStrictEqual(a[name]);
    expect(c.yj).not.toStrictEqual(a.yj);
  });

  it.each([['factors', 4], ['epochs', 5], ['lr', 0.02], ['reg', 0.1], ['initSd', 0.05]] as const)(
    'changes its estimates when %s changes (seed fixed)',
    async (name, value) => {
      const base = someEstimates(await svdppAlgorithm.fit(problem.train, small()));
      const changed = someEstimates(await svdppAlgorithm.fit(problem.train, small({ [name]: value })));
      expect(changed).not.toStrictEqual(base);
    },
  );

  it('restores from its parameters into a model with identical estimates and scores', async () => {
    const model = await svdppAlgorithm.fit(problem.train, small());
    const copy = svdppAlgorithm.restore(small(), model.parameters(), model.shape);
    for (let u = -1; u <= 100; u += 7) {
      for (let i = -1; i <= 60; i += 6) expect(copy.predict(u, i)).toBe(model.predict(u, i));
    }
    const a = new Float32Array(60);
    const b = new Float32Array(60);
    model.scoreAll(8, a);
    copy.scoreAll(8, b);
    expect(b).toStrictEqual(a);
  });
});

describe('svdpp serving', () => {
  // k = 1: user 0 has p_u = 0.5 and implicit term 0.25; movie 0 has q_i = 2.
  const shape = { nUsers: 1, nMovies: 1, scale: DEFAULT_SCALE };
  const params = SvdppParamsSchema.parse({ factors: 1 });
  const arrays = {
    mu: Float64Array.of(3),
    bu: Float64Array.of(0.25),
    bi: Float64Array.of(-0.5),
    pu: Float32Array.of(0.5),
    qi: Float64Array.of(2),
    yj: Float64Array.of(0.25),
    puImplicit: Float32Array.of(0.25),
  };
  const model = svdppAlgorithm.restore(params, arrays, shape);

  it('estimates μ + b_u + b_i + q_iᵀ(p_u + |N(u)|^-½ Σ y_j) from the stored implicit term', () => {
    expect(model.predict(0, 0)).toBe(4.25);
    const high = svdppAlgorithm.restore(params, { ...arrays, puImplicit: Float32Array.of(2) }, shape);
    expect(high.predict(0, 0)).toBe(5);
  });

  it('drops the terms of an unknown user or movie', () => {
    expect(model.predict(-1, 0)).toBe(2.5);
    expect(model.predict(0, 1)).toBe(3.25);
    expect(model.predict(1, -1)).toBe(3);
  });

  it('refuses a bundle without the implicit term', () => {
    const { puImplicit: _gone, ...rest } = arrays;
    expect(() => svdppAlgorithm.restore(params, rest, shape)).toThrow(BundleError);
    expect(() => svdppAlgorithm.restore(params, rest, shape)).toThrow(/"puImplicit" is missing/);
  });
});

describe('SvdppParamsSchema', () => {
  it("fills Surprise's defaults", () => {
    expect(SvdppParamsSchema.parse({})).toStrictEqual({ factors: 20, epochs: 20, lr: 0.007, reg: 0.02, initSd: 0.1, seed: 42 });
  });

  it('rejects bad values naming the parameter', () => {
    expect(() => parseParams('svdpp', SvdppParamsSchema, { lr: -1, factors: 0 })).toThrow(InvalidArgumentError);
    expect(() => parseParams('svdpp', SvdppParamsSchema, { lr: -1, factors: 0 })).toThrow(/^svdpp: factors: .*; lr: /);
  });
});

const u1Base = sharedDataset('ml-100k', 'u1.base');
const u1Test = sharedDataset('ml-100k', 'u1.test');

describe('svdpp on ML-100k', () => {
  it.skipIf(u1Base === undefined || u1Test === undefined)('reaches RMSE < 0.95 on u1.test with the defaults', async () => {
    const dir = join(u1Base ?? '', '..');
    const { train, users, movies } = buildTrainSet(aggregateInteractions(await readMovieLens(join(dir, 'u1.base'))), DEFAULT_SCALE);
    const test = mapTestSet(aggregateInteractions(await readMovieLens(join(dir, 'u1.test'))), users, movies);
    const model = await svdppAlgorithm.fit(train, SvdppParamsSchema.parse({}));
    expect(testRmse(model, test)).toBeLessThan(0.95);
  });
});
