import { InvalidArgumentError } from '../errors.js';
import { FactorScorer } from './factor-scorer.js';
import type { Algorithm, Model, ModelShape, ParamArrays } from './model.js';

/** What a fitted biased factor model serves from. */
export interface FactorModelParts {
  readonly algorithm: Algorithm;
  readonly shape: ModelShape;
  /** Number of latent factors k. */
  readonly k: number;
  /** Global mean μ. */
  readonly mu: number;
  /** User biases b_u (nUsers). */
  readonly bu: Float64Array;
  /** Movie biases b_i (nMovies). */
  readonly bi: Float64Array;
  /**
   * The user vector the estimate dots with q_i, nUsers × k row-major: p_u for
   * SVD, p_u + |N(u)|^-½ Σ_{j∈N(u)} y_j for SVD++.
   */
  readonly userVec: Float32Array;
  /** Movie factors q_i, nMovies × k row-major. */
  readonly qi: Float64Array;
  /** The named arrays `parameters()` hands out (they rebuild this model). */
  readonly named: ParamArrays;
}

/**
 * A fitted biased matrix-factorisation model (SVD, SVD++), serving
 *
 *   r̂_ui = μ + b_u + b_i + q_iᵀ x_u
 *
 * where x_u is `userVec` row u. An unknown user or movie drops the terms that
 * need it, as Surprise's `SVD.estimate` does: μ + b_i for an unknown user,
 * μ + b_u for an unknown movie, μ when both are unknown. `predict` works in
 * doubles; `scoreAll` ranks from a float32 copy of q_i made here (see
 * `FactorScorer`; 6.9 MiB for 27k movies × 64 factors).
 */
export class FactorModel implements Model {
  readonly algorithm: Algorithm;
  readonly shape: ModelShape;
  readonly predictsRatings = true;
  private readonly k: number;
  private readonly mu: number;
  private readonly bu: Float64Array;
  private readonly bi: Float64Array;
  private readonly userVec: Float32Array;
  private readonly qi: Float64Array;
  private readonly named: ParamArrays;
  /** The float32 serving copy of q_i and its SIMD kernel, for `scoreAll`. */
  private readonly scorer: FactorScorer;

  constructor(parts: FactorModelParts) {
    this.algorithm = parts.algorithm;
    this.shape = parts.shape;
    this.k = parts.k;
    this.mu = parts.mu;
    this.bu = parts.bu;
    this.bi = parts.bi;
    this.userVec = parts.userVec;
    this.qi = parts.qi;
    this.named = parts.named;
    this.scorer = new FactorScorer(parts.qi, parts.bi, parts.k, parts.shape.nMovies);
  }

  private knownUser(u: number): boolean {
    return Number.isInteger(u) && u >= 0 && u < this.shape.nUsers;
  }

  private knownMovie(i: number): boolean {
    return Number.isInteger(i) && i >= 0 && i < this.shape.nMovies;
  }

  predict(u: number, i: number): number {
    const knownU = this.knownUser(u);
    const knownI = this.knownMovie(i);
    let est = this.mu;
    if (knownU) est += this.bu[u];
    if (knownI) est += this.bi[i];
    if (knownU && knownI) {
      const { k, userVec, qi } = this;
      const uo = u * k;
      const io = i * k;
      let dot = 0;
      for (let f = 0; f < k; f++) dot += qi[io + f] * userVec[uo + f];
      est += dot;
    }
    const { min, max } = this.shape.scale;
    return est < min ? min : est > max ? max : est;
  }

  /**
   * Estimates μ + b_u + b_i + q_iᵀx_u for every movie into `out`, unclipped
   * and from the float32 copy of q_i (see `FactorScorer`: equal to the
   * double-precision estimate up to float32 rounding). An unknown user gets
   * μ + b_i (the bias-only ranking).
   */
  scoreAll(u: number, out: Float32Array): void {
    const { bi, mu } = this;
    const nMovies = this.shape.nMovies;
    if (out.length < nMovies) {
      throw new InvalidArgumentError(`${this.algorithm}.scoreAll: out has ${out.length} slots, needs ${nMovies}`);
    }
    if (!this.knownUser(u)) {
      for (let i = 0; i < nMovies; i++) out[i] = mu + bi[i];
      return;
    }
    this.scorer.scoreAll(this.userVec, u, mu + this.bu[u], out);
  }

  /** The named parameter arrays (shared with the model: do not mutate). */
  parameters(): ParamArrays {
    return { ...this.named };
  }
}
