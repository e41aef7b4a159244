import { csrFromCoo } from '../data/csr.js';
import { DEFAULT_SCALE, type RatingScale } from '../data/records.js';
import type { TestSet, TrainSet } from '../data/train-set.js';

/** One interaction: user, movie, rating (NaN = only watched), furthest minute (0 = only rated). */
export type SmallEntry = readonly [u: number, i: number, rating: number, minutes?: number];

/**
 * A TrainSet built straight from a few entries, for hand-checkable tests:
 * `ratings` holds the rated entries, `implicit` every entry with its minutes.
 */
export function smallTrainSet(
  nUsers: number,
  nMovies: number,
  entries: ReadonlyArray<SmallEntry>,
  scale: RatingScale = DEFAULT_SCALE,
): TrainSet {
  const rated = entries.filter((e) => !Number.isNaN(e[2]));
  const ratings = csrFromCoo(
    nUsers,
    nMovies,
    rated.map((e) => e[0]),
    rated.map((e) => e[1]),
    rated.map((e) => e[2]),
  );
  const implicit = csrFromCoo(
    nUsers,
    nMovies,
    entries.map((e) => e[0]),
    entries.map((e) => e[1]),
    entries.map((e) => e[3] ?? 0),
  );
  const globalMean = rated.length > 0 ? rated.reduce((sum, e) => sum + e[2], 0) / rated.length : Number.NaN;
  return { nUsers, nMovies, ratings, implicit, globalMean, scale };
}

/** A TestSet from entries in the same form (−1 for an unknown user or movie). */
export function smallTestSet(entries: ReadonlyArray<SmallEntry>): TestSet {
  return {
    user: Int32Array.from(entries, (e) => e[0]),
    movie: Int32Array.from(entries, (e) => e[1]),
    rating: Float32Array.from(entries, (e) => e[2]),
    minutes: Float32Array.from(entries, (e) => e[3] ?? 0),
  };
}
