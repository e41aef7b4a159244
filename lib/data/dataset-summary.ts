import type { Interactions } from './interactions.js';

/** Counts and shape of an Interactions table, for the CLI and logs. */
export interface DatasetSummary {
  readonly users: number;
  readonly movies: number;
  /** Distinct (user, movie) pairs. */
  readonly entries: number;
  readonly rated: number;
  readonly watched: number;
  /** entries / (users × movies); 0 for an empty table. */
  readonly density: number;
  /** Mean rating over rated entries, NaN when none. */
  readonly meanRating: number;
  /** Entries of the busiest user and of the most popular movie. */
  readonly maxPerUser: number;
  readonly maxPerMovie: number;
  /** Earliest and latest event time (ms), NaN for an empty table. */
  readonly firstTime: number;
  readonly lastTime: number;
}

export function summarizeInteractions(t: Interactions): DatasetSummary {
  const perUser = new Int32Array(t.users.size);
  const perMovie = new Int32Array(t.movies.size);
  let rated = 0;
  let watched = 0;
  let sum = 0;
  let firstTime = Number.POSITIVE_INFINITY;
  let lastTime = Number.NEGATIVE_INFINITY;
  for (let e = 0; e < t.size; e++) {
    perUser[t.user[e]]++;
    perMovie[t.movie[e]]++;
    if (!Number.isNaN(t.rating[e])) {
      rated++;
      sum += t.rating[e];
    }
    if (t.minutes[e] > 0) watched++;
    if (t.time[e] < firstTime) firstTime = t.time[e];
    if (t.time[e] > lastTime) lastTime = t.time[e];
  }
  const cells = t.users.size * t.movies.size;
  return {
    users: t.users.size,
    movies: t.movies.size,
    entries: t.size,
    rated,
    watched,
    density: cells === 0 ? 0 : t.size / cells,
    meanRating: rated === 0 ? Number.NaN : sum / rated,
    maxPerUser: max(perUser),
    maxPerMovie: max(perMovie),
    firstTime: t.size === 0 ? Number.NaN : firstTime,
    lastTime: t.size === 0 ? Number.NaN : lastTime,
  };
}

/** One line for people: `943 users × 1,682 movies, 100,000 pairs (6.30 % dense), 100,000 rated (mean 3.53), 0 watched`. */
export function formatDatasetSummary(s: DatasetSummary): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const mean = Number.isNaN(s.meanRating) ? '' : ` (mean ${s.meanRating.toFixed(2)})`;
  return (
    `${n(s.users)} users × ${n(s.movies)} movies, ${n(s.entries)} pairs (${(s.density * 100).toFixed(2)} % dense), ` +
    `${n(s.rated)} rated${mean}, ${n(s.watched)} watched`
  );
}

function max(xs: Int32Array): number {
  let m = 0;
  for (let k = 0; k < xs.length; k++) if (xs[k] > m) m = xs[k];
  return m;
}
