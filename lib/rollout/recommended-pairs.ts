import type { Interactions } from '../data/interactions.js';

/**
 * Exposure: which held-out pairs the serving system itself may have caused.
 *
 * The held-out slice is logged under the champion's policy: users watch the
 * movies it recommends far more often than others, so ranking metrics on
 * that slice reward the champion for predicting its own influence (offline
 * evaluation on logged data favours the logging policy). A (user, movie)
 * pair counts as recommended when the movie was in a list served to that
 * user at a time `t` with
 *
 *     since ≤ t ≤ the pair's latest event time
 *
 * where `since` is the slice's start minus a lookback (a list served just
 * before the slice still drives watches inside it). Lists served after the
 * pair's last event cannot have caused it; lists before `since` are outside
 * what was read. What is left is the slice's organic part.
 */

/** One served recommendation list (an `io.movierec.recommendation.served.v1` answer). */
export interface ServedList {
  /** The user id as asked. */
  readonly user: string;
  /** The movie ids answered. */
  readonly movies: readonly string[];
  /** When it was served, ms since the epoch. */
  readonly time: number;
}

/** How long before the slice's start a served list still counts: one hour. */
export const DEFAULT_EXPOSURE_LOOKBACK_MS = 3_600_000;

/**
 * Per entry of `table`: true when the pair was recommended (see above).
 * Each (user, movie) keeps only its earliest serving at or after `since`,
 * so the check per pair is one lookup: earliest ≤ the pair's time.
 */
export function recommendedPairs(table: Interactions, served: Iterable<ServedList>, since: number): boolean[] {
  const earliest = new Map<number, Map<number, number>>();
  for (const list of served) {
    if (!(list.time >= since)) continue;
    const u = table.users.indexOf(list.user);
    if (u < 0) continue;
    let row = earliest.get(u);
    if (row === undefined) {
      row = new Map<number, number>();
      earliest.set(u, row);
    }
    for (const id of list.movies) {
      const m = table.movies.indexOf(id);
      if (m < 0) continue;
      const before = row.get(m);
      if (before === undefined || list.time < before) row.set(m, list.time);
    }
  }
  const out = new Array<boolean>(table.size);
  for (let e = 0; e < table.size; e++) {
    const first = earliest.get(table.user[e])?.get(table.movie[e]);
    out[e] = first !== undefined && first <= table.time[e];
  }
  return out;
}
