import type { Rng } from './rng.js';

/**
 * Fill `out` with draws from N(0, sd²) in index order, so a seeded `rng` gives
 * the same factors every time (Surprise's `rng.normal(init_mean,
 * init_std_dev, size)` with init_mean 0). Returns `out`.
 */
export function fillNormal<A extends Float32Array | Float64Array>(rng: Rng, out: A, sd: number): A {
  if (sd === 0) return out;
  for (let n = 0; n < out.length; n++) out[n] = rng.normal(0, sd);
  return out;
}
