import type { BlobStore } from '../lib/artifacts/blob-store.js';
import type { Interactions } from '../lib/data/interactions.js';
import type { RatingScale } from '../lib/data/records.js';
import { randomHoldout } from '../lib/data/splits.js';
import type { EpochReport } from '../lib/models/model.js';
import type { PreparedAlgorithm } from '../lib/models/registry.js';
import type { PreparedData } from '../lib/pipeline/prepared-io.js';
import { gitCommit, packageVersion } from '../lib/ops/version.js';
import type { TrainOutcome } from '../lib/training/train-model.js';
import { splitData, trainModel as trainAndSave } from '../lib/training/train-model.js';
import type { Io } from './io.js';
import { epochProgress } from './progress.js';

export type { TrainOutcome } from '../lib/training/train-model.js';

export interface TrainRequest {
  readonly prepared: PreparedAlgorithm;
  readonly table: Interactions;
  readonly scale: RatingScale;
  /** Fraction held out for offline metrics; 0 trains on everything and reports none. */
  readonly validation: number;
  readonly seed: number;
  readonly k: number;
  readonly sources: readonly string[];
  readonly contentHash: string;
  /** Models root: the bundle goes to `<out>/<algorithm>/<version>/`. */
  readonly out: string | BlobStore;
  /** Every epoch's report, for a loss history. */
  readonly onEpoch?: (report: EpochReport) => void;
}

/** Split at random, fit with a progress bar on a terminal, evaluate on the held-out part, and publish a bundle (lib/training does the work). */
export async function trainModel(io: Io, request: TrainRequest): Promise<TrainOutcome> {
  const { prepared, table, scale } = request;
  const split = request.validation > 0 ? randomHoldout(table, request.validation, request.seed) : null;
  const progress = epochProgress(io, prepared.algorithm, prepared.params.epochs ?? 1);
  try {
    return await trainAndSave({
      prepared,
      split: splitData(table, scale, split),
      k: request.k,
      snapshot: { sources: [...request.sources], contentHash: request.contentHash },
      code: { packageVersion: packageVersion(), gitCommit: gitCommit() },
      out: request.out,
      onEpoch: both(progress.onEpoch, request.onEpoch),
    });
  } finally {
    progress.stop();
  }
}

export interface TrainPreparedRequest {
  readonly prepared: PreparedAlgorithm;
  /** A `movierec prepare` folder, read: the split and where it came from. */
  readonly data: PreparedData;
  readonly k: number;
  readonly out: string | BlobStore;
  readonly onEpoch?: (report: EpochReport) => void;
}

/** Fit on prepared data (its split as is), evaluate on its held-out set, and publish a bundle naming the snapshot's window and segments. */
export async function trainPrepared(io: Io, request: TrainPreparedRequest): Promise<TrainOutcome> {
  const { prepared, data } = request;
  const { snapshot } = data.manifest;
  const progress = epochProgress(io, prepared.algorithm, prepared.params.epochs ?? 1);
  try {
    return await trainAndSave({
      prepared,
      split: data.split,
      k: request.k,
      snapshot: { sources: snapshot.segments.map((s) => s.key), contentHash: snapshot.contentHash, window: snapshot.window, segments: snapshot.segments },
      code: { packageVersion: packageVersion(), gitCommit: gitCommit() },
      out: request.out,
      onEpoch: both(progress.onEpoch, request.onEpoch),
    });
  } finally {
    progress.stop();
  }
}

function both(first: (report: EpochReport) => void, second?: (report: EpochReport) => void): (report: EpochReport) => void {
  if (second === undefined) return first;
  return (report) => {
    first(report);
    second(report);
  };
}
