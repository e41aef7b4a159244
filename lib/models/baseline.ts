import { z } from 'zod';
import { transpose, type Csr } from '../data/csr.js';
import type { RatingScale } from '../data/records.js';
import type { TrainSet } from '../data/train-set.js';
import type { AlgorithmSpec, FitOptions, Model, ModelShape, ParamArrays } from './model.js';
import { parseParams } from './parse-params.js';
import { checkShape, takeArray } from './param-arrays.js';

/** Hyper-parameters (Surprise's `bsl_options` names in parentheses); unknown keys are stripped so the registry can name them. */
export const BaselineParamsSchema = z.object({
  /** Alternating sweeps over items then users (n_epochs). */
  epochs: z
    .number({ error: 'epochs must be a number' })
    .int('epochs must be a whole number')
    .min(1, 'epochs must be at least 1')
    .max(10_000, 'epochs must be at most 10000')
    .default(10),
  /** λ_u, the user-bias regularisation (reg_u). */
  regUser: z.number({ error: 'regUser must be a finite number' }).min(0, 'regUser must not be negative').default(15),
  /** λ_i, the item-bias regularisation (reg_i). */
  regItem: z.number({ error: 'regItem must be a finite number' }).min(0, 'regItem must not be negative').default(10),
});
export type BaselineParams = z.infer<typeof BaselineParamsSchema>;

/**
 * The baseline predictor r̂_ui = μ + b_u + b_i (Koren 2010, "Factor in the
 * neighbors", §2.1). An unknown user drops b_u, an unknown movie drops b_i;
 * estimates are clipped to the scale. When the train set has no ratings μ is
 * the middle of the scale.
 */
export class BaselineModel implements Model {
  readonly algorithm = 'baseline' as const;
  readonly predictsRatings = true;

  constructor(
    readonly shape: ModelShape,
    private readonly mu: number,
    private readonly bu: Float64Array,
    private readonly bi: Float64Array,
  ) {}

  predict(u: number, i: number): number {
    let r = this.mu;
    if (Number.isInteger(u) && u >= 0 && u < this.shape.nUsers) r += this.bu[u];
    if (Number.isInteger(i) && i >= 0 && i < this.shape.nMovies) r += this.bi[i];
    return clip(r, this.shape.scale);
  }

  /** μ + b_u + b_i unclipped, so clipping does not turn differences into ties. */
  scoreAll(u: number, out: Float32Array): void {
    const base = this.mu + (Number.isInteger(u) && u >= 0 && u < this.shape.nUsers ? this.bu[u] : 0);
    for (let i = 0; i < this.shape.nMovies; i++) out[i] = base + this.bi[i];
  }

  parameters(): ParamArrays {
    return { mu: Float64Array.of(this.mu), bu: this.bu, bi: this.bi };
  }
}

function clip(r: number, scale: RatingScale): number {
  return r < scale.min ? scale.min : r > scale.max ? scale.max : r;
}

/**
 * One alternating least-squares sweep, items first then users, as Surprise's
 * `BaselineOnly` with `method: 'als'` (Koren 2010, eq. 2–3):
 *
 *   b_i ← Σ_{u∈R(i)} (r_ui − μ − b_u) / (λ_i + |R(i)|)
 *   b_u ← Σ_{i∈R(u)} (r_ui − μ − b_i) / (λ_u + |R(u)|)
 *
 * `byUser` holds the ratings by user (rows = users), `byItem` its transpose.
 */
export function baselineSweep(
  byUser: Csr,
  byItem: Csr,
  mu: number,
  bu: Float64Array,
  bi: Float64Array,
  params: BaselineParams,
): void {
  for (let i = 0; i < byItem.nRows; i++) {
    let dev = 0;
    const start = byItem.indptr[i];
    const end = byItem.indptr[i + 1];
    for (let p = start; p < end; p++) dev += byItem.values[p] - mu - bu[byItem.indices[p]];
    bi[i] = end > start || params.regItem > 0 ? dev / (params.regItem + (end - start)) : 0;
  }
  for (let u = 0; u < byUser.nRows; u++) {
    let dev = 0;
    const start = byUser.indptr[u];
    const end = byUser.indptr[u + 1];
    for (let p = start; p < end; p++) dev += byUser.values[p] - mu - bi[byUser.indices[p]];
    bu[u] = end > start || params.regUser > 0 ? dev / (params.regUser + (end - start)) : 0;
  }
}

/** RMSE of μ + b_u + b_i (unclipped) over the training ratings; NaN when there are none. */
function trainingRmse(byUser: Csr, mu: number, bu: Float64Array, bi: Float64Array): number {
  let sum = 0;
  for (let u = 0; u < byUser.nRows; u++) {
    for (let p = byUser.indptr[u]; p < byUser.indptr[u + 1]; p++) {
      const e = byUser.values[p] - mu - bu[u] - bi[byUser.indices[p]];
      sum += e * e;
    }
  }
  const n = byUser.indptr[byUser.nRows];
  return n > 0 ? Math.sqrt(sum / n) : Number.NaN;
}

export const baselineAlgorithm: AlgorithmSpec<BaselineParams> = {
  name: 'baseline',
  paramsSchema: BaselineParamsSchema,
  async fit(train: TrainSet, rawParams: BaselineParams, options: FitOptions = {}): Promise<Model> {
    const params = parseParams('baseline', BaselineParamsSchema, rawParams);
    const { nUsers, nMovies, ratings, scale } = train;
    const mu = Number.isNaN(train.globalMean) ? (scale.min + scale.max) / 2 : train.globalMean;
    const bu = new Float64Array(nUsers);
    const bi = new Float64Array(nMovies);
    const byItem = transpose(ratings);
    for (let epoch = 1; epoch <= params.epochs; epoch++) {
      baselineSweep(ratings, byItem, mu, bu, bi, params);
      options.onEpoch?.({ epoch, epochs: params.epochs, loss: trainingRmse(ratings, mu, bu, bi) });
    }
    return new BaselineModel({ nUsers, nMovies, scale }, mu, bu, bi);
  },
  restore(_params: BaselineParams, arrays: ParamArrays, shape: ModelShape): Model {
    checkShape('baseline', shape);
    const mu = takeArray('baseline', arrays, 'mu', 'Float64Array', 1, 'the global mean');
    const bu = takeArray('baseline', arrays, 'bu', 'Float64Array', shape.nUsers, 'one bias per user');
    const bi = takeArray('baseline', arrays, 'bi', 'Float64Array', shape.nMovies, 'one bias per movie');
    return new BaselineModel(shape, mu[0], bu, bi);
  },
};
