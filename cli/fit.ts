import type { TrainSet } from '../lib/data/train-set.js';
import type { Model } from '../lib/models/model.js';
import type { PreparedAlgorithm } from '../lib/models/registry.js';
import type { Io } from './io.js';
import { epochProgress } from './progress.js';

export interface Fitted {
  readonly model: Model;
  readonly fitSeconds: number;
}

/** Fit with a progress bar on a terminal; returns the model and the wall-clock fit time. */
export async function fitWithProgress(io: Io, prepared: PreparedAlgorithm, train: TrainSet): Promise<Fitted> {
  const progress = epochProgress(io, prepared.algorithm, prepared.params.epochs ?? 1);
  const started = performance.now();
  try {
    const model = await prepared.fit(train, { onEpoch: progress.onEpoch });
    return { model, fitSeconds: (performance.now() - started) / 1000 };
  } finally {
    progress.stop();
  }
}

/** Seconds since `started` (a performance.now() reading). */
export function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}
