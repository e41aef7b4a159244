import { hasEntry, type Csr } from '../data/csr.js';
import type { TestSet } from '../data/train-set.js';

/** Test ratings at or above this count as relevant (MovieLens convention: 4 and 5 of 5). */
export const DEFAULT_RELEVANCE_THRESHOLD = 4;

/**
 * The relevant held-out movies of every test user, keyed by user index in
 * ascending order.
 *
 * A test entry is relevant when it was rated ≥ `threshold`, or when it was
 * only watched (rating NaN, minutes > 0): watching is what the recommender is
 * asked to cause. A rating below the threshold makes a watched movie
 * irrelevant. Entries the ranking cannot be judged on are left out: users or
 * movies unknown to the train set (index −1), and movies already in the
 * user's row of `seen` (top-N never recommends those). Users left with no
 * relevant movie do not appear.
 */
export function relevantByUser(test: TestSet, seen: Csr, threshold = DEFAULT_RELEVANCE_THRESHOLD): Map<number, Set<number>> {
  const byUser = new Map<number, Set<number>>();
  for (let e = 0; e < test.user.length; e++) {
    const u = test.user[e];
    const i = test.movie[e];
    if (u < 0 || i < 0) continue;
    const rating = test.rating[e];
    const relevant = Number.isNaN(rating) ? test.minutes[e] > 0 : rating >= threshold;
    if (!relevant) continue;
    if (u < seen.nRows && hasEntry(seen, u, i)) continue;
    let set = byUser.get(u);
    if (set === undefined) {
      set = new Set<number>();
      byUser.set(u, set);
    }
    set.add(i);
  }
  return new Map([...byUser.entries()].sort((a, b) => a[0] - b[0]));
}
