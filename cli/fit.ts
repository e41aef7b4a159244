import type { TrainSet } from '../lib/data/train-set.js';
import type { PreparedAlgorithm } from '../lib/models/registry.js';
import type { Fitted } from '../lib/training/train-model.js';
import { fitModel } from '../lib/training/train-model.js';
import type { Io } from './io.js';
import { epochProgress } from './progress.js';

export type { Fitted } from '../lib/training/train-model.js';

/** Fit with a progress bar on a terminal; returns the model and the wall-clock fit time. */
export async function fitWithProgress(io: Io, prepared: PreparedAlgorithm, train: TrainSet): Promise<Fitted> {
  const progress = epochProgress(io, prepared.algorithm, prepared.params.epochs ?? 1);
  try {
    return await fitModel(prepared, train, progress.onEpoch);
  } finally {
    progress.stop();
  }
}

/** Seconds since `started` (a performance.now() reading). */
export function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}
