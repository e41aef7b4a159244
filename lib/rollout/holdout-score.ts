import type { Csr } from '../data/csr.js';
import type { LoadedBundle } from '../artifacts/read-bundle.js';
import { mapTestSet } from '../data/build-train-set.js';
import { hitRateAtK } from '../metrics/hit-rate-at-k.js';
import { ndcgAtK } from '../metrics/ndcg-at-k.js';
import { predictRatings } from '../metrics/offline-report.js';
import { rmse } from '../metrics/rmse.js';
import type { Model } from '../models/model.js';
import { createRecommender } from '../models/top-n.js';
import type { HoldoutSlice } from './holdout-slice.js';
import type { ModelScores } from './offline-gate.js';
import { GATE_K } from './offline-gate.js';

/**
 * Score one bundle's model on a held-out slice, the way it would serve:
 * - RMSE over every rated pair of the slice (a user or movie the model
 *   does not know drops the terms that need it, as `predict` does); null
 *   for a model that does not estimate ratings, or a slice without ratings.
 *   Recommended pairs count here too: exposure decides which movies a user
 *   gets to rate, not the rating they give, and a rating error does not
 *   reward a model for having recommended the movie — while leaving those
 *   ratings out would starve the check below min_ratings.
 * - NDCG@k and hit rate@k over the slice users with a relevant organic
 *   movie: each gets the model's top k, excluding the movies the bundle
 *   says the user has seen — except the slice's own pairs (train may count
 *   held-out pairs as seen, so serving skips them; here they are what is
 *   asked for) — and excluding the user's withheld (recommended) pairs, so
 *   they are neither hits nor misses for any model. A user the model does
 *   not know gets its popularity fallback, as in serving, so every model is
 *   averaged over the same users.
 */
export function scoreOnSlice(
  bundle: Pick<LoadedBundle, 'users' | 'movies' | 'seen' | 'popularity'>,
  model: Model,
  slice: HoldoutSlice,
  k = GATE_K,
): ModelScores {
  const test = mapTestSet(slice.table, bundle.users, bundle.movies);
  const predictions = predictRatings(model, test);
  const ratingError = model.predictsRatings && predictions.actual.length > 0 ? rmse(predictions.predicted, predictions.actual) : null;

  const seen = seenWithout(bundle.seen, test.user, test.movie);
  const recommend = createRecommender(model, { seen, popularity: bundle.popularity });
  const { users, movies } = slice.table;
  const lists: Int32Array[] = [];
  const sets: ReadonlySet<number>[] = [];
  let ndcg = 0;
  for (const [s, relevant] of slice.relevant) {
    const withheld = slice.withheld.get(s);
    const top = recommend(bundle.users.indexOf(users.idAt(s)), k + (withheld?.size ?? 0)).movies;
    // Into slice indices; a movie the slice does not hold becomes -1, never relevant.
    const mapped = Array.from(top, (m) => movies.indexOf(bundle.movies.idAt(m)));
    const list = Int32Array.from((withheld === undefined ? mapped : mapped.filter((m) => !withheld.has(m))).slice(0, k));
    lists.push(list);
    sets.push(relevant);
    ndcg += ndcgAtK(list, relevant, k);
  }
  return {
    rmse: ratingError,
    ndcg: lists.length > 0 ? ndcg / lists.length : null,
    hitRate: lists.length > 0 ? hitRateAtK(lists, sets, k) : null,
  };
}

/** `seen` without the pairs (rows[e], cols[e]) (index -1: not in the matrix, ignored). */
function seenWithout(seen: Csr, rows: Int32Array, cols: Int32Array): Csr {
  const drop = new Map<number, Set<number>>();
  for (let e = 0; e < rows.length; e++) {
    const u = rows[e];
    if (u < 0 || cols[e] < 0 || u >= seen.nRows) continue;
    let set = drop.get(u);
    if (set === undefined) {
      set = new Set<number>();
      drop.set(u, set);
    }
    set.add(cols[e]);
  }
  if (drop.size === 0) return seen;
  const indptr = new Int32Array(seen.nRows + 1);
  const indices = new Int32Array(seen.indices.length);
  const values = new Float32Array(seen.values.length);
  let w = 0;
  for (let u = 0; u < seen.nRows; u++) {
    const dropped = drop.get(u);
    for (let p = seen.indptr[u]; p < seen.indptr[u + 1]; p++) {
      if (dropped !== undefined && dropped.has(seen.indices[p])) continue;
      indices[w] = seen.indices[p];
      values[w] = seen.values[p];
      w++;
    }
    indptr[u + 1] = w;
  }
  return { nRows: seen.nRows, nCols: seen.nCols, indptr, indices: indices.subarray(0, w), values: values.subarray(0, w) };
}
