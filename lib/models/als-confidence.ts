import type { Csr } from '../data/csr.js';
import type { RatingScale } from '../data/records.js';
import type { TrainSet } from '../data/train-set.js';

/** Minutes after which a watch counts as complete (a feature film's first ~1.5 h). */
export const FULL_WATCH_MINUTES = 90;

/**
 * How strongly one interaction says "u likes i", in [0, 1]:
 *
 *   watched m minutes:  s_w = min(1, log(1 + m) / log(1 + 90))
 *   rated r on [lo, hi]: s_r = (r − lo + 1) / (hi − lo + 1)
 *   s_ui = max(s_w, s_r)   (0 for a watch of minute 0 with no rating)
 *
 * The log follows Hu, Koren & Volinsky's (2008, §4) advice to dampen long
 * watches; the rating term lets a rated-only movie (MovieLens, or a course
 * rating without a logged watch) count in proportion to how much it was
 * liked: 1 of 5 gives 0.2, 5 of 5 gives 1.
 */
export function interactionStrength(minutes: number, rating: number, scale: RatingScale): number {
  const watched = minutes > 0 ? Math.min(1, Math.log1p(minutes) / Math.log1p(FULL_WATCH_MINUTES)) : 0;
  const rated = Number.isNaN(rating) ? 0 : (rating - scale.min + 1) / (scale.max - scale.min + 1);
  return Math.max(0, watched, Math.min(1, rated));
}

/**
 * The implicit matrix with values c_ui − 1 = α·s_ui (so c_ui = 1 + α·s_ui,
 * the "plain linear" confidence of Hu et al. eq. 2 on the strength above).
 * The preference p_ui is 1 on every stored entry and 0 elsewhere. Shares
 * `indptr`/`indices` with `train.implicit`.
 */
export function confidenceMatrix(train: TrainSet, alpha: number): Csr {
  const { implicit, ratings, scale } = train;
  const values = new Float32Array(implicit.values.length);
  for (let u = 0; u < implicit.nRows; u++) {
    let q = ratings.indptr[u];
    const qEnd = ratings.indptr[u + 1];
    for (let p = implicit.indptr[u]; p < implicit.indptr[u + 1]; p++) {
      const i = implicit.indices[p];
      while (q < qEnd && ratings.indices[q] < i) q++;
      const rating = q < qEnd && ratings.indices[q] === i ? ratings.values[q] : Number.NaN;
      values[p] = alpha * interactionStrength(implicit.values[p], rating, scale);
    }
  }
  return { nRows: implicit.nRows, nCols: implicit.nCols, indptr: implicit.indptr, indices: implicit.indices, values };
}
