import { performance } from 'node:perf_hooks';
import { Rng } from '../lib/models/rng.js';
import { createRecommender } from '../lib/models/top-n.js';
import type { RandomModelOptions } from './random-model.js';
import { randomSvd } from './random-model.js';
import { isMain, median, quantile } from './stats.js';

export interface TopNBenchResult {
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly queries: number;
  readonly shape: string;
  /** `scoreAll` alone for the same users: the rest of the median is selection. */
  readonly scoreMedianMs: number;
}

/**
 * The recommend path as served: top-20 unseen movies for random users of a
 * 1M-user × 27k-movie × 64-factor SVD (scores for every movie, seen ones
 * skipped, a size-20 heap), timed per query after a warm-up; then the
 * model's `scoreAll` alone for the same users.
 */
export function benchTopN(options: RandomModelOptions & { readonly queries?: number } = {}): TopNBenchResult {
  const { model, seen, popularity, shape } = randomSvd(options);
  const recommend = createRecommender(model, { seen, popularity });
  const rng = new Rng(11);
  const nUsers = model.shape.nUsers;
  for (let q = 0; q < 200; q++) recommend(rng.int(nUsers), 20);
  const queries = options.queries ?? 2_000;
  const users = Array.from({ length: queries }, () => rng.int(nUsers));
  const times = users.map((u) => {
    const started = performance.now();
    recommend(u, 20);
    return performance.now() - started;
  });
  const scores = new Float32Array(model.shape.nMovies);
  const scoreTimes = users.map((u) => {
    const started = performance.now();
    model.scoreAll(u, scores);
    return performance.now() - started;
  });
  return { medianMs: median(times), p99Ms: quantile(times, 0.99), queries, shape, scoreMedianMs: median(scoreTimes) };
}

if (isMain(import.meta.url)) {
  const r = benchTopN();
  console.log(
    `top-20 on ${r.shape}: median ${r.medianMs.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms over ${r.queries} queries (scoreAll alone: median ${r.scoreMedianMs.toFixed(3)} ms)`,
  );
}
