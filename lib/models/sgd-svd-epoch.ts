import type { Csr } from '../data/csr.js';
import { SVD_EPOCH_WASM } from './wasm/svd-epoch.wasm.js';
import { compileWasm, instantiateWasm, MemoryPlan } from './wasm/wasm-memory.js';

/** The kernel's export: one epoch over the arrays at the given byte offsets; returns Σ e_ui². */
type SvdEpochExport = (
  nUsers: number,
  k: number,
  mu: number,
  lr: number,
  reg: number,
  indptr: number,
  indices: number,
  values: number,
  bu: number,
  bi: number,
  pu: number,
  qi: number,
  p: number,
) => number;

function isSvdEpochExport(f: unknown): f is SvdEpochExport {
  return typeof f === 'function' && f.length === 13;
}

let compiled: WebAssembly.Module | undefined;

/**
 * Stochastic-gradient passes of biased matrix factorisation over every rating,
 * user by user in CSR order (Surprise's `trainset.all_ratings()` order: no
 * shuffle). For each rating r_ui:
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
 * The pass runs in a hand-written WebAssembly SIMD kernel
 * (`wasm/svd-epoch.wat`, f64x2): 3.6× the speed of the best plain
 * JavaScript loop on ML-100k, 1.7× at course scale where p_u streams from
 * memory. WebAssembly SIMD is always there in the Node versions this project
 * supports, so there is no JavaScript fallback. The kernel keeps p_u
 * and b_u in a double scratch row while it processes the user's ratings and
 * writes them back once per user (p_u rounded to f32); writes the factor
 * updates as p ← d p + g q and q ← d q + g p with d = 1 − γλ, g = γ e_ui; and
 * accumulates q_jᵀp_u for the user's next rating j in the same loop, in four
 * accumulators. Its unit test checks it bit for bit against a plain
 * transcription with that summation order.
 *
 * The arrays live in one WebAssembly memory laid out once per fit, holding the
 * ratings (indptr, indices, values), b_u, b_i, p_u (f32, nUsers × k), q_i (f64,
 * nMovies × k) and the scratch row; `bu`, `bi`, `pu` and `qi` are views of it
 * (the memory never grows, so they stay valid) for the caller to initialise
 * before the first epoch and to copy out after the last.
 */
export class SvdEpochs {
  readonly bu: Float64Array;
  readonly bi: Float64Array;
  readonly pu: Float32Array;
  readonly qi: Float64Array;
  private readonly run: SvdEpochExport;
  private readonly nUsers: number;
  private readonly k: number;
  private readonly mu: number;
  private readonly at: { indptr: number; indices: number; values: number; bu: number; bi: number; pu: number; qi: number; p: number };

  /** Copy the ratings into a fresh memory; b_u, b_i, p_u, q_i start at 0. */
  constructor(ratings: Csr, k: number, mu: number) {
    const { nRows: nUsers, nCols: nMovies, indptr, indices, values } = ratings;
    const count = indptr[nUsers];
    const plan = new MemoryPlan('svd');
    this.at = {
      indptr: plan.reserve(4 * (nUsers + 1)),
      indices: plan.reserve(4 * count),
      values: plan.reserve(4 * count),
      bu: plan.reserve(8 * nUsers),
      bi: plan.reserve(8 * nMovies),
      pu: plan.reserve(4 * nUsers * k),
      qi: plan.reserve(8 * nMovies * k),
      p: plan.reserve(8 * k),
    };
    const memory = plan.allocate();
    const { buffer } = memory;
    const at = this.at;
    new Int32Array(buffer, at.indptr, nUsers + 1).set(indptr.subarray(0, nUsers + 1));
    new Int32Array(buffer, at.indices, count).set(indices.subarray(0, count));
    new Float32Array(buffer, at.values, count).set(values.subarray(0, count));
    this.bu = new Float64Array(buffer, at.bu, nUsers);
    this.bi = new Float64Array(buffer, at.bi, nMovies);
    this.pu = new Float32Array(buffer, at.pu, nUsers * k);
    this.qi = new Float64Array(buffer, at.qi, nMovies * k);
    compiled ??= compileWasm(SVD_EPOCH_WASM);
    const run = instantiateWasm(compiled, memory).svdEpoch;
    if (!isSvdEpochExport(run)) throw new Error('svd-epoch.wasm does not export svdEpoch(13 parameters)');
    this.run = run;
    this.nUsers = nUsers;
    this.k = k;
    this.mu = mu;
  }

  /** One pass over every rating with γ = `lr`, λ = `reg`; returns the sum of squared errors e_ui² seen. */
  epoch(lr: number, reg: number): number {
    const { at } = this;
    return this.run(this.nUsers, this.k, this.mu, lr, reg, at.indptr, at.indices, at.values, at.bu, at.bi, at.pu, at.qi, at.p);
  }
}
