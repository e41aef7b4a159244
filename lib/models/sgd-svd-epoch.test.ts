import { describe, expect, it } from 'vitest';
import { csrFromCoo, type Csr } from '../data/csr.js';
import { syntheticLowRank } from '../test-helpers/svd-low-rank.js';
import { Rng } from './rng.js';
import { SvdEpochs } from './sgd-svd-epoch.js';

interface Params {
  readonly bu: Float64Array;
  readonly bi: Float64Array;
  readonly pu: Float32Array;
  readonly qi: Float64Array;
}

/**
 * One epoch written plainly, with the kernel's arithmetic: p_u in doubles
 * during the user's ratings and rounded to f32 after them; the first rating's
 * q_iᵀp_u summed in factor order, the others' in four accumulators (factor
 * f < k − k mod 4 into f mod 4, the rest into the first) summed as
 * (n0 + n1) + (n2 + n3); updates p ← d p + g q, q ← d q + g p.
 */
function referenceEpoch(ratings: Csr, k: number, mu: number, at: Params, lr: number, reg: number): number {
  const { indptr, indices, values, nRows } = ratings;
  const { bu, bi, pu, qi } = at;
  const d = 1 - lr * reg;
  const k4 = k - (k % 4);
  let sse = 0;
  for (let u = 0; u < nRows; u++) {
    if (indptr[u] === indptr[u + 1]) continue;
    const p = Float64Array.from(pu.subarray(u * k, (u + 1) * k));
    let bu_u = bu[u];
    for (let r = indptr[u]; r < indptr[u + 1]; r++) {
      const i = indices[r];
      const io = i * k;
      let dot = 0;
      if (r === indptr[u]) {
        for (let f = 0; f < k; f++) dot += qi[io + f] * p[f];
      } else {
        const n = [0, 0, 0, 0];
        for (let f = 0; f < k; f++) n[f < k4 ? f % 4 : 0] += qi[io + f] * p[f];
        dot = n[0] + n[1] + (n[2] + n[3]);
      }
      const err = values[r] - (mu + bu_u + bi[i] + dot);
      sse += err * err;
      bu_u += lr * (err - reg * bu_u);
      bi[i] += lr * (err - reg * bi[i]);
      const g = lr * err;
      for (let f = 0; f < k; f++) {
        const pf = p[f];
        const qf = qi[io + f];
        p[f] = d * pf + g * qf;
        qi[io + f] = d * qf + g * pf;
      }
    }
    bu[u] = bu_u;
    pu.set(p, u * k);
  }
  return sse;
}

function randomParams(ratings: Csr, k: number, seed: number): Params {
  const rng = new Rng(seed);
  const draw = (n: number): number[] => Array.from({ length: n }, () => rng.normal(0, 0.1));
  return {
    bu: Float64Array.from(draw(ratings.nRows)),
    bi: Float64Array.from(draw(ratings.nCols)),
    pu: Float32Array.from(draw(ratings.nRows * k)),
    qi: Float64Array.from(draw(ratings.nCols * k)),
  };
}

function kernelWith(ratings: Csr, k: number, mu: number, start: Params): SvdEpochs {
  const sgd = new SvdEpochs(ratings, k, mu);
  sgd.bu.set(start.bu);
  sgd.bi.set(start.bi);
  sgd.pu.set(start.pu);
  sgd.qi.set(start.qi);
  return sgd;
}

const { train } = syntheticLowRank({ users: 60, movies: 40, rank: 3, perUser: 15, heldOut: 0, noise: 0.1, seed: 11 });
// Users 1 and 3 have no ratings; movie 4 has none.
const sparse = csrFromCoo(5, 6, [0, 0, 2, 2, 2, 4], [5, 1, 0, 3, 2, 1], [4, 2, 5, 3, 1, 4]);

describe('SvdEpochs (the WebAssembly kernel)', () => {
  it.each([1, 2, 3, 4, 7, 8, 13])('matches the plain transcription bit for bit with k = %i', (k) => {
    for (const ratings of [train.ratings, sparse]) {
      const want = randomParams(ratings, k, k);
      const sgd = kernelWith(ratings, k, 3.5, want);
      for (let epoch = 0; epoch < 3; epoch++) {
        const lr = 0.01 * (epoch + 1);
        expect(sgd.epoch(lr, 0.05)).toBe(referenceEpoch(ratings, k, 3.5, want, lr, 0.05));
      }
      expect(sgd.bu).toStrictEqual(want.bu);
      expect(sgd.bi).toStrictEqual(want.bi);
      expect(sgd.pu).toStrictEqual(want.pu);
      expect(sgd.qi).toStrictEqual(want.qi);
    }
  });

  it('leaves users and movies without ratings alone', () => {
    const start = randomParams(sparse, 4, 1);
    const sgd = kernelWith(sparse, 4, 3, start);
    sgd.epoch(0.05, 0.1);
    for (const u of [1, 3]) {
      expect(sgd.bu[u]).toBe(start.bu[u]);
      expect(sgd.pu.subarray(4 * u, 4 * u + 4)).toStrictEqual(start.pu.subarray(4 * u, 4 * u + 4));
    }
    expect(sgd.bi[4]).toBe(start.bi[4]);
    expect(sgd.qi.subarray(16, 20)).toStrictEqual(start.qi.subarray(16, 20));
    expect(sgd.bu[0]).not.toBe(start.bu[0]);
  });

  it('gives the same bits on every run', () => {
    const start = randomParams(train.ratings, 10, 3);
    const runs = [kernelWith(train.ratings, 10, 3, start), kernelWith(train.ratings, 10, 3, start)];
    const sse = runs.map((sgd) => [sgd.epoch(0.01, 0.02), sgd.epoch(0.01, 0.02)]);
    expect(sse[1]).toStrictEqual(sse[0]);
    expect(runs[1].qi).toStrictEqual(runs[0].qi);
    expect(runs[1].pu).toStrictEqual(runs[0].pu);
  });

  it('starts from zero parameters and copies the ratings, leaving the caller’s arrays untouched', () => {
    const before = { ...sparse, values: sparse.values.slice() };
    const sgd = new SvdEpochs(sparse, 2, 3);
    expect(Array.from(sgd.pu)).toStrictEqual(new Array(10).fill(0));
    expect(sgd.epoch(0.1, 0.1)).toBeGreaterThan(0);
    expect(sparse.values).toStrictEqual(before.values);
  });
});
