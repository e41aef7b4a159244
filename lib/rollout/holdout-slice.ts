import type { Csr } from '../data/csr.js';
import { hasEntry } from '../data/csr.js';
import type { Interactions } from '../data/interactions.js';
import { aggregateInteractions } from '../data/interactions.js';
import type { InteractionRecord } from '../data/records.js';
import type { Vocabulary } from '../data/vocabulary.js';
import { DEFAULT_RELEVANCE_THRESHOLD } from '../metrics/relevant-items.js';
import type { ServedList } from './recommended-pairs.js';
import { recommendedPairs } from './recommended-pairs.js';

/** What a model has seen: its vocabularies and its seen-items CSR (a loaded bundle has all three). */
export interface SeenPairs {
  readonly users: Vocabulary;
  readonly movies: Vocabulary;
  readonly seen: Csr;
}

/**
 * The held-out slice candidate and champion are scored on: the interactions
 * train held out of the fit (latest event in [holdoutFrom, to)), aggregated
 * per (user, movie), minus the pairs the champion's bundle has seen, so
 * neither model is scored on what it trained on.
 *
 * With `exposure`, the ranking metrics use only the organic pairs: a pair
 * the serving system recommended to its user before the interaction
 * (recommended-pairs.ts) is neither relevant nor rankable — it is withheld
 * from every model's list, so no model gains from having caused it or loses
 * from recommending it again. RMSE keeps every rated pair (see scoreOnSlice).
 */
export interface HoldoutSlice {
  /** The kept pairs; ids are raw, indices are into the table's own vocabularies. */
  readonly table: Interactions;
  /** Pairs left out because the champion had seen them. */
  readonly dropped: number;
  /** Table pairs left out of the ranking metrics because they were recommended to their user (0 without exposure). */
  readonly recommended: number;
  /** Table pairs with a rating (what RMSE is computed on, recommended or not). */
  readonly ratings: number;
  /**
   * Each table user's relevant organic movies (table movie indices), users
   * in ascending order, users with none left out. Relevant as in train's
   * offline metrics (`relevantByUser`): rated ≥ threshold, or only watched.
   */
  readonly relevant: ReadonlyMap<number, ReadonlySet<number>>;
  /** Each table user's recommended pairs (table movie indices): kept out of every model's top k. */
  readonly withheld: ReadonlyMap<number, ReadonlySet<number>>;
}

export interface HoldoutSliceOptions {
  /** Rated at least this → relevant (default: train's threshold, 4). */
  readonly threshold?: number;
  /** The lists served from `since` on (recommended-pairs.ts); without it every pair is organic. */
  readonly exposure?: { readonly served: Iterable<ServedList>; readonly since: number };
}

/**
 * Aggregate the held-out records, drop what `champion` has seen (nothing
 * when there is no champion), and set the recommended pairs apart.
 */
export function holdoutSlice(records: Iterable<InteractionRecord>, champion: SeenPairs | null, options: HoldoutSliceOptions = {}): HoldoutSlice {
  const threshold = options.threshold ?? DEFAULT_RELEVANCE_THRESHOLD;
  const all = aggregateInteractions(records);
  const keep: number[] = [];
  for (let e = 0; e < all.size; e++) if (champion === null || !seenBy(champion, all, e)) keep.push(e);
  const table = keep.length === all.size ? all : subset(all, keep);
  const exposed = options.exposure === undefined ? null : recommendedPairs(table, options.exposure.served, options.exposure.since);

  let ratings = 0;
  let recommended = 0;
  const relevant = new Map<number, Set<number>>();
  const withheld = new Map<number, Set<number>>();
  for (let e = 0; e < table.size; e++) {
    const rating = table.rating[e];
    if (!Number.isNaN(rating)) ratings++;
    if (exposed?.[e] === true) {
      recommended++;
      addTo(withheld, table.user[e], table.movie[e]);
    } else if (Number.isNaN(rating) ? table.minutes[e] > 0 : rating >= threshold) {
      addTo(relevant, table.user[e], table.movie[e]);
    }
  }
  return {
    table,
    dropped: all.size - table.size,
    recommended,
    ratings,
    relevant: new Map([...relevant.entries()].sort((a, b) => a[0] - b[0])),
    withheld,
  };
}

function addTo(sets: Map<number, Set<number>>, u: number, m: number): void {
  let set = sets.get(u);
  if (set === undefined) {
    set = new Set<number>();
    sets.set(u, set);
  }
  set.add(m);
}

function seenBy(model: SeenPairs, table: Interactions, e: number): boolean {
  const u = model.users.indexOf(table.users.idAt(table.user[e]));
  if (u < 0 || u >= model.seen.nRows) return false;
  const i = model.movies.indexOf(table.movies.idAt(table.movie[e]));
  return i >= 0 && hasEntry(model.seen, u, i);
}

/** The entries `keep` of `table`, same vocabularies. */
function subset(table: Interactions, keep: readonly number[]): Interactions {
  const n = keep.length;
  const out = {
    users: table.users,
    movies: table.movies,
    size: n,
    user: new Int32Array(n),
    movie: new Int32Array(n),
    rating: new Float32Array(n),
    minutes: new Float32Array(n),
    time: new Float64Array(n),
  };
  keep.forEach((e, k) => {
    out.user[k] = table.user[e];
    out.movie[k] = table.movie[e];
    out.rating[k] = table.rating[e];
    out.minutes[k] = table.minutes[e];
    out.time[k] = table.time[e];
  });
  return out;
}
