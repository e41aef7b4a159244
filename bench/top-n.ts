import { performance } from 'node:perf_hooks';
import { csrFromCoo } from '../lib/data/csr.js';
import type { ParamArrays } from '../lib/models/model.js';
import { Rng } from '../lib/models/rng.js';
import { svdAlgorithm } from '../lib/models/svd.js';
import { popularityRanking } from '../lib/models/popularity.js';
import { createRecommender } from '../lib/models/top-n.js';
import { isMain, median, quantile } from './stats.js';

export interface TopNBenchOptions {
  readonly nUsers?: number;
  readonly nMovies?: number;
  readonly factors?: number;
  /** Seen movies per user, excluded from the answer. */
  readonly seenPerUser?: number;
  readonly queries?: number;
  readonly seed?: number;
}

export interface TopNBenchResult {
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly queries: number;
  readonly shape: string;
}

/**
 * The recommend path as served: a random 1M-user × 27k-movie × 64-factor SVD,
 * top-20 unseen movies for random users (scores for every movie, seen ones
 * skipped, a size-20 heap), timed per query after a warm-up.
 */
export function benchTopN(options: TopNBenchOptions = {}): TopNBenchResult {
  const nUsers = options.nUsers ?? 1_000_000;
  const nMovies = options.nMovies ?? 27_000;
  const k = options.factors ?? 64;
  const seenPerUser = options.seenPerUser ?? 10;
  const queries = options.queries ?? 2_000;
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
  const recommend = createRecommender(model, { seen, popularity: popularityRanking(seen) });
  for (let q = 0; q < 200; q++) recommend(rng.int(nUsers), 20);
  const times: number[] = [];
  for (let q = 0; q < queries; q++) {
    const u = rng.int(nUsers);
    const started = performance.now();
    recommend(u, 20);
    times.push(performance.now() - started);
  }
  return { medianMs: median(times), p99Ms: quantile(times, 0.99), queries, shape: `${nUsers}×${nMovies}×${k}` };
}

if (isMain(import.meta.url)) {
  const r = benchTopN();
  console.log(`top-20 on ${r.shape}: median ${r.medianMs.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms over ${r.queries} queries`);
}
