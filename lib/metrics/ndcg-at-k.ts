import { checkCutoff } from './cutoff.js';

/**
 * NDCG@k for one user with binary relevance and a log2 discount
 * (Järvelin & Kekäläinen 2002):
 *
 *   DCG@k  = Σ_{pos=1..k} rel(pos) / log2(pos + 1)
 *   IDCG@k = Σ_{pos=1..min(|relevant|, k)} 1 / log2(pos + 1)
 *   NDCG@k = DCG@k / IDCG@k
 *
 * The ideal list puts every relevant item first, so IDCG depends only on how
 * many there are, capped at k. NaN when the user has no relevant items.
 */
export function ndcgAtK(recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  checkCutoff('ndcgAtK', k);
  if (relevant.size === 0) return Number.NaN;
  const end = Math.min(k, recommended.length);
  let dcg = 0;
  for (let pos = 0; pos < end; pos++) if (relevant.has(recommended[pos])) dcg += 1 / Math.log2(pos + 2);
  const ideal = Math.min(k, relevant.size);
  let idcg = 0;
  for (let pos = 0; pos < ideal; pos++) idcg += 1 / Math.log2(pos + 2);
  return dcg / idcg;
}
