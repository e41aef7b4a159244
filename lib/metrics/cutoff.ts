import { InvalidArgumentError } from '../errors.js';

/** Check that a cut-off k is a positive whole number. */
export function checkCutoff(metric: string, k: number): void {
  if (!Number.isSafeInteger(k) || k < 1) {
    throw new InvalidArgumentError(`${metric}: k must be a whole number ≥ 1, got ${k}`);
  }
}

/**
 * How many of the first k recommendations are relevant. A list shorter
 * than k contributes what it has.
 */
export function hitsAtK(recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  const end = Math.min(k, recommended.length);
  let hits = 0;
  for (let pos = 0; pos < end; pos++) if (relevant.has(recommended[pos])) hits++;
  return hits;
}
