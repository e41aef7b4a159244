import type { Csr } from '../data/csr.js';
import { holdsIndex } from '../data/csr.js';
import { InvalidArgumentError } from '../errors.js';
import type { Model } from './model.js';

export interface TopNOptions {
  /** Movies each user has already watched or rated (rows = users); they are never recommended. */
  readonly seen: Csr;
  /** Every movie index, most popular first: the ranking for users the model does not know. */
  readonly popularity: Int32Array;
  /** A buffer of at least nMovies scores to reuse between calls. */
  readonly scratch?: Float32Array;
}

export interface TopN {
  /** Movie indices, best first. Shorter than n only when fewer unseen movies remain. */
  readonly movies: Int32Array;
  /** True when the user was unknown and the popularity ranking answered. */
  readonly fallback: boolean;
}

/** A reusable recommender: `(u, n) => TopN`. Not reentrant: it owns one scratch buffer. */
export type Recommender = (u: number, n: number) => TopN;

/**
 * The n best movies for user u, best first, leaving out every movie in u's
 * row of `seen`.
 *
 * A known user is ranked by `model.scoreAll`; equal scores rank the lower
 * movie index first, and a NaN score ranks last. An unknown user (u outside
 * [0, nUsers)) gets the first unseen movies of `popularity` and
 * `fallback: true`. Either way the list is shorter than n only when the user
 * has seen nearly everything.
 *
 * Selection keeps a size-n min-heap while scanning the scores once, so the
 * cost beyond `scoreAll` is O(nMovies + h·log n) for h heap replacements.
 */
export function topN(model: Model, u: number, n: number, options: TopNOptions): TopN {
  return createRecommender(model, options)(u, n);
}

/** A recommender closure that reuses its score buffer and heap between calls. */
export function createRecommender(model: Model, options: TopNOptions): Recommender {
  const { nMovies, nUsers } = model.shape;
  const { seen, popularity } = options;
  const scores = options.scratch ?? new Float32Array(nMovies);
  if (scores.length < nMovies) {
    throw new InvalidArgumentError(`topN: scratch holds ${scores.length} scores, the model has ${nMovies} movies`);
  }
  const heap = new MinHeap(0);
  return (u, n) => {
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`topN: n must be a whole number ≥ 0, got ${n}`);
    const row = seenRow(seen, u);
    if (!(Number.isInteger(u) && u >= 0 && u < nUsers)) {
      return { movies: fromPopularity(popularity, seen, row, n), fallback: true };
    }
    model.scoreAll(u, scores);
    heap.reset(n);
    // The unseen runs between the user's seen movies (a sorted row), in movie order.
    let from = 0;
    for (let p = row.start; p < row.end && from < nMovies; p++) {
      const seenMovie = seen.indices[p];
      if (seenMovie < from) continue;
      heap.offerRun(scores, from, Math.min(seenMovie, nMovies));
      from = seenMovie + 1;
    }
    if (from < nMovies) heap.offerRun(scores, from, nMovies);
    return { movies: heap.drainBestFirst(), fallback: false };
  };
}

interface Row {
  readonly start: number;
  readonly end: number;
}

function seenRow(seen: Csr, u: number): Row {
  if (!(Number.isInteger(u) && u >= 0 && u < seen.nRows)) return { start: 0, end: 0 };
  return { start: seen.indptr[u], end: seen.indptr[u + 1] };
}

function fromPopularity(popularity: Int32Array, seen: Csr, row: Row, n: number): Int32Array {
  const out = new Int32Array(Math.min(n, popularity.length));
  let w = 0;
  for (let r = 0; r < popularity.length && w < out.length; r++) {
    const i = popularity[r];
    if (row.end > row.start && holdsIndex(seen.indices, row.start, row.end, i)) continue;
    out[w++] = i;
  }
  return w === out.length ? out : out.slice(0, w);
}


/**
 * A bounded min-heap of (score, movie) keeping the `capacity` best offers.
 * The root is the worst kept entry: lowest score, and among equal scores the
 * highest movie index. Offers must arrive in ascending movie order, so an
 * offer that only ties the root is worse than it and is dropped.
 */
class MinHeap {
  private scores: Float64Array;
  private movies: Int32Array;
  private size = 0;
  private capacity = 0;

  constructor(capacity: number) {
    this.scores = new Float64Array(capacity);
    this.movies = new Int32Array(capacity);
  }

  reset(capacity: number): void {
    if (capacity > this.scores.length) {
      this.scores = new Float64Array(capacity);
      this.movies = new Int32Array(capacity);
    }
    this.capacity = capacity;
    this.size = 0;
  }

  offer(raw: number, movie: number): void {
    const score = raw === raw ? raw : Number.NEGATIVE_INFINITY;
    if (this.size < this.capacity) {
      this.siftUp(this.size++, score, movie);
    } else if (this.capacity > 0 && score > this.scores[0]) {
      this.siftDown(0, score, movie);
    }
  }

  /**
   * Offer movies `from … to − 1` with their `scores`. Once the heap is full
   * only a score above the root's can enter (a NaN or a tie never does), so
   * most of the run is one comparison per movie.
   */
  offerRun(scores: Float32Array, from: number, to: number): void {
    let i = from;
    for (; i < to && this.size < this.capacity; i++) this.offer(scores[i], i);
    if (this.capacity === 0) return;
    let worst = this.scores[0];
    for (; i < to; i++) {
      const score = scores[i];
      if (score > worst) {
        this.siftDown(0, score, i);
        worst = this.scores[0];
      }
    }
  }

  /** Empty the heap into a new array, best first. */
  drainBestFirst(): Int32Array {
    const out = new Int32Array(this.size);
    while (this.size > 0) {
      out[this.size - 1] = this.movies[0];
      const last = --this.size;
      if (last > 0) this.siftDown(0, this.scores[last], this.movies[last]);
    }
    return out;
  }

  private worse(sa: number, ia: number, sb: number, ib: number): boolean {
    return sa < sb || (sa === sb && ia > ib);
  }

  private siftUp(at: number, score: number, movie: number): void {
    let j = at;
    while (j > 0) {
      const parent = (j - 1) >> 1;
      if (!this.worse(score, movie, this.scores[parent], this.movies[parent])) break;
      this.scores[j] = this.scores[parent];
      this.movies[j] = this.movies[parent];
      j = parent;
    }
    this.scores[j] = score;
    this.movies[j] = movie;
  }

  private siftDown(at: number, score: number, movie: number): void {
    let j = at;
    for (;;) {
      let child = 2 * j + 1;
      if (child >= this.size) break;
      const right = child + 1;
      if (right < this.size && this.worse(this.scores[right], this.movies[right], this.scores[child], this.movies[child])) {
        child = right;
      }
      if (!this.worse(this.scores[child], this.movies[child], score, movie)) break;
      this.scores[j] = this.scores[child];
      this.movies[j] = this.movies[child];
      j = child;
    }
    this.scores[j] = score;
    this.movies[j] = movie;
  }
}
