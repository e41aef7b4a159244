import type { z } from 'zod';
import { nnz } from '../data/csr.js';
import type { TrainSet } from '../data/train-set.js';
import type { AlgorithmSpec, FitOptions, Model, ModelShape, ParamArrays } from './model.js';
import { Rng } from './rng.js';
import { epochRmse, requireFiniteLoss, requireRatings } from './sgd-checks.js';
import { fillNormal } from './sgd-init.js';
import { parseParams } from './parse-params.js';
import { sgdParamsSchema } from './sgd-params.js';
import { implicitTerms, svdppEpoch } from './sgd-svdpp-epoch.js';
import { checkShape, takeArray } from './param-arrays.js';
import { FactorModel } from './svd-model.js';

/**
 * SVD++ hyper-parameters with Surprise's defaults: 20 factors, 20 epochs,
 * lr 0.007, reg 0.02, initial factors N(0, 0.1²).
 */
export const SvdppParamsSchema = sgdParamsSchema({ factors: 20, epochs: 20, lr: 0.007, reg: 0.02, initSd: 0.1, seed: 42 });
export type SvdppParams = z.infer<typeof SvdppParamsSchema>;

interface SvdppArrays {
  readonly mu: Float64Array;
  readonly bu: Float64Array;
  readonly bi: Float64Array;
  readonly pu: Float32Array;
  readonly qi: Float64Array;
  readonly yj: Float64Array;
  /** |N(u)|^-½ Σ_{j∈N(u)} y_j per user, nUsers × k. */
  readonly puImplicit: Float32Array;
}

/** Serve x_u = p_u + |N(u)|^-½ Σ y_j, summed once here rather than per prediction. */
function svdppModel(shape: ModelShape, k: number, arrays: SvdppArrays): Model {
  const { mu, bu, bi, pu, qi, yj, puImplicit } = arrays;
  const userVec = new Float32Array(pu.length);
  for (let n = 0; n < pu.length; n++) userVec[n] = pu[n] + puImplicit[n];
  const named = { mu, bu, bi, pu, qi, yj, puImplicit };
  return new FactorModel({ algorithm: 'svdpp', shape, k, mu: mu[0], bu, bi, userVec, qi, named });
}

/**
 * Fit SVD++ by SGD (see `svdppEpoch` for the update equations and the
 * once-per-user implicit sum): b_u, b_i start at 0; p_u, q_i, then y_j are
 * drawn from N(0, initSd²) with the seeded Rng. N(u) is row u of
 * `train.implicit`, every movie the user rated or watched. The same seed and
 * data give bit-identical parameters.
 */
export async function fitSvdpp(train: TrainSet, rawParams: SvdppParams, options: FitOptions = {}): Promise<Model> {
  const params = parseParams('svdpp', SvdppParamsSchema, rawParams);
  requireRatings('svdpp', train);
  const { factors: k, epochs, lr, reg, initSd, seed } = params;
  const { nUsers, nMovies } = train;
  const rng = new Rng(seed);
  const mu = Float64Array.of(train.globalMean);
  const bu = new Float64Array(nUsers);
  const bi = new Float64Array(nMovies);
  const pu = fillNormal(rng, new Float32Array(nUsers * k), initSd);
  const qi = fillNormal(rng, new Float64Array(nMovies * k), initSd);
  const yj = fillNormal(rng, new Float64Array(nMovies * k), initSd);
  const state = {
    k,
    mu: mu[0],
    bu,
    bi,
    pu,
    qi,
    yj,
    p: new Float64Array(k),
    ySum: new Float64Array(k),
    yShift: new Float64Array(k),
  };
  const count = nnz(train.ratings);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const loss = epochRmse(svdppEpoch(train.ratings, train.implicit, state, lr, reg), count);
    requireFiniteLoss('svdpp', loss, epoch, lr);
    options.onEpoch?.({ epoch, epochs, loss });
  }
  const puImplicit = implicitTerms(train.implicit, yj, k);
  return svdppModel({ nUsers, nMovies, scale: train.scale }, k, { mu, bu, bi, pu, qi, yj, puImplicit });
}

/** Rebuild a fitted SVD++ from its named arrays `mu bu bi pu qi yj puImplicit`. */
export function restoreSvdpp(rawParams: SvdppParams, arrays: ParamArrays, shape: ModelShape): Model {
  const { factors: k } = parseParams('svdpp', SvdppParamsSchema, rawParams);
  checkShape('svdpp', shape);
  const { nUsers, nMovies } = shape;
  const users = `${nUsers} users × ${k} factors`;
  const movies = `${nMovies} movies × ${k} factors`;
  return svdppModel(shape, k, {
    mu: takeArray('svdpp', arrays, 'mu', 'Float64Array', 1, 'the global mean'),
    bu: takeArray('svdpp', arrays, 'bu', 'Float64Array', nUsers, `${nUsers} users`),
    bi: takeArray('svdpp', arrays, 'bi', 'Float64Array', nMovies, `${nMovies} movies`),
    pu: takeArray('svdpp', arrays, 'pu', 'Float32Array', nUsers * k, users),
    qi: takeArray('svdpp', arrays, 'qi', 'Float64Array', nMovies * k, movies),
    yj: takeArray('svdpp', arrays, 'yj', 'Float64Array', nMovies * k, movies),
    puImplicit: takeArray('svdpp', arrays, 'puImplicit', 'Float32Array', nUsers * k, users),
  });
}

/** SVD++ (Koren 2008) by SGD, Surprise's `SVDpp`, with the implicit sum once per user. */
export const svdppAlgorithm: AlgorithmSpec<SvdppParams> = {
  name: 'svdpp',
  paramsSchema: SvdppParamsSchema,
  fit: fitSvdpp,
  restore: restoreSvdpp,
};
