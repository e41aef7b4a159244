import type { Algorithm } from '../models/model.js';
import { Rng } from '../models/rng.js';
import type { BundleInput } from './write-bundle.js';

export interface SyntheticBundleOptions {
  readonly nUsers: number;
  readonly nMovies: number;
  readonly factors: number;
  /** Mean number of seen movies per user (each user sees 0..2×mean). */
  readonly seenPerUser: number;
  readonly seed: number;
  readonly algorithm?: Algorithm;
  readonly createdAt?: Date;
}

/** A synthetic bundle input; its vocabularies are plain arrays. */
export type SyntheticBundle = BundleInput & { readonly users: string[]; readonly movies: string[] };

/**
 * A random SVD-shaped bundle (bu, bi, pu, qi as float32, mu as float64) with
 * realistic ids, for tests and benchmarks. The same options give the same
 * bundle.
 */
export function syntheticBundle(options: SyntheticBundleOptions): SyntheticBundle {
  const { nUsers, nMovies, factors, seenPerUser, seed } = options;
  const rng = new Rng(seed);
  const small = (n: number): Float32Array => {
    const out = new Float32Array(n);
    for (let k = 0; k < n; k++) out[k] = (rng.next() - 0.5) * 0.2;
    return out;
  };
  const arrays = {
    mu: new Float64Array([3.5]),
    bu: small(nUsers),
    bi: small(nMovies),
    pu: small(nUsers * factors),
    qi: small(nMovies * factors),
  };

  const users: string[] = new Array<string>(nUsers);
  for (let u = 0; u < nUsers; u++) users[u] = String(100_000 + u * 3);
  const movies: string[] = new Array<string>(nMovies);
  for (let m = 0; m < nMovies; m++) movies[m] = `movie+number+${m}+${1930 + (m % 90)}`;

  // Seen movies: ascending by random gaps, so rows come out sorted and unique.
  const indptr = new Int32Array(nUsers + 1);
  const capacity = nUsers * (2 * seenPerUser + 1);
  let indices = new Int32Array(capacity);
  let w = 0;
  for (let u = 0; u < nUsers; u++) {
    const degree = rng.int(2 * seenPerUser + 1);
    const gap = Math.max(1, Math.floor(nMovies / Math.max(1, degree)));
    let c = -1;
    for (let k = 0; k < degree; k++) {
      c += 1 + rng.int(gap);
      if (c >= nMovies) break;
      indices[w++] = c;
    }
    indptr[u + 1] = w;
  }
  indices = indices.slice(0, w);
  const values = new Float32Array(w);
  for (let k = 0; k < w; k++) values[k] = 1 + rng.int(5);

  const popularity = new Int32Array(nMovies);
  for (let m = 0; m < nMovies; m++) popularity[m] = m;
  rng.shuffle(popularity);

  return {
    algorithm: options.algorithm ?? 'svd',
    params: { factors, epochs: 20, lr: 0.005, reg: 0.02, seed },
    shape: { nUsers, nMovies, scale: { min: 1, max: 5 } },
    data: {
      sources: ['events/rate/2024-03-18.seg', 'events/watch/2024-03-18.seg'],
      counts: { users: nUsers, movies: nMovies, ratings: w, interactions: w },
      contentHash: `synthetic-${seed}`,
    },
    code: { packageVersion: '0.1.0', gitCommit: null },
    metrics: { rmse: 0.91, 'precision@20': 0.05, 'recall@20': null },
    arrays,
    users,
    movies,
    seen: { nRows: nUsers, nCols: nMovies, indptr, indices, values },
    popularity,
    ...(options.createdAt === undefined ? {} : { createdAt: options.createdAt }),
  };
}
