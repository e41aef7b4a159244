import type { Csr } from './csr.js';
import type { RatingScale } from './records.js';

/**
 * What an algorithm learns from: dense users × movies matrices. Algorithms
 * see only this — never files, vocabularies or the clock.
 */
export interface TrainSet {
  readonly nUsers: number;
  readonly nMovies: number;
  /** Explicit ratings: entry (u, i) = the rating u gave i. */
  readonly ratings: Csr;
  /**
   * Implicit feedback N(u): every movie u watched or rated. The value is the
   * furthest minute watched (0 when the movie was only rated).
   */
  readonly implicit: Csr;
  /** Mean of all ratings (NaN when there are none). */
  readonly globalMean: number;
  readonly scale: RatingScale;
}

/**
 * Held-out interactions in the train set's index space. An index of -1 names
 * a user or movie the train set has never seen.
 */
export interface TestSet {
  readonly user: Int32Array;
  readonly movie: Int32Array;
  /** The rating, or NaN for an interaction that was only watched. */
  readonly rating: Float32Array;
  /** Furthest minute watched, 0 when not watched. */
  readonly minutes: Float32Array;
}
