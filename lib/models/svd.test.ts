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
import { smallTrainSet } from '../test-helpers/small-train-set.js';
import { syntheticLowRank } from '../test-helpers/svd-low-rank.js';
import type { Model } from './model.js';
import { Rng } from './rng.js';
import { fillNormal } from './sgd-init.js';
import { parseParams } from './parse-params.js';
import { SvdParamsSchema, svdAlgorithm, type SvdParams } from './svd.js';

const problem = syntheticLowRank({ users: 120, movies: 80, rank: 3, perUser: 40, heldOut: 8, noise: 0.1, seed: 5 });
const small = (over: Partial<SvdParams> = {}): SvdParams =>
  SvdParamsSchema.parse({ factors: 8, epochs: 30, lr: 0.01, reg: 0.02, initSd: 0.1, seed: 7, ...over });

function testRmse(model: Model, test: TestSet): number {
  const predicted = Array.from(test.user, (u, t) => model.predict(u, test.movie[t]));
  return rmse(predicted, test.rating);
}

function someEstimates(model: Model): number[] {
  return [0, 5, 17, 33, 64].map((u) => model.predict(u, (u * 7) % 80));
}

/** Surprise's `SVD.sgd` written plainly, in doubles, from the same initial factors. */
function referenceSvd(train: TrainSet, params: SvdParams): { bu: Float64Array; bi: Float64Array; pu: Float64Array; qi: Float64Array } {
  const { factors: k, epochs, lr, reg, initSd, seed } = params;
  const rng = new Rng(seed);
  const pu = Float64Array.from(fillNormal(rng, new Float32Array(train.nUsers * k), initSd));
  const qi = fillNormal(rng, new Float64Array(train.nMovies * k), initSd);
  const bu = new Float64Array(train.nUsers);
  const bi = new Float64Array(train.nMovies);
  const { indptr, indices, values } = train.ratings;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let u = 0; u < train.nUsers; u++) {
      for (let at = indptr[u]; at < indptr[u + 1]; at++) {
        const i = indices[at];
        let dot = 0;
        for (let f = 0; f < k; f++) dot += qi[i * k + f] * pu[u * k + f];
        const err = values[at] - (train.globalMean + bu[u] + bi[i] + dot);
        bu[u] += lr * (err - reg * bu[u]);
        bi[i] += lr * (err - reg * bi[i]);
        for (let f = 0; f < k; f++) {
          const puf = pu[u * k + f];
          const qif = qi[i * k + f];
          pu[u * k + f] += lr * (err * qif - reg * puf);
          qi[i * k + f] += lr * (err * puf - reg * qif);
        }
      }
    }
  }
  return { bu, bi, pu, qi };
}

describe('svd on a synthetic low-rank problem', () => {
  it('lowers the training loss every epoch and beats the global mean on held-out ratings', async () => {
    const losses: number[] = [];
    const model = await svdAlgorithm.fit(problem.train, small(), { onEpoch: (r) => losses.push(r.loss) });
    expect(losses).toHaveLength(30);
    for (let e = 1; e < losses.length; e++) expect(losses[e]).toBeLessThan(losses[e - 1]);
    const meanRmse = rmse(new Float64Array(problem.test.user.length).fill(problem.train.globalMean), problem.test.rating);
    expect(testRmse(model, problem.test)).toBeLessThan(0.75 * meanRmse);
  });

  it('makes the same updates as a plain transcription of Surprise', async () => {
    const params = small({ epochs: 5 });
    const model = await svdAlgorithm.fit(problem.train, params);
    const ref = referenceSvd(problem.train, params);
    const got = model.parameters();
    const close = (a: ArrayLike<number>, b: ArrayLike<number>): void => {
      for (let n = 0; n < a.length; n++) expect(a[n]).toBeCloseTo(b[n], 5);
    };
    close(got.bu, ref.bu);
    close(got.bi, ref.bi);
    close(got.pu, ref.pu);
    close(got.qi, ref.qi);
  });

  it('is bit-identical for the same seed and differs for another seed', async () => {
    const a = (await svdAlgorithm.fit(problem.train, small())).parameters();
    const b = (await svdAlgorithm.fit(problem.train, small())).parameters();
    const c = (await svdAlgorithm.fit(problem.train, small({ seed: 8 }))).parameters();
    for (const name of ['mu', 'bu', 'bi', 'pu', 'qi']) expect(b[name]).toStrictEqual(a[name]);
    expect(c.qi).not.toStrictEqual(a.qi);
  });

  it.each([['factors', 4], ['epochs', 5], ['lr', 0.02], ['reg', 0.1], ['initSd', 0.05]] as const)(
    'changes its estimates when %s changes (seed fixed)',
    async (name, value) => {
      const base = someEstimates(await svdAlgorithm.fit(problem.train, small()));
      const changed = someEstimates(await svdAlgorithm.fit(problem.train, small({ [name]: value })));
      expect(changed).not.toStrictEqual(base);
    },
  );

  it('restores from its parameters into a model with identical estimates and scores', async () => {
    const model = await svdAlgorithm.fit(problem.train, small());
    const copy = svdAlgorithm.restore(small(), model.parameters(), model.shape);
    for (let u = -1; u <= 120; u += 11) {
      for (let i = -1; i <= 80; i += 9) expect(copy.predict(u, i)).toBe(model.predict(u, i));
    }
    const a = new Float32Array(80);
    const b = new Float32Array(80);
    model.scoreAll(3, a);
    copy.scoreAll(3, b);
    expect(b).toStrictEqual(a);
  });

  it('refuses a train set without ratings', async () => {
    await expect(svdAlgorithm.fit(smallTrainSet(2, 2, []), small())).rejects.toThrow(InvalidArgumentError);
  });
});

