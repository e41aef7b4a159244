import type { BundleInput } from '../../../lib/artifacts/write-bundle.js';
import { Rng } from '../../../lib/models/rng.js';
import type { AudienceWorld } from '../../../sim/world.js';

/**
 * TEST HELPER — SVD-shaped bundles for the simulated audience's own world,
 * so a test knows which model is better without training one:
 * - `taste`: the hidden truth itself (bu, bi, pu, qi of the world): every
 *   user's true favourites, the best list there is;
 * - `bias`: movie bias only (no factors): one list for everyone;
 * - `random`: random parameters: lists unrelated to taste.
 */
export type WorldBundleKind = 'taste' | 'bias' | 'random';

export function worldBundle(world: AudienceWorld, kind: WorldBundleKind): BundleInput {
  const { users: nUsers, movies: nMovies, truth } = world;
  const dims = truth.dims;
  const rng = new Rng(kind.length * 7919 + nUsers);
  const random = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal(0, 0.5));
  const f64 = (values: ArrayLike<number>): Float64Array => Float64Array.from(values);
  const arrays =
    kind === 'taste'
      ? { mu: new Float64Array([0]), bu: f64(truth.userBias), bi: f64(truth.movieBias), pu: truth.userFactors.slice(), qi: f64(truth.movieFactors) }
      : kind === 'bias'
        ? { mu: new Float64Array([0]), bu: f64(truth.userBias), bi: f64(truth.movieBias), pu: new Float32Array(nUsers * dims), qi: new Float64Array(nMovies * dims) }
        : { mu: new Float64Array([0]), bu: f64(random(nUsers)), bi: f64(random(nMovies)), pu: random(nUsers * dims), qi: f64(random(nMovies * dims)) };
  const popularity = Int32Array.from({ length: nMovies }, (_, i) => i).sort((a, b) => truth.movieBias[b] - truth.movieBias[a]);
  return {
    algorithm: 'svd',
    params: { factors: dims, epochs: 20, lr: 0.005, reg: 0.02, seed: kind.length },
    shape: { nUsers, nMovies, scale: { min: 1, max: 5 } },
    data: { sources: [`sim-world/${kind}`], counts: { users: nUsers, movies: nMovies, ratings: 0, interactions: 0 }, contentHash: `sim-world-${kind}` },
    code: { packageVersion: '0.1.0', gitCommit: null },
    metrics: {},
    arrays,
    users: Array.from({ length: nUsers }, (_, u) => world.userId(u)),
    movies: Array.from({ length: nMovies }, (_, i) => world.movieId(i)),
    seen: { nRows: nUsers, nCols: nMovies, indptr: new Int32Array(nUsers + 1), indices: new Int32Array(0), values: new Float32Array(0) },
    popularity,
  };
}
