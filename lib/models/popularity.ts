import { z } from 'zod';
import type { Csr } from '../data/csr.js';
import type { RatingScale } from '../data/records.js';
import type { TrainSet } from '../data/train-set.js';
import type { AlgorithmSpec, FitOptions, Model, ModelShape, ParamArrays } from './model.js';
import { parseParams } from './parse-params.js';
import { checkShape, takeArray } from './param-arrays.js';

/** Hyper-parameters; unknown keys are stripped so the registry can name them. */
export const PopularityParamsSchema = z.object({
  /** β: how many pseudo-ratings at the global mean pull a movie's mean toward μ. */
  shrinkage: z
    .number({ error: 'shrinkage must be a finite number' })
    .min(0, 'shrinkage must be ≥ 0 (0 = the plain movie mean)')
    .default(10),
});
export type PopularityParams = z.infer<typeof PopularityParamsSchema>;

/**
 * Every movie index, most interacted-with first: column counts of the
 * implicit matrix (how many users watched or rated each movie), ties broken
 * by the lower index.
 */
export function popularityRanking(implicit: Csr): Int32Array {
  return rankByCount(columnCounts(implicit));
}

function columnCounts(m: Csr): Float64Array {
  const counts = new Float64Array(m.nCols);
  const end = m.indptr[m.nRows];
  for (let p = 0; p < end; p++) counts[m.indices[p]]++;
  return counts;
}

function rankByCount(counts: Float64Array): Int32Array {
  const order = new Int32Array(counts.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => counts[b] - counts[a] || a - b);
}

/**
 * The popularity model: ranks every user's movies by how many users
 * interacted with them, and so is the fallback for users nobody knows.
 *
 * Its rating estimate for movie i is the movie's mean rating shrunk toward
 * the global mean μ by β pseudo-ratings,
 *
 *   r̂_i = (Σ_{u∈R(i)} r_ui + β·μ) / (|R(i)| + β),
 *
 * clipped to the scale; it is μ for an unknown or never-rated movie, and
 * ignores the user. When the train set has no ratings μ is the middle of the
 * scale.
 */
export class PopularityModel implements Model {
  readonly algorithm = 'popularity' as const;
  readonly predictsRatings = true;
  /** Every movie index, most popular first. */
  readonly ranking: Int32Array;

  constructor(
    readonly shape: ModelShape,
    private readonly counts: Float64Array,
    private readonly estimate: Float64Array,
    private readonly mu: number,
  ) {
    this.ranking = rankByCount(counts);
  }

  predict(_u: number, i: number): number {
    const known = Number.isInteger(i) && i >= 0 && i < this.shape.nMovies;
    return clip(known ? this.estimate[i] : this.mu, this.shape.scale);
  }

  /** The interaction count of every movie (the user does not matter). */
  scoreAll(_u: number, out: Float32Array): void {
    for (let i = 0; i < this.shape.nMovies; i++) out[i] = this.counts[i];
  }

  parameters(): ParamArrays {
    return { counts: this.counts, estimate: this.estimate, mu: Float64Array.of(this.mu) };
  }
}

function clip(r: number, scale: RatingScale): number {
  return r < scale.min ? scale.min : r > scale.max ? scale.max : r;
}

function fitPopularity(train: TrainSet, params: PopularityParams): PopularityModel {
  const { nUsers, nMovies, ratings, scale } = train;
  const mu = Number.isNaN(train.globalMean) ? (scale.min + scale.max) / 2 : train.globalMean;
  const beta = params.shrinkage;
  const sums = new Float64Array(nMovies);
  const rated = new Float64Array(nMovies);
  const end = ratings.indptr[ratings.nRows];
  for (let p = 0; p < end; p++) {
    const i = ratings.indices[p];
    sums[i] += ratings.values[p];
    rated[i]++;
  }
  const estimate = new Float64Array(nMovies);
  for (let i = 0; i < nMovies; i++) {
    const weight = rated[i] + beta;
    estimate[i] = weight > 0 ? (sums[i] + beta * mu) / weight : mu;
  }
  return new PopularityModel({ nUsers, nMovies, scale }, columnCounts(train.implicit), estimate, mu);
}

/** Training RMSE of the clipped estimates. */
function trainingRmse(model: PopularityModel, ratings: Csr): number {
  let sum = 0;
  const end = ratings.indptr[ratings.nRows];
  for (let p = 0; p < end; p++) {
    const e = model.predict(0, ratings.indices[p]) - ratings.values[p];
    sum += e * e;
  }
  return end > 0 ? Math.sqrt(sum / end) : Number.NaN;
}

export const popularityAlgorithm: AlgorithmSpec<PopularityParams> = {
  name: 'popularity',
  paramsSchema: PopularityParamsSchema,
  async fit(train: TrainSet, rawParams: PopularityParams, options: FitOptions = {}): Promise<Model> {
    const model = fitPopularity(train, parseParams('popularity', PopularityParamsSchema, rawParams));
    options.onEpoch?.({ epoch: 1, epochs: 1, loss: trainingRmse(model, train.ratings) });
    return model;
  },
  restore(_params: PopularityParams, arrays: ParamArrays, shape: ModelShape): Model {
    checkShape('popularity', shape);
    const counts = takeArray('popularity', arrays, 'counts', 'Float64Array', shape.nMovies, 'one count per movie');
    const estimate = takeArray('popularity', arrays, 'estimate', 'Float64Array', shape.nMovies, 'one estimate per movie');
    const mu = takeArray('popularity', arrays, 'mu', 'Float64Array', 1, 'the global mean');
    return new PopularityModel(shape, counts, estimate, mu[0]);
  },
};
