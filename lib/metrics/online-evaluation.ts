import type { InteractionRecord } from '../data/records.js';
import type { OnlineReport, OnlineRevisionStats } from './online-stats.js';

/** One served recommendation list (a `served` record of the events store). */
export interface ServedRecommendation {
  readonly user: string;
  readonly movies: readonly string[];
  readonly revision: string;
  readonly modelVersion: string;
  readonly latencyMs: number;
  readonly fallback: boolean;
  /** servedAt, ms since the epoch. */
  readonly time: number;
}

export interface OnlineEvaluationInput {
  /** Served lists; only those with from ≤ time < to whose window closed by `at` count. */
  readonly served: readonly ServedRecommendation[];
  /** Watched minutes and ratings (one record per course line) from `from` to at least `to + windowMs`. */
  readonly interactions: readonly InteractionRecord[];
  readonly from: number;
  readonly to: number;
  /** The attribution window, ms. */
  readonly windowMs: number;
  /** When the evaluation runs, ms since the epoch. */
  readonly at: number;
}

interface Tally {
  revision: string;
  modelVersion: string;
  served: number;
  hits: number;
  watchedMinutes: number;
  ratings: number;
  ratingSum: number;
  fallbacks: number;
  latencies: number[];
}

/**
 * Online evaluation of the recommendations served over `[from, to)`, per
 * (revision, model version). A list counts once its attribution window has
 * closed (`servedAt + windowMs ≤ at`). An interaction of the same user with a
 * listed movie is attributed to the list when `servedAt < time <
 * servedAt + windowMs`: after it (`mayFollow`: a watch before never counts;
 * one stamped with whole seconds, as the course writes them, counts in the
 * list's own second, since it cannot be shown to come first) and within the window.
 * - hit: at least one attributed watch line;
 * - watched minutes: distinct (movie, minute) watch lines attributed (the
 *   store keeps one line per watched minute);
 * - ratings: attributed (list, movie) pairs rated, each with its last rating
 *   in the window; their mean;
 * - fallback share: lists that were the popularity fallback / lists;
 * - latency: nearest-rank p50 / p95 of `latencyMs`.
 * Each list is judged on its own: a watch after two lists that both held
 * the movie counts for both. Pure: no clock, no I/O.
 */
export function evaluateOnline(input: OnlineEvaluationInput): OnlineReport {
  const byUser = new Map<string, InteractionRecord[]>();
  for (const record of input.interactions) {
    const list = byUser.get(record.user);
    if (list === undefined) byUser.set(record.user, [record]);
    else list.push(record);
  }
  for (const list of byUser.values()) list.sort((a, b) => a.time - b.time);

  const tallies = new Map<string, Tally>();
  for (const served of input.served) {
    if (served.time < input.from || served.time >= input.to || served.time + input.windowMs > input.at) continue;
    const key = `${served.revision}\u0000${served.modelVersion}`;
    let tally = tallies.get(key);
    if (tally === undefined) {
      tally = { revision: served.revision, modelVersion: served.modelVersion, served: 0, hits: 0, watchedMinutes: 0, ratings: 0, ratingSum: 0, fallbacks: 0, latencies: [] };
      tallies.set(key, tally);
    }
    tally.served += 1;
    if (served.fallback) tally.fallbacks += 1;
    tally.latencies.push(served.latencyMs);
    const attributed = attribute(served, byUser.get(served.user) ?? [], input.windowMs);
    if (attributed.minutes > 0) tally.hits += 1;
    tally.watchedMinutes += attributed.minutes;
    for (const rating of attributed.ratings.values()) {
      tally.ratings += 1;
      tally.ratingSum += rating;
    }
  }

  const revisions = [...tallies.values()].sort((a, b) => a.revision.localeCompare(b.revision) || a.modelVersion.localeCompare(b.modelVersion)).map(statsOf);
  return {
    at: new Date(input.at).toISOString(),
    from: new Date(input.from).toISOString(),
    to: new Date(input.to).toISOString(),
    windowMinutes: input.windowMs / 60_000,
    revisions,
  };
}

/** The watch lines and ratings of one user's sorted interactions attributed to one list. */
function attribute(served: ServedRecommendation, sorted: readonly InteractionRecord[], windowMs: number): { minutes: number; ratings: Map<string, number> } {
  const movies = new Set(served.movies);
  const watched = new Set<string>();
  const ratings = new Map<string, number>();
  for (let k = firstAfter(sorted, served.time - SECOND); k < sorted.length && sorted[k].time < served.time + windowMs; k++) {
    const record = sorted[k];
    if (!movies.has(record.movie) || !mayFollow(record.time, served.time)) continue;
    if (record.kind === 'watch') watched.add(`${record.movie}\u0000${record.value}`);
    else ratings.set(record.movie, record.value);
  }
  return { minutes: watched.size, ratings };
}

const SECOND = 1000;

/**
 * Whether an interaction stamped `time` may have happened after a list
 * served at `servedAt` (ms precision). The course writes watch and rate lines
 * with whole seconds, so a line stamped second S happened somewhere in
 * [S, S + 1 s): it is after the list unless that whole second ended by
 * `servedAt`. A stamp with milliseconds is taken as exact: strictly after.
 */
export function mayFollow(time: number, servedAt: number): boolean {
  return time % SECOND === 0 ? time + SECOND > servedAt : time > servedAt;
}

/** The index of the first record with time > t (binary search). */
function firstAfter(sorted: readonly InteractionRecord[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid].time <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Nearest-rank percentile of ascending values (null when empty). */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1];
}

function statsOf(tally: Tally): OnlineRevisionStats {
  const latencies = tally.latencies.slice().sort((a, b) => a - b);
  return {
    revision: tally.revision,
    modelVersion: tally.modelVersion,
    served: tally.served,
    hits: tally.hits,
    hitRate: tally.served === 0 ? null : tally.hits / tally.served,
    watchedMinutes: tally.watchedMinutes,
    ratings: tally.ratings,
    meanRating: tally.ratings === 0 ? null : tally.ratingSum / tally.ratings,
    fallbackShare: tally.served === 0 ? null : tally.fallbacks / tally.served,
    latencyP50Ms: nearestRank(latencies, 0.5),
    latencyP95Ms: nearestRank(latencies, 0.95),
  };
}
