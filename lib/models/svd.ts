import type { z } from 'zod';
import type { TrainSet } from '../data/train-set.js';
import { nnz } from '../data/csr.js';
import type { AlgorithmSpec, FitOptions, Model, ModelShape, ParamArrays } from './model.js';
import { Rng } from './rng.js';
import { epochRmse, requireFiniteLoss, requireRatings } from './sgd-checks.js';
import { fillNormal } from './sgd-init.js';
import { parseParams } from './parse-params.js';
import { sgdParamsSchema } from './sgd-params.js';
import { SvdEpochs } from './sgd-svd-epoch.js';
import { checkShape, takeArray } from './param-arrays.js';
import { FactorModel } from './svd-model.js';

/**
 * SVD hyper-parameters with Surprise's defaults: 100 factors, 20 epochs,
 * lr 0.005, reg 0.02, initial factors N(0, 0.1²).
 */
export const SvdParamsSchema = sgdParamsSchema({ factors: 100, epochs: 20, lr: 0.005, reg: 0.02, initSd: 0.1, seed: 42 });
export type SvdParams = z.infer<typeof SvdParamsSchema>;

function svdModel(shape: ModelShape, k: number, mu: Float64Array, bu: Float64Array, bi: Float64Array, pu: Float32Array, qi: Float64Array): Model {
  return new FactorModel({ algorithm: 'svd', shape, k, mu: mu[0], bu, bi, userVec: pu, qi, named: { mu, bu, bi, pu, qi } });
}

/**
 * Fit biased SVD by SGD (see `SvdEpochs` for the update equations and the
 * WebAssembly kernel): b_u, b_i start at 0, p_u then q_i are drawn from
 * N(0, initSd²) with the seeded Rng straight into the kernel's memory, every
 * epoch passes over the ratings user by user, and the parameters are copied
 * out once at the end. The same seed and data give bit-identical parameters.
 */
export async function fitSvd(train: TrainSet, rawParams: SvdParams, options: FitOptions = {}): Promise<Model> {
  const params = parseParams('svd', SvdParamsSchema, rawParams);
  requireRatings('svd', train);
  const { factors: k, epochs, lr, reg, initSd, seed } = params;
  const { nUsers, nMovies } = train;
  const rng = new Rng(seed);
  const mu = Float64Array.of(train.globalMean);
  const sgd = new SvdEpochs(train.ratings, k, mu[0]);
  fillNormal(rng, sgd.pu, initSd);
  fillNormal(rng, sgd.qi, initSd);
  const count = nnz(train.ratings);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const loss = epochRmse(sgd.epoch(lr, reg), count);
    requireFiniteLoss('svd', loss, epoch, lr);
    options.onEpoch?.({ epoch, epochs, loss });
  }
  const { bu, bi, pu, qi } = sgd;
  return svdModel({ nUsers, nMovies, scale: train.scale }, k, mu, bu.slice(), bi.slice(), pu.slice(), qi.slice());
}

/** Rebuild a fitted SVD from its named arrays `mu bu bi pu qi`. */
export function restoreSvd(rawParams: SvdParams, arrays: ParamArrays, shape: ModelShape): Model {
  const { factors: k } = parseParams('svd', SvdParamsSchema, rawParams);
  checkShape('svd', shape);
  const { nUsers, nMovies } = shape;
  const mu = takeArray('svd', arrays, 'mu', 'Float64Array', 1, 'the global mean');
  const bu = takeArray('svd', arrays, 'bu', 'Float64Array', nUsers, `${nUsers} users`);
  const bi = takeArray('svd', arrays, 'bi', 'Float64Array', nMovies, `${nMovies} movies`);
  const pu = takeArray('svd', arrays, 'pu', 'Float32Array', nUsers * k, `${nUsers} users × ${k} factors`);
  const qi = takeArray('svd', arrays, 'qi', 'Float64Array', nMovies * k, `${nMovies} movies × ${k} factors`);
  return svdModel(shape, k, mu, bu, bi, pu, qi);
}

/** Biased matrix factorisation by SGD, Surprise's `SVD`. */
export const svdAlgorithm: AlgorithmSpec<SvdParams> = {
  name: 'svd',
  paramsSchema: SvdParamsSchema,
  fit: fitSvd,
  restore: restoreSvd,
};
