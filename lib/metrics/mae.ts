import { checkPaired } from './paired-arrays.js';

/**
 * Mean absolute error, Σ |r̂ − r| / n, as Surprise's `accuracy.mae`.
 *
 * NaN when there are no pairs (a mean of nothing); arrays of different
 * lengths throw InvalidArgumentError.
 */
export function mae(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkPaired('mae', predicted, actual);
  const n = predicted.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.abs(predicted[k] - actual[k]);
  return sum / n;
}
