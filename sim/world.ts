import type { AliasTable, HiddenTastes } from '../lib/data/hidden-tastes.js';
import { affinity, drawHiddenTastes, zipfTable } from '../lib/data/hidden-tastes.js';
import { Rng } from '../lib/models/rng.js';
import { aliasTable } from './alias-table.js';
import type { WorldInput, WorldOptions } from './audience-options.js';
import { parseWorldOptions } from './audience-options.js';
import { movieSlug } from './movie-slugs.js';

/**
 * The simulated audience's world: users and movies with hidden tastes, the
 * truth models are judged against. Everything is typed arrays indexed by
 * user (0…users-1) and movie (0…movies-1) — no per-user objects — so the
 * course scale (1M users × 27k movies, 12 dims) holds ≈ 80 MB.
 *
 * Draw order (one Rng from the seed): hidden tastes, Zipf popularity, movie
 * lengths (70–169 minutes), user activity weights exp(σ z). These are the
 * same draws, in the same order, as lib/data's `generateSynthetic`, so the
 * same seed, sizes, dims and skews give the same tastes and popularity.
 *
 * User ids are "1"…"<users>" (course user ids are decimal); movie ids are
 * course-style slugs (movie-slugs.ts). The last `newUserShare` of the users
 * have no account when the world is made; `register()` signs them up in order.
 */
export interface AudienceWorld {
  readonly options: WorldOptions;
  readonly users: number;
  readonly movies: number;
  readonly truth: HiddenTastes;
  /** Movies by popularity (Zipf), for `drawFrom`. */
  readonly popularity: AliasTable;
  /** Users by how often they come back (log-normal), for `drawFrom`. */
  readonly activity: AliasTable;
  /** Each movie's length in minutes. */
  readonly length: Int32Array;
  userId(u: number): string;
  /** The index of a user id, or -1 when the world has no such user. */
  userIndex(id: string): number;
  movieId(i: number): string;
  /** The index of a movie id, or -1 when the catalogue has no such movie. */
  movieIndex(id: string): number;
  /** The hidden affinity a(u, i) = bu + bi + pu · qi by index. */
  affinityAt(u: number, i: number): number;
  /** The hidden affinity of a user for a movie by id; NaN when either is unknown. */
  affinity(user: string, movie: string): number;
  /** The n movies the user likes best by hidden taste, best first (the ideal recommendation list). */
  topMovies(user: string, n: number): string[];
  /** Users with an account: indices 0…registered()-1. */
  registered(): number;
  /** Sign up the next user without an account; their index, or -1 when everyone has one. */
  register(): number;
}

export function createWorld(input: WorldInput = {}): AudienceWorld {
  const options = parseWorldOptions(input);
  const { users, movies, dims } = options;
  const rng = new Rng(options.seed);
  const truth = drawHiddenTastes(rng, users, movies, dims);
  const popularity = zipfTable(rng, movies, options.popularitySkew);
  const length = new Int32Array(movies);
  for (let i = 0; i < movies; i++) length[i] = 70 + rng.int(100);
  const weights = new Float64Array(users);
  for (let u = 0; u < users; u++) weights[u] = Math.exp(options.activitySkew * rng.normal());
  const activity = aliasTable(weights);

  const slugs: string[] = new Array<string>(movies);
  const byMovie = new Map<string, number>();
  for (let i = 0; i < movies; i++) {
    slugs[i] = movieSlug(i);
    byMovie.set(slugs[i], i);
  }
  let accounts = Math.max(1, users - Math.floor(users * options.newUserShare));

  const userIndex = (id: string): number => {
    if (!/^[1-9]\d{0,9}$/.test(id)) return -1;
    const u = Number(id) - 1;
    return u < users ? u : -1;
  };
  const movieIndex = (id: string): number => byMovie.get(id) ?? -1;
  const affinityAt = (u: number, i: number): number => affinity(truth, u, i);

  return {
    options,
    users,
    movies,
    truth,
    popularity,
    activity,
    length,
    userId: (u) => String(u + 1),
    userIndex,
    movieId: (i) => slugs[i],
    movieIndex,
    affinityAt,
    affinity(user, movie) {
      const u = userIndex(user);
      const i = movieIndex(movie);
      return u < 0 || i < 0 ? Number.NaN : affinityAt(u, i);
    },
    topMovies(user, n) {
      const u = userIndex(user);
      return u < 0 || n < 1 ? [] : topByAffinity(truth, u, Math.min(n, movies)).map((i) => slugs[i]);
    },
    registered: () => accounts,
    register() {
      if (accounts >= users) return -1;
      accounts += 1;
      return accounts - 1;
    },
  };
}

/** The indices of u's n best movies, best first (ties: lower index), by insertion into a sorted top-n. */
function topByAffinity(truth: HiddenTastes, u: number, n: number): number[] {
  const best = new Int32Array(n);
  const score = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const movies = truth.movieBias.length;
  for (let i = 0; i < movies; i++) {
    const a = affinity(truth, u, i);
    if (a <= score[n - 1]) continue;
    let k = n - 1;
    while (k > 0 && score[k - 1] < a) {
      score[k] = score[k - 1];
      best[k] = best[k - 1];
      k--;
    }
    score[k] = a;
    best[k] = i;
  }
  return Array.from(best);
}
