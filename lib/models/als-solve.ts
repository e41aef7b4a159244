import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { Csr } from '../data/csr.js';
import { MovierecError } from '../errors.js';

/**
 * One half-step of implicit ALS (Hu, Koren & Volinsky 2008, eq. 4): with the
 * other side's factors Y fixed, every row u of `weights` gets
 *
 *   x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ YᵀC_u p(u)
 *
 * where `weights` holds c_ui − 1 on the observed entries (p_ui = 1 there,
 * C_u − I and p(u) vanish elsewhere). YᵀY is computed once per half-step, so
 * a row costs O(k²·n_u + k³) instead of O(k²·n). The k×k systems are
 * accumulated in flat buffers and solved by ml-matrix's Cholesky
 * decomposition (the matrix is symmetric positive definite for λ > 0).
 * Rows are solved in order; the result is deterministic.
 */
export class AlsHalfStep {
  private readonly gram: Float64Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly yv: Float64Array;
  private readonly lhs: Matrix;
  private readonly rhs: Matrix;

  constructor(
    private readonly k: number,
    private readonly reg: number,
  ) {
    this.gram = new Float64Array(k * k);
    this.a = new Float64Array(k * k);
    this.b = new Float64Array(k);
    this.yv = new Float64Array(k);
    this.lhs = new Matrix(k, k);
    this.rhs = new Matrix(k, 1);
  }

  /** Solve every x_u (rows of `weights`, k values each in `x`) against fixed `y`. */
  solve(weights: Csr, y: Float64Array, x: Float64Array): void {
    const { k, a, b, yv } = this;
    gramInto(y, weights.nCols, k, this.gram);
    for (let u = 0; u < weights.nRows; u++) {
      const start = weights.indptr[u];
      const end = weights.indptr[u + 1];
      const xu = u * k;
      if (start === end) {
        x.fill(0, xu, xu + k);
        continue;
      }
      a.set(this.gram);
      b.fill(0);
      for (let p = start; p < end; p++) {
        const yi = weights.indices[p] * k;
        const w = weights.values[p];
        for (let f = 0; f < k; f++) yv[f] = y[yi + f];
        for (let r = 0; r < k; r++) {
          const yr = yv[r];
          b[r] += (1 + w) * yr;
          const wyr = w * yr;
          const row = r * k;
          for (let c = r; c < k; c++) a[row + c] += wyr * yv[c];
        }
      }
      this.solveSystem(x, xu, u);
    }
  }

  /** Hand the accumulated upper triangle (+ λI) and b to ml-matrix; write x_u. */
  private solveSystem(x: Float64Array, xu: number, u: number): void {
    const { k, a, b, lhs, rhs, reg } = this;
    for (let r = 0; r < k; r++) {
      lhs.set(r, r, a[r * k + r] + reg);
      for (let c = r + 1; c < k; c++) {
        const v = a[r * k + c];
        lhs.set(r, c, v);
        lhs.set(c, r, v);
      }
      rhs.set(r, 0, b[r]);
    }
    const cholesky = new CholeskyDecomposition(lhs);
    if (!cholesky.isPositiveDefinite()) {
      throw new MovierecError(`als: the system of row ${u} is not positive definite; raise reg (λ = ${reg})`);
    }
    const solution = cholesky.solve(rhs);
    for (let r = 0; r < k; r++) x[xu + r] = solution.get(r, 0);
  }
}

/** YᵀY for n rows of k factors, into `out` (k×k, upper triangle and mirror). */
export function gramInto(y: Float64Array, n: number, k: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const yi = i * k;
    for (let r = 0; r < k; r++) {
      const yr = y[yi + r];
      if (yr === 0) continue;
      const row = r * k;
      for (let c = r; c < k; c++) out[row + c] += yr * y[yi + c];
    }
  }
  for (let r = 0; r < k; r++) for (let c = r + 1; c < k; c++) out[c * k + r] = out[r * k + c];
}
