import { InvalidArgumentError } from '../errors.js';
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
 * μ + b_u for an unknown movie, μ when both are unknown.
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
  /** Scratch: the user vector being scored, as doubles. */
  private readonly x: Float64Array;

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
    this.x = new Float64Array(parts.k);
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
   * Unclipped estimates μ + b_u + b_i + q_iᵀx_u for every movie into `out`.
   * An unknown user gets μ + b_i (the bias-only ranking). x_u is copied to a
   * double scratch row once, then four movies share each load of x_u[f] in a
   * tight pass over the flat q_i array.
   */
  scoreAll(u: number, out: Float32Array): void {
    const { k, bi, qi, userVec, x } = this;
    const nMovies = this.shape.nMovies;
    if (out.length < nMovies) {
      throw new InvalidArgumentError(`${this.algorithm}.scoreAll: out has ${out.length} slots, needs ${nMovies}`);
    }
    if (!this.knownUser(u)) {
      for (let i = 0; i < nMovies; i++) out[i] = this.mu + bi[i];
      return;
    }
    const base = this.mu + this.bu[u];
    const uo = u * k;
    for (let f = 0; f < k; f++) x[f] = userVec[uo + f];
    let i = 0;
    let io = 0;
    for (; i + 3 < nMovies; i += 4, io += 4 * k) {
      const o1 = io + k;
      const o2 = o1 + k;
      const o3 = o2 + k;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      for (let f = 0; f < k; f++) {
        const xf = x[f];
        d0 += qi[io + f] * xf;
        d1 += qi[o1 + f] * xf;
        d2 += qi[o2 + f] * xf;
        d3 += qi[o3 + f] * xf;
      }
      out[i] = base + bi[i] + d0;
      out[i + 1] = base + bi[i + 1] + d1;
      out[i + 2] = base + bi[i + 2] + d2;
      out[i + 3] = base + bi[i + 3] + d3;
    }
    for (; i < nMovies; i++, io += k) {
      let d0 = 0;
      for (let f = 0; f < k; f++) d0 += qi[io + f] * x[f];
      out[i] = base + bi[i] + d0;
    }
  }

  /** The named parameter arrays (shared with the model: do not mutate). */
  parameters(): ParamArrays {
    return { ...this.named };
  }
}
