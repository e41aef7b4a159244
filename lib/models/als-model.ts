import { FactorScorer } from './factor-scorer.js';
import type { Model, ModelShape, ParamArrays } from './model.js';

/**
 * A fitted implicit-ALS model: user factors x_u and movie factors y_i, k
 * each, row-major in flat Float32Arrays. It ranks "will u watch i" and does
 * not estimate ratings: `predict` returns the preference score x_uᵀy_i
 * (roughly 0 … 1, not clipped to the rating scale), 0 when the user or the
 * movie is unknown.
 */
export class AlsModel implements Model {
  readonly algorithm = 'als' as const;
  readonly predictsRatings = false;
  /** y_i in WebAssembly memory and the SIMD kernel, for `scoreAll`. */
  private readonly scorer: FactorScorer;

  constructor(
    readonly shape: ModelShape,
    readonly k: number,
    private readonly x: Float32Array,
    private readonly y: Float32Array,
  ) {
    this.scorer = new FactorScorer(y, undefined, k, shape.nMovies);
  }

  predict(u: number, i: number): number {
    if (!this.knowsUser(u) || !(Number.isInteger(i) && i >= 0 && i < this.shape.nMovies)) return 0;
    const { k, x, y } = this;
    const xu = u * k;
    const yi = i * k;
    let s = 0;
    for (let f = 0; f < k; f++) s += x[xu + f] * y[yi + f];
    return s;
  }

  /**
   * x_uᵀy_i for every movie (all 0 for an unknown user), by the float32 SIMD
   * kernel of `FactorScorer`: `predict` up to float32 rounding.
   */
  scoreAll(u: number, out: Float32Array): void {
    const n = this.shape.nMovies;
    if (!this.knowsUser(u)) {
      out.fill(0, 0, n);
      return;
    }
    this.scorer.scoreAll(this.x, u, 0, out);
  }

  parameters(): ParamArrays {
    return { userFactors: this.x, itemFactors: this.y };
  }

  private knowsUser(u: number): boolean {
    return Number.isInteger(u) && u >= 0 && u < this.shape.nUsers;
  }
}
