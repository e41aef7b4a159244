import { nnz } from '../data/csr.js';
import type { TrainSet } from '../data/train-set.js';
import { InvalidArgumentError, MovierecError } from '../errors.js';

/** Refuse a train set SGD cannot learn from (no ratings, so no μ). */
export function requireRatings(algorithm: string, train: TrainSet): void {
  if (nnz(train.ratings) === 0 || !Number.isFinite(train.globalMean)) {
    throw new InvalidArgumentError(`${algorithm}: the train set has no ratings to learn from`);
  }
}

/** Training RMSE of a pass from its sum of squared errors. */
export function epochRmse(sse: number, count: number): number {
  return count > 0 ? Math.sqrt(sse / count) : Number.NaN;
}

/** Stop on a diverged pass rather than hand back a model of NaNs. */
export function requireFiniteLoss(algorithm: string, loss: number, epoch: number, lr: number): void {
  if (!Number.isFinite(loss)) {
    throw new MovierecError(`${algorithm}: training diverged at epoch ${epoch} (loss ${loss}); try an lr below ${lr}`);
  }
}
