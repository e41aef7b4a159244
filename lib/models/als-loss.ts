import type { Csr } from '../data/csr.js';
import { gramInto } from './als-solve.js';

/**
 * The implicit-ALS objective (Hu, Koren & Volinsky 2008, eq. 3) per observed
 * entry:
 *
 *   [ Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²) ] / nnz
 *
 * The sum runs over all user–movie pairs without visiting them: the
 * unobserved part (c = 1, p = 0) is Σ_{u,i} (x_uᵀy_i)² = ⟨XᵀX, YᵀY⟩ minus
 * the observed pairs' share, so the cost is O(nnz·k + (n_u + n_i)·k²).
 * `weights` holds c_ui − 1 on the observed entries. NaN with no entries.
 */
export function alsObjective(weights: Csr, x: Float64Array, y: Float64Array, k: number, reg: number): number {
  const nnz = weights.indptr[weights.nRows];
  if (nnz === 0) return Number.NaN;
  const gx = new Float64Array(k * k);
  const gy = new Float64Array(k * k);
  gramInto(x, weights.nRows, k, gx);
  gramInto(y, weights.nCols, k, gy);
  let all = 0;
  for (let e = 0; e < k * k; e++) all += gx[e] * gy[e];
  let observed = 0;
  for (let u = 0; u < weights.nRows; u++) {
    const xu = u * k;
    for (let p = weights.indptr[u]; p < weights.indptr[u + 1]; p++) {
      const yi = weights.indices[p] * k;
      let s = 0;
      for (let f = 0; f < k; f++) s += x[xu + f] * y[yi + f];
      observed += (1 + weights.values[p]) * (1 - s) * (1 - s) - s * s;
    }
  }
  let norms = 0;
  for (let f = 0; f < k; f++) norms += gx[f * k + f] + gy[f * k + f];
  return (all + observed + reg * norms) / nnz;
}
