import type { Csr } from '../data/csr.js';

/** The parameters one SVD epoch updates in place. */
export interface SvdState {
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
  /** Movie factors q_i, nMovies × k row-major (doubles: few and hot). */
  readonly qi: Float64Array;
  /** Scratch of k doubles: the current user's p_u during the pass. */
  readonly scratch: Float64Array;
}

/**
 * One stochastic-gradient pass of biased matrix factorisation over every
 * rating, user by user in CSR order (Surprise's `trainset.all_ratings()`
 * order: no shuffle). For each rating r_ui:
 *
 *   e_ui = r_ui − (μ + b_u + b_i + q_iᵀp_u)
 *   b_u ← b_u + γ (e_ui − λ b_u)
 *   b_i ← b_i + γ (e_ui − λ b_i)
 *   p_u ← p_u + γ (e_ui q_i − λ p_u)
 *   q_i ← q_i + γ (e_ui p_u − λ q_i)      (with the p_u from before its update)
 *
 * with γ = `lr` and λ = `reg`. This is Funk's SVD with biases as in Koren,
 * Bell & Volinsky, "Matrix factorization techniques for recommender systems",
 * IEEE Computer 42(8), 2009, eq. 5, and as Surprise's `SVD.sgd`
 * (surprise/prediction_algorithms/matrix_factorization.pyx) implements it.
 *
 * Speed without changing the maths: p_u and b_u live in locals (a double
 * scratch row) while the user's ratings are processed and are written back
 * once per user; the factor updates are written p ← d p + g q and
 * q ← d q + g p with d = 1 − γλ, g = γ e_ui; and the loop that updates p_u and
 * q_i also accumulates q_jᵀp_u for the user's next rating j (read after the
 * writes, so it sees the new values), with four accumulators so that the
 * additions do not wait on each other. Nothing is allocated. Returns the sum
 * of squared errors e_ui² seen during the pass.
 */
export function svdEpoch(ratings: Csr, state: SvdState, lr: number, reg: number): number {
  const { indptr, indices, values, nRows } = ratings;
  const { k, mu, bu, bi, pu, qi, scratch: p } = state;
  const k4 = k - (k % 4);
  const d = 1 - lr * reg;
  let sse = 0;
  for (let u = 0; u < nRows; u++) {
    const start = indptr[u];
    const end = indptr[u + 1];
    if (start === end) continue;
    const uo = u * k;
    for (let f = 0; f < k; f++) p[f] = pu[uo + f];
    let bu_u = bu[u];
    let io = indices[start] * k;
    let dot = 0;
    for (let f = 0; f < k; f++) dot += qi[io + f] * p[f];
    for (let at = start; at < end; at++) {
      const i = indices[at];
      const bi_i = bi[i];
      const err = values[at] - (mu + bu_u + bi_i + dot);
      sse += err * err;
      bu_u += lr * (err - reg * bu_u);
      bi[i] = bi_i + lr * (err - reg * bi_i);
      const g = lr * err;
      // Offset of the next rating's movie (this one's after the last rating: harmless).
      const jo = at + 1 < end ? indices[at + 1] * k : io;
      let n0 = 0;
      let n1 = 0;
      let n2 = 0;
      let n3 = 0;
      let f = 0;
      for (; f < k4; f += 4) {
        const p0 = p[f];
        const p1 = p[f + 1];
        const p2 = p[f + 2];
        const p3 = p[f + 3];
        const q0 = qi[io + f];
        const q1 = qi[io + f + 1];
        const q2 = qi[io + f + 2];
        const q3 = qi[io + f + 3];
        const u0 = d * p0 + g * q0;
        const u1 = d * p1 + g * q1;
        const u2 = d * p2 + g * q2;
        const u3 = d * p3 + g * q3;
        p[f] = u0;
        p[f + 1] = u1;
        p[f + 2] = u2;
        p[f + 3] = u3;
        qi[io + f] = d * q0 + g * p0;
        qi[io + f + 1] = d * q1 + g * p1;
        qi[io + f + 2] = d * q2 + g * p2;
        qi[io + f + 3] = d * q3 + g * p3;
        n0 += qi[jo + f] * u0;
        n1 += qi[jo + f + 1] * u1;
        n2 += qi[jo + f + 2] * u2;
        n3 += qi[jo + f + 3] * u3;
      }
      for (; f < k; f++) {
        const p0 = p[f];
        const q0 = qi[io + f];
        const u0 = d * p0 + g * q0;
        p[f] = u0;
        qi[io + f] = d * q0 + g * p0;
        n0 += qi[jo + f] * u0;
      }
      dot = n0 + n1 + (n2 + n3);
      io = jo;
    }
    bu[u] = bu_u;
    for (let f = 0; f < k; f++) pu[uo + f] = p[f];
  }
  return sse;
}
