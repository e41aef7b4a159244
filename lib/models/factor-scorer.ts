import { InvalidArgumentError } from '../errors.js';
import { SCORE_ALL_WASM } from './wasm/score-all.wasm.js';
import { compileWasm, instantiateWasm, MemoryPlan } from './wasm/wasm-memory.js';

/** The kernel's export: scores for `nMovies` (a multiple of 4) movies at the given byte offsets. */
type ScoreAllExport = (nMovies: number, k: number, base: number, x: number, qi: number, bi: number, out: number) => void;

function isScoreAllExport(f: unknown): f is ScoreAllExport {
  return typeof f === 'function' && f.length === 7;
}

let compiled: WebAssembly.Module | undefined;

const roundUp4 = (n: number): number => Math.ceil(n / 4) * 4;

/**
 * Ranking scores of every movie for one user of a factor model,
 *
 *   s_i = f32((base + b_i) + q_iᵀx),
 *
 * from a float32 serving copy of the movie factors q_i (nMovies × k), made
 * once here: half the memory traffic of the float64 parameters, read by a
 * hand-written WebAssembly SIMD kernel (`wasm/score-all.wat`, f32x4). The
 * dot product is taken in float32: four lanes, lane l summing the factors
 * f ≡ l (mod 4) in order, then (lane 0 + lane 2) + (lane 1 + lane 3); the
 * biases are added in float64 and the score rounded to float32 once.
 * The unit test holds the kernel bit for bit to that arithmetic written
 * plainly. A score is the double-precision estimate up to float32 rounding
 * (within 5·10⁻⁷ of it for SVD and SVD++ on the five ML-100k folds), so
 * rankings agree except between movies whose estimates are that close.
 *
 * One WebAssembly memory holds x (k float32s), the q_i copy, b_i (float64)
 * and the scores, with k and nMovies padded to multiples of 4 by zeros.
 * `bytes` is its size: the memory the serving copy adds. Not reentrant.
 */
export class FactorScorer {
  /** Bytes of WebAssembly memory this scorer holds. */
  readonly bytes: number;
  private readonly run: ScoreAllExport;
  private readonly k: number;
  private readonly at: { readonly x: number; readonly qi: number; readonly bi: number; readonly out: number };
  private readonly x: Float32Array;
  private readonly scores: Float32Array;
  private readonly paddedMovies: number;
  private readonly paddedK: number;

  /**
   * @param qi movie factors, nMovies × k row-major (copied, rounded to float32)
   * @param bi movie biases (copied), or undefined for none
   */
  constructor(qi: Float32Array | Float64Array, bi: Float64Array | undefined, k: number, nMovies: number) {
    if (!Number.isSafeInteger(k) || k < 1 || qi.length !== nMovies * k || (bi !== undefined && bi.length !== nMovies)) {
      throw new InvalidArgumentError(`FactorScorer: ${qi.length} factors and ${bi?.length ?? 'no'} biases do not fit ${nMovies} movies × ${k}`);
    }
    const paddedK = roundUp4(k);
    const paddedMovies = roundUp4(nMovies);
    const plan = new MemoryPlan('scoring');
    this.at = {
      x: plan.reserve(4 * paddedK),
      qi: plan.reserve(4 * paddedMovies * paddedK),
      bi: plan.reserve(8 * paddedMovies),
      out: plan.reserve(4 * paddedMovies),
    };
    const memory = plan.allocate();
    const { buffer } = memory;
    const q32 = new Float32Array(buffer, this.at.qi, paddedMovies * paddedK);
    if (paddedK === k) {
      q32.set(qi);
    } else {
      for (let i = 0, from = 0, to = 0; i < nMovies; i++, from += k, to += paddedK) {
        for (let f = 0; f < k; f++) q32[to + f] = qi[from + f];
      }
    }
    if (bi !== undefined) new Float64Array(buffer, this.at.bi, nMovies).set(bi);
    this.x = new Float32Array(buffer, this.at.x, paddedK);
    this.scores = new Float32Array(buffer, this.at.out, nMovies);
    compiled ??= compileWasm(SCORE_ALL_WASM);
    const run = instantiateWasm(compiled, memory).scoreAll;
    if (!isScoreAllExport(run)) throw new Error('score-all.wasm does not export scoreAll(7 parameters)');
    this.run = run;
    this.k = k;
    this.paddedK = paddedK;
    this.paddedMovies = paddedMovies;
    this.bytes = buffer.byteLength;
  }

  /** Scores for the user vector x = `users[row·k … row·k + k)` into `out[0 … nMovies)`. */
  scoreAll(users: Float32Array, row: number, base: number, out: Float32Array): void {
    const { k, x, at } = this;
    for (let f = 0, uo = row * k; f < k; f++) x[f] = users[uo + f];
    this.run(this.paddedMovies, this.paddedK, base, at.x, at.qi, at.bi, at.out);
    out.set(this.scores);
  }
}

