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
  /** x_u widened to float64 once per scoreAll. */
  private readonly xu: Float64Array;

  constructor(
    readonly shape: ModelShape,
    readonly k: number,
    private readonly x: Float32Array,
    private readonly y: Float32Array,
  ) {
    this.xu = new Float64Array(k);
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
   * x_uᵀy_i for every movie (all 0 for an unknown user). Four movies share
   * each pass over x_u, so four independent sums run at once; each still adds
   * in factor order, giving exactly what `predict` gives.
   */
  scoreAll(u: number, out: Float32Array): void {
    const { k, y } = this;
    const n = this.shape.nMovies;
    if (!this.knowsUser(u)) {
      out.fill(0, 0, n);
      return;
    }
    const xu = this.xu;
    for (let f = 0; f < k; f++) xu[f] = this.x[u * k + f];
    let i = 0;
    for (let y0 = 0; i + 3 < n; i += 4, y0 += 4 * k) {
      const y1 = y0 + k;
      const y2 = y1 + k;
      const y3 = y2 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let f = 0; f < k; f++) {
        const xf = xu[f];
        s0 += xf * y[y0 + f];
        s1 += xf * y[y1 + f];
        s2 += xf * y[y2 + f];
        s3 += xf * y[y3 + f];
      }
      out[i] = s0;
      out[i + 1] = s1;
      out[i + 2] = s2;
      out[i + 3] = s3;
    }
    for (; i < n; i++) {
      let s = 0;
      for (let f = 0, yi = i * k; f < k; f++) s += xu[f] * y[yi + f];
      out[i] = s;
    }
  }

  parameters(): ParamArrays {
    return { userFactors: this.x, itemFactors: this.y };
  }

  private knowsUser(u: number): boolean {
    return Number.isInteger(u) && u >= 0 && u < this.shape.nUsers;
  }
}
