import type { TestSet, TrainSet } from '../data/train-set.js';
import { Rng } from '../models/rng.js';
import { smallTestSet, smallTrainSet, type SmallEntry } from './small-train-set.js';

export interface LowRankOptions {
  readonly users: number;
  readonly movies: number;
  /** Rank of the planted taste matrix. */
  readonly rank: number;
  /** Distinct movies each user rates; the last `heldOut` of them go to the test set. */
  readonly perUser: number;
  readonly heldOut: number;
  /** Standard deviation of the rating noise. */
  readonly noise: number;
  readonly seed: number;
}

/**
 * A seeded explicit-feedback problem with planted structure:
 * r_ui = clip(3 + a_u + b_i + U_uᵀV_i + ε, 1, 5) with biases ~ N(0, 0.4²),
 * U, V ~ N(0, 0.6²) of rank `rank` and ε ~ N(0, noise²). A factor model that
 * learns the structure beats the global mean by far on the held-out ratings.
 */
export function syntheticLowRank(options: LowRankOptions): { train: TrainSet; test: TestSet } {
  const { users, movies, rank, perUser, heldOut, noise, seed } = options;
  const rng = new Rng(seed);
  const a = Float64Array.from({ length: users }, () => rng.normal(0, 0.4));
  const b = Float64Array.from({ length: movies }, () => rng.normal(0, 0.4));
  const U = Float64Array.from({ length: users * rank }, () => rng.normal(0, 0.6));
  const V = Float64Array.from({ length: movies * rank }, () => rng.normal(0, 0.6));
  const order = Int32Array.from({ length: movies }, (_, i) => i);
  const train: SmallEntry[] = [];
  const test: SmallEntry[] = [];
  for (let u = 0; u < users; u++) {
    rng.shuffle(order);
    for (let n = 0; n < perUser; n++) {
      const i = order[n];
      let r = 3 + a[u] + b[i] + rng.normal(0, noise);
      for (let f = 0; f < rank; f++) r += U[u * rank + f] * V[i * rank + f];
      const entry: SmallEntry = [u, i, Math.min(5, Math.max(1, r))];
      (n < perUser - heldOut ? train : test).push(entry);
    }
  }
  return { train: smallTrainSet(users, movies, train), test: smallTestSet(test) };
}
