import type { Csr } from '../data/csr.js';

/** The parameters one SVD++ epoch updates in place, and its scratch rows. */
export interface SvdppState {
  /** Number of latent factors k. */
  readonly k: number;
  /** Global mean μ (fixed). */
  readonly mu: number;
  /** User biases b_u (nUsers). */
  readonly bu: Float64Array;
  /** Movie biases b_i (nMovies). */
  readonly bi: Float64Array;
  /** User factors p_u, nUsers × k row-major. */
  readonly pu: Float32Array;
  /** Movie factors q_i, nMovies × k row-major. */
  readonly qi: Float64Array;
  /** Implicit movie factors y_j, nMovies × k row-major. */
  readonly yj: Float64Array;
  /** Scratch of k doubles each: p_u, Σ_{j∈N(u)} y_j, and the shared y_j offset. */
  readonly p: Float64Array;
  readonly ySum: Float64Array;
  readonly yShift: Float64Array;
}

/**
 * One SGD pass of SVD++ over every rating, user by user in CSR order (as
 * Surprise's `SVDpp.fit`). With s = |N(u)|^-½ and N(u) = row u of
 * `implicit`, for each rating r_ui:
 *
 *   e_ui = r_ui − (μ + b_u + b_i + q_iᵀ(p_u + s Σ_{j∈N(u)} y_j))
 *   b_u ← b_u + γ (e_ui − λ b_u)
 *   b_i ← b_i + γ (e_ui − λ b_i)
 *   p_u ← p_u + γ (e_ui q_i − λ p_u)
 *   q_i ← q_i + γ (e_ui (p_u + s Σ_j y_j) − λ q_i)
 *   y_j ← y_j + γ (e_ui s q_i − λ y_j)     for every j ∈ N(u)
 *
 * (old p_u and q_i on the right-hand sides), from Koren, "Factorization meets
 * the neighborhood: a multifaceted collaborative filtering model", KDD 2008,
 * eq. 15, and Surprise's `SVDpp.fit`.
 *
 * Surprise rebuilds Σ y_j and touches every y_j for every rating:
 * O(|R(u)|·|N(u)|·k) per user. The y_j update is the same affine map for
 * every j ∈ N(u), y_j ← a y_j + c with a = 1 − γλ and c = γ e_ui s q_i, so
 * after the user's ratings y_j = A y_j + C for all of them, where A = Π a and
 * C composes the c's; and Σ_j y_j follows the same map: Σ ← a Σ + |N(u)| c.
 * This kernel therefore sums y_j once per user, carries Σ, A and C through
 * the user's ratings in O(k) each, and applies y_j ← A y_j + C once per user:
 * O((|R(u)| + |N(u)|)·k), the same updates as Surprise's up to rounding.
 * Nothing is allocated. Returns the sum of squared errors of the pass.
 */
export function svdppEpoch(ratings: Csr, implicit: Csr, state: SvdppState, lr: number, reg: number): number {
  const { indptr, indices, values, nRows } = ratings;
  const nPtr = implicit.indptr;
  const nIdx = implicit.indices;
  const { k, mu, bu, bi, pu, qi, yj, p, ySum, yShift } = state;
  const a = 1 - lr * reg;
  let sse = 0;
  for (let u = 0; u < nRows; u++) {
    const start = indptr[u];
    const end = indptr[u + 1];
    if (start === end) continue;
    const nStart = nPtr[u];
    const nEnd = nPtr[u + 1];
    const nU = nEnd - nStart;
    const s = nU > 0 ? 1 / Math.sqrt(nU) : 0;
    const uo = u * k;
    for (let f = 0; f < k; f++) {
      p[f] = pu[uo + f];
      ySum[f] = 0;
      yShift[f] = 0;
    }
    for (let at = nStart; at < nEnd; at++) {
      const jo = nIdx[at] * k;
      for (let f = 0; f < k; f++) ySum[f] += yj[jo + f];
    }
    let scale = 1;
    let bu_u = bu[u];
    for (let at = start; at < end; at++) {
      const i = indices[at];
      const io = i * k;
      let dot = 0;
      for (let f = 0; f < k; f++) dot += qi[io + f] * (p[f] + s * ySum[f]);
      const bi_i = bi[i];
      const err = values[at] - (mu + bu_u + bi_i + dot);
      sse += err * err;
      bu_u += lr * (err - reg * bu_u);
      bi[i] = bi_i + lr * (err - reg * bi_i);
      const gy = lr * err * s;
      for (let f = 0; f < k; f++) {
        const puf = p[f];
        const qif = qi[io + f];
        const sumf = ySum[f];
        p[f] = puf + lr * (err * qif - reg * puf);
        qi[io + f] = qif + lr * (err * (puf + s * sumf) - reg * qif);
        const c = gy * qif;
        ySum[f] = a * sumf + nU * c;
        yShift[f] = a * yShift[f] + c;
      }
      scale *= a;
    }
    bu[u] = bu_u;
    for (let f = 0; f < k; f++) pu[uo + f] = p[f];
    for (let at = nStart; at < nEnd; at++) {
      const jo = nIdx[at] * k;
      for (let f = 0; f < k; f++) yj[jo + f] = scale * yj[jo + f] + yShift[f];
    }
  }
  return sse;
}

/**
 * The implicit term of every user, s Σ_{j∈N(u)} y_j with s = |N(u)|^-½
 * (zero for a user with no implicit feedback), nUsers × k row-major, so that
 * serving never needs N(u).
 */
export function implicitTerms(implicit: Csr, yj: Float64Array, k: number): Float32Array {
  const { indptr, indices, nRows } = implicit;
  const out = new Float32Array(nRows * k);
  const sum = new Float64Array(k);
  for (let u = 0; u < nRows; u++) {
    const nStart = indptr[u];
    const nEnd = indptr[u + 1];
    if (nStart === nEnd) continue;
    sum.fill(0);
    for (let at = nStart; at < nEnd; at++) {
      const jo = indices[at] * k;
      for (let f = 0; f < k; f++) sum[f] += yj[jo + f];
    }
    const s = 1 / Math.sqrt(nEnd - nStart);
    const uo = u * k;
    for (let f = 0; f < k; f++) out[uo + f] = s * sum[f];
  }
  return out;
}
