import type { Rng } from '../models/rng.js';

/**
 * The ground truth of a synthetic world: every user and movie has a hidden
 * taste vector and a bias; their affinity is
 *   a(u, i) = bu + bi + pu · qi
 * with pu, qi ~ N(0, d^-1/2 I) so that pu · qi has unit variance whatever
 * the dimension d, bu ~ N(0, 0.3²), bi ~ N(0, 0.4²).
 */
export interface HiddenTastes {
  readonly dims: number;
  /** users × dims, row-major. */
  readonly userFactors: Float32Array;
  /** movies × dims, row-major. */
  readonly movieFactors: Float32Array;
  readonly userBias: Float32Array;
  readonly movieBias: Float32Array;
}

export function drawHiddenTastes(rng: Rng, users: number, movies: number, dims: number): HiddenTastes {
  const sd = dims ** -0.25;
  const userFactors = new Float32Array(users * dims);
  const movieFactors = new Float32Array(movies * dims);
  const userBias = new Float32Array(users);
  const movieBias = new Float32Array(movies);
  for (let k = 0; k < userFactors.length; k++) userFactors[k] = rng.normal(0, sd);
  for (let k = 0; k < movieFactors.length; k++) movieFactors[k] = rng.normal(0, sd);
  for (let u = 0; u < users; u++) userBias[u] = rng.normal(0, 0.3);
  for (let i = 0; i < movies; i++) movieBias[i] = rng.normal(0, 0.4);
  return { dims, userFactors, movieFactors, userBias, movieBias };
}

/** a(u, i) = bu + bi + pu · qi. */
export function affinity(t: HiddenTastes, u: number, i: number): number {
  const d = t.dims;
  const pu = u * d;
  const qi = i * d;
  let dot = 0;
  for (let f = 0; f < d; f++) dot += t.userFactors[pu + f] * t.movieFactors[qi + f];
  return t.userBias[u] + t.movieBias[i] + dot;
}

/** Walker's alias table: draws an index with given weights in O(1). */
export interface AliasTable {
  readonly prob: Float64Array;
  readonly alias: Int32Array;
}

/**
 * Zipf popularity: movies get ranks in a random order and weight
 * 1 / (rank + 1)^skew, as an alias table (Vose's construction) for `drawFrom`.
 */
export function zipfTable(rng: Rng, movies: number, skew: number): AliasTable {
  const rank = new Int32Array(movies);
  for (let i = 0; i < movies; i++) rank[i] = i;
  rng.shuffle(rank);
  const scaled = new Float64Array(movies);
  let total = 0;
  for (let i = 0; i < movies; i++) total += (scaled[i] = (rank[i] + 1) ** -skew);
  for (let i = 0; i < movies; i++) scaled[i] *= movies / total;
  const prob = new Float64Array(movies).fill(1);
  const alias = new Int32Array(movies);
  for (let i = 0; i < movies; i++) alias[i] = i;
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < movies; i++) (scaled[i] < 1 ? small : large).push(i);
  while (small.length > 0 && large.length > 0) {
    const s = small.pop() ?? 0;
    const l = large[large.length - 1];
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] -= 1 - scaled[s];
    if (scaled[l] < 1) small.push(large.pop() ?? 0);
  }
  return { prob, alias };
}

/** An index drawn from an alias table, from a single uniform. */
export function drawFrom(table: AliasTable, rng: Rng): number {
  const x = rng.next() * table.prob.length;
  const k = Math.floor(x);
  return x - k < table.prob[k] ? k : table.alias[k];
}

/**
 * How many pairs each user gets: log-normal activity weights exp(σ z),
 * scaled to `total`, at least 1 and at most `cap` per user, adjusted so the
 * counts sum to exactly `total` (needs users ≤ total ≤ users × cap).
 */
export function activityCounts(rng: Rng, users: number, total: number, sigma: number, cap: number): Int32Array {
  const weight = new Float64Array(users);
  let sumWeight = 0;
  for (let u = 0; u < users; u++) {
    weight[u] = Math.exp(sigma * rng.normal());
    sumWeight += weight[u];
  }
  const counts = new Int32Array(users);
  let sum = 0;
  for (let u = 0; u < users; u++) {
    counts[u] = Math.min(cap, Math.max(1, Math.floor((total * weight[u]) / sumWeight)));
    sum += counts[u];
  }
  const order = new Int32Array(users);
  for (let u = 0; u < users; u++) order[u] = u;
  rng.shuffle(order);
  for (let k = 0; sum < total; k = (k + 1) % users) {
    const u = order[k];
    if (counts[u] < cap) {
      counts[u]++;
      sum++;
    }
  }
  for (let k = 0; sum > total; k = (k + 1) % users) {
    const u = order[k];
    if (counts[u] > 1) {
      counts[u]--;
      sum--;
    }
  }
  return counts;
}