describe('svd serving', () => {
  // k = 2; user 0 = (1, 0), user 1 = (0, 3); movie 0 = (1, 1), movie 1 = (−3, 0).
  const shape = { nUsers: 2, nMovies: 2, scale: DEFAULT_SCALE };
  const arrays = {
    mu: Float64Array.of(3),
    bu: Float64Array.of(0.5, -0.25),
    bi: Float64Array.of(0.125, -0.5),
    pu: Float32Array.of(1, 0, 0, 3),
    qi: Float64Array.of(1, 1, -3, 0),
  };
  const params = SvdParamsSchema.parse({ factors: 2 });
  const model = svdAlgorithm.restore(params, arrays, shape);

  it('estimates μ + b_u + b_i + q_iᵀp_u and clips to the scale', () => {
    expect(model.predict(0, 0)).toBe(4.625); // 3 + 0.5 + 0.125 + 1
    expect(model.predict(1, 0)).toBe(5); // 3 − 0.25 + 0.125 + 3 = 5.875
    expect(model.predict(0, 1)).toBe(1); // 3 + 0.5 − 0.5 − 3 = 0
  });

  it('drops the terms of an unknown user or movie', () => {
    expect(model.predict(-1, 0)).toBeCloseTo(3.125, 12);
    expect(model.predict(2, 1)).toBeCloseTo(2.5, 12);
    expect(model.predict(1, -1)).toBeCloseTo(2.75, 12);
    expect(model.predict(0, 7)).toBeCloseTo(3.5, 12);
    expect(model.predict(-1, -1)).toBe(3);
    expect(model.predict(0.5, 0)).toBeCloseTo(3.125, 12);
  });

  it('scores every movie with the unclipped estimate, and μ + b_i for an unknown user', () => {
    const out = new Float32Array(2);
    model.scoreAll(0, out);
    expect(Array.from(out)).toStrictEqual([4.625, 0]);
    model.scoreAll(-1, out);
    expect(Array.from(out)).toStrictEqual([3.125, 2.5]);
    expect(() => model.scoreAll(0, new Float32Array(1))).toThrow(InvalidArgumentError);
  });

  it('refuses arrays that are missing, mistyped or of the wrong shape', () => {
    const { qi: _qi, ...noQi } = arrays;
    expect(() => svdAlgorithm.restore(params, noQi, shape)).toThrow(/array "qi" is missing/);
    expect(() => svdAlgorithm.restore(params, { ...arrays, pu: Float64Array.of(1, 0, 0, 3) }, shape)).toThrow(BundleError);
    expect(() => svdAlgorithm.restore(SvdParamsSchema.parse({ factors: 3 }), arrays, shape)).toThrow(/"pu" has 4 elements, expected 6/);
    expect(() => svdAlgorithm.restore(params, arrays, { ...shape, nUsers: 3 })).toThrow(/"bu" has 2 elements, expected 3/);
  });
});

describe('SvdParamsSchema', () => {
  it("fills Surprise's defaults", () => {
    expect(SvdParamsSchema.parse({})).toStrictEqual({ factors: 100, epochs: 20, lr: 0.005, reg: 0.02, initSd: 0.1, seed: 42 });
  });

  it.each([
    [{ lr: -0.1 }, /lr.*greater than 0/],
    [{ lr: 0 }, /lr/],
    [{ lr: Number.NaN }, /lr/],
    [{ factors: 0 }, /factors must be at least 1/],
    [{ factors: 2.5 }, /factors must be a whole number/],
    [{ epochs: 0 }, /epochs/],
    [{ reg: -1 }, /reg.*must not be negative/],
    [{ initSd: -0.1 }, /initSd/],
    [{ seed: -1 }, /seed/],
  ])('rejects %o', (raw, message) => {
    expect(() => parseParams('svd', SvdParamsSchema, raw)).toThrow(InvalidArgumentError);
    expect(() => parseParams('svd', SvdParamsSchema, raw)).toThrow(message);
  });
});

const u1Base = sharedDataset('ml-100k', 'u1.base');
const u1Test = sharedDataset('ml-100k', 'u1.test');

describe('svd on ML-100k', () => {
  it.skipIf(u1Base === undefined || u1Test === undefined)('reaches RMSE < 0.96 on u1.test with the defaults', async () => {
    const dir = join(u1Base ?? '', '..');
    const { train, users, movies } = buildTrainSet(aggregateInteractions(await readMovieLens(join(dir, 'u1.base'))), DEFAULT_SCALE);
    const test = mapTestSet(aggregateInteractions(await readMovieLens(join(dir, 'u1.test'))), users, movies);
    const model = await svdAlgorithm.fit(train, SvdParamsSchema.parse({}));
    expect(testRmse(model, test)).toBeLessThan(0.96);
  });
});
