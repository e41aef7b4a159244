import { checkCutoff, hitsAtK } from './cutoff.js';

/**
 * Recall@k for one user: the share of the relevant items that appear in the
 * top k recommendations, |top-k ∩ relevant| / |relevant|.
 *
 * NaN when the user has no relevant items (recall is undefined there);
 * averaging helpers leave such users out.
 */
export function recallAtK(recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  checkCutoff('recallAtK', k);
  if (relevant.size === 0) return Number.NaN;
  return hitsAtK(recommended, relevant, k) / relevant.size;
}
