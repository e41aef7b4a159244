import { InvalidArgumentError } from '../errors.js';

/**
 * Check that `predicted` and `actual` pair up one to one. Arrays of
 * different lengths are a programmer error, not an empty result.
 */
export function checkPaired(metric: string, predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (predicted.length !== actual.length) {
    throw new InvalidArgumentError(
      `${metric}: ${predicted.length} predictions but ${actual.length} actual values; they must pair up`,
    );
  }
}
