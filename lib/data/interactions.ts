import type { InteractionRecord } from './records.js';
import { Vocabulary } from './vocabulary.js';

/**
 * The aggregated interaction table: one entry per (user, movie) pair, in
 * parallel typed arrays of length `size`. Users and movies are indices into
 * the vocabularies.
 */
export interface Interactions {
  readonly users: Vocabulary;
  readonly movies: Vocabulary;
  readonly size: number;
  readonly user: Int32Array;
  readonly movie: Int32Array;
  /** The rating, NaN when the pair was never rated. */
  readonly rating: Float32Array;
  /** The furthest minute watched, 0 when never watched. */
  readonly minutes: Float32Array;
  /** Time of the latest event of the pair, ms since the epoch. */
  readonly time: Float64Array;
}

export interface InteractionVocabularies {
  /** Existing vocabularies to extend (they are modified: new ids are appended). */
  readonly users?: Vocabulary;
  readonly movies?: Vocabulary;
}

/** Movie indices stay below this, user indices below 2^53 / MOVIE_SLOTS, so a pair fits one exact number key. */
const MOVIE_SLOTS = 2 ** 26;
/** A V8 Map holds at most 2^24 entries; pairs are spread over shards by user so 25M+ pairs fit. */
const SHARDS = 16;

/**
 * Aggregates events into an Interactions table, one entry per (user, movie)
 * in first-seen order:
 * - watch: keep the furthest minute reached;
 * - rate: the latest rating wins (by `time`; equal times → the later one in
 *   input order);
 * - an exact duplicate of an event already seen changes nothing, so
 *   at-least-once delivery is harmless (also for equal-time ratings);
 * - `time` is the latest event of either kind.
 */
export class InteractionsBuilder {
  readonly users: Vocabulary;
  readonly movies: Vocabulary;
  private readonly byPair = Array.from({ length: SHARDS }, () => new Map<number, number>());
  /** Distinct rating values seen at the entry's current rating time, kept only once two of them tie. */
  private readonly ties = new Map<number, number[]>();
  private n = 0;
  private user = new Int32Array(1024);
  private movie = new Int32Array(1024);
  private rating = new Float32Array(1024);
  private ratingTime = new Float64Array(1024);
  private minutes = new Float32Array(1024);
  private time = new Float64Array(1024);

  constructor(vocabularies: InteractionVocabularies = {}) {
    this.users = vocabularies.users ?? new Vocabulary();
    this.movies = vocabularies.movies ?? new Vocabulary();
  }

  get size(): number {
    return this.n;
  }

  add(record: InteractionRecord): void {
    this.addIndexed(this.users.add(record.user), this.movies.add(record.movie), record.kind === 'rate', record.value, record.time);
  }

  /** Add an event for indices already in the vocabularies (`isRating` false = a watched minute). */
  addIndexed(u: number, m: number, isRating: boolean, value: number, time: number): void {
    if (m >= MOVIE_SLOTS || u >= Number.MAX_SAFE_INTEGER / MOVIE_SLOTS) throw new RangeError(`pair (${u}, ${m}) is too large to key`);
    const key = u * MOVIE_SLOTS + m;
    const shard = this.byPair[u % SHARDS];
    let e = shard.get(key);
    if (e === undefined) {
      e = this.append(u, m, time);
      shard.set(key, e);
    } else if (time > this.time[e]) {
      this.time[e] = time;
    }
    if (!isRating) {
      if (value > this.minutes[e]) this.minutes[e] = value;
      return;
    }
    const current = this.ratingTime[e];
    if (time > current) {
      this.rating[e] = value;
      this.ratingTime[e] = time;
      this.ties.delete(e);
    } else if (time === current) {
      const seen = this.ties.get(e) ?? [this.rating[e]];
      const stored = Math.fround(value);
      if (seen.includes(stored)) return;
      seen.push(stored);
      this.ties.set(e, seen);
      this.rating[e] = value;
    }
  }

  /** The table so far (copies, so the builder may keep growing). */
  build(): Interactions {
    const n = this.n;
    return {
      users: this.users,
      movies: this.movies,
      size: n,
      user: this.user.slice(0, n),
      movie: this.movie.slice(0, n),
      rating: this.rating.slice(0, n),
      minutes: this.minutes.slice(0, n),
      time: this.time.slice(0, n),
    };
  }

  private append(u: number, m: number, time: number): number {
    if (this.n === this.user.length) this.grow(this.n * 2);
    const e = this.n++;
    this.user[e] = u;
    this.movie[e] = m;
    this.rating[e] = Number.NaN;
    this.ratingTime[e] = Number.NEGATIVE_INFINITY;
    this.minutes[e] = 0;
    this.time[e] = time;
    return e;
  }

  private grow(capacity: number): void {
    this.user = resize(this.user, new Int32Array(capacity));
    this.movie = resize(this.movie, new Int32Array(capacity));
    this.rating = resize(this.rating, new Float32Array(capacity));
    this.ratingTime = resize(this.ratingTime, new Float64Array(capacity));
    this.minutes = resize(this.minutes, new Float32Array(capacity));
    this.time = resize(this.time, new Float64Array(capacity));
  }
}

function resize<T extends Int32Array | Float32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Aggregate records into a table (see InteractionsBuilder for the rules). */
export function aggregateInteractions(
  records: Iterable<InteractionRecord>,
  vocabularies: InteractionVocabularies = {},
): Interactions {
  const builder = new InteractionsBuilder(vocabularies);
  for (const record of records) builder.add(record);
  return builder.build();
}
