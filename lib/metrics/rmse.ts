import { checkPaired } from './paired-arrays.js';

/**
 * Root mean squared error, √(Σ (r̂ − r)² / n), as Surprise's `accuracy.rmse`.
 *
 * NaN when there are no pairs (a mean of nothing); arrays of different
 * lengths throw InvalidArgumentError.
 */
export function rmse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkPaired('rmse', predicted, actual);
  const n = predicted.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const e = predicted[k] - actual[k];
    sum += e * e;
  }
  return Math.sqrt(sum / n);
}
