import { checkCutoff, hitsAtK } from './cutoff.js';

/**
 * Precision@k for one user: the share of the top k recommendations that are
 * relevant, |top-k ∩ relevant| / k.
 *
 * The denominator is k even when the list is shorter, so a short list is not
 * rewarded for saying less. With no relevant items the value is 0.
 */
export function precisionAtK(recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  checkCutoff('precisionAtK', k);
  return hitsAtK(recommended, relevant, k) / k;
}
