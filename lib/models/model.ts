import type { z } from 'zod';
import type { RatingScale } from '../data/records.js';
import type { TrainSet } from '../data/train-set.js';

export const ALGORITHMS = ['popularity', 'baseline', 'svd', 'svdpp', 'als'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
export function isAlgorithm(name: string): name is Algorithm {
  return (ALGORITHMS as readonly string[]).includes(name);
}

/** A named parameter array, saved as one blob in a bundle. */
export type ParamArray = Float32Array | Float64Array | Int32Array;
export type ParamArrays = Record<string, ParamArray>;

/** What a model needs besides its arrays to be rebuilt. */
export interface ModelShape {
  readonly nUsers: number;
  readonly nMovies: number;
  readonly scale: RatingScale;
}

/**
 * A fitted model. Users and movies are dense indices; an index outside
 * [0, nUsers) or [0, nMovies) is unknown.
 */
export interface Model {
  readonly algorithm: Algorithm;
  readonly shape: ModelShape;
  /** Whether `predict` estimates ratings (false for rankers such as implicit ALS). */
  readonly predictsRatings: boolean;
  /**
   * The estimated rating, clipped to the scale. For an unknown user or movie
   * the terms that need it are dropped, as Surprise does.
   */
  predict(u: number, i: number): number;
  /** Ranking scores of every movie for a known user, into `out` (length nMovies). Higher ranks first. */
  scoreAll(u: number, out: Float32Array): void;
  /** The learned parameters by name; `restore` with them rebuilds an identical model. */
  parameters(): ParamArrays;
}

export interface EpochReport {
  readonly epoch: number;
  readonly epochs: number;
  /** Training loss of the epoch (e.g. RMSE on the training ratings); NaN when not computed. */
  readonly loss: number;
}

export interface FitOptions {
  /** Called after every epoch: progress bars and logs hang off this. */
  readonly onEpoch?: (report: EpochReport) => void;
}

/** One algorithm: its hyper-parameters, how to fit it, how to rebuild it from a bundle. */
export interface AlgorithmSpec<P extends Record<string, number>> {
  readonly name: Algorithm;
  /** Validates hyper-parameters and fills defaults. */
  readonly paramsSchema: z.ZodType<P, Partial<P>>;
  fit(train: TrainSet, params: P, options?: FitOptions): Promise<Model>;
  restore(params: P, arrays: ParamArrays, shape: ModelShape): Model;
}
