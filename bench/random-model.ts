import type { BundleInput } from '../lib/artifacts/write-bundle.js';
import type { Csr } from '../lib/data/csr.js';
import { csrFromCoo } from '../lib/data/csr.js';
import type { Model, ParamArrays } from '../lib/models/model.js';
import { popularityRanking } from '../lib/models/popularity.js';
import { Rng } from '../lib/models/rng.js';
import { svdAlgorithm } from '../lib/models/svd.js';

export interface RandomModelOptions {
  readonly nUsers?: number;
  readonly nMovies?: number;
  readonly factors?: number;
  /** Seen movies per user (excluded when recommending). */
  readonly seenPerUser?: number;
  readonly seed?: number;
}

export interface RandomModel {
  readonly model: Model;
  readonly seen: Csr;
  readonly popularity: Int32Array;
  readonly factors: number;
  readonly shape: string;
}

/**
 * A served-size SVD with random parameters, in the exact layout training
 * produces (default 1M users × 27k movies × 64 factors, 10 seen movies each):
 * what the recommend function holds in memory at course scale.
 */
export function randomSvd(options: RandomModelOptions = {}): RandomModel {
  const nUsers = options.nUsers ?? 1_000_000;
  const nMovies = options.nMovies ?? 27_000;
  const k = options.factors ?? 64;
  const seenPerUser = options.seenPerUser ?? 10;
  const rng = new Rng(options.seed ?? 7);
  const small = <A extends Float32Array | Float64Array>(out: A): A => {
    for (let j = 0; j < out.length; j++) out[j] = rng.normal(0, 0.1);
    return out;
  };
  const arrays: ParamArrays = {
    mu: Float64Array.of(3.6),
    bu: small(new Float64Array(nUsers)),
    bi: small(new Float64Array(nMovies)),
    pu: small(new Float32Array(nUsers * k)),
    qi: small(new Float64Array(nMovies * k)),
  };
  const model = svdAlgorithm.restore(svdAlgorithm.paramsSchema.parse({ factors: k }), arrays, {
    nUsers,
    nMovies,
    scale: { min: 1, max: 5 },
  });
  const rows = new Int32Array(nUsers * seenPerUser);
  const cols = new Int32Array(nUsers * seenPerUser);
  for (let e = 0; e < rows.length; e++) {
    rows[e] = Math.floor(e / seenPerUser);
    cols[e] = rng.int(nMovies);
  }
  const seen = csrFromCoo(nUsers, nMovies, rows, cols, new Float32Array(rows.length).fill(1));
  return { model, seen, popularity: popularityRanking(seen), factors: k, shape: `${nUsers}×${nMovies}×${k}` };
}

/** A random model as a bundle's input, with course-looking movie slugs and the given user ids. */
export function randomBundleInput(random: RandomModel, users: readonly string[]): BundleInput {
  const { model, seen, popularity, factors } = random;
  const movies = Array.from({ length: model.shape.nMovies }, (_, m) => `movie+number+${m}+${1930 + (m % 90)}`);
  return {
    algorithm: 'svd',
    params: { factors },
    shape: model.shape,
    data: { sources: ['bench'], counts: { users: users.length, movies: movies.length, ratings: 0, interactions: seen.indices.length }, contentHash: 'bench' },
    code: { packageVersion: '0.0.0', gitCommit: null },
    metrics: {},
    arrays: model.parameters(),
    users,
    movies,
    seen,
    popularity,
  };
}
