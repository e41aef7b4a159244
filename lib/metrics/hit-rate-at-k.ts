import { InvalidArgumentError } from '../errors.js';
import { checkCutoff, hitsAtK } from './cutoff.js';

/**
 * Hit rate@k over users: the share of users with at least one relevant item
 * in their top k. `recommended[j]` and `relevant[j]` belong to user j.
 *
 * NaN when there are no users.
 */
export function hitRateAtK(
  recommended: ReadonlyArray<ArrayLike<number>>,
  relevant: ReadonlyArray<ReadonlySet<number>>,
  k: number,
): number {
  checkCutoff('hitRateAtK', k);
  if (recommended.length !== relevant.length) {
    throw new InvalidArgumentError(
      `hitRateAtK: ${recommended.length} recommendation lists but ${relevant.length} relevant sets; they must pair up`,
    );
  }
  if (recommended.length === 0) return Number.NaN;
  let users = 0;
  for (let j = 0; j < recommended.length; j++) if (hitsAtK(recommended[j], relevant[j], k) > 0) users++;
  return users / recommended.length;
}
