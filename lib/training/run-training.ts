import type { BlobStore } from '../artifacts/blob-store.js';
import type { CodeVersion } from '../artifacts/manifest.js';
import { aggregateInteractions } from '../data/interactions.js';
import { timeHoldout } from '../data/splits.js';
import { InvalidArgumentError } from '../errors.js';
import type { EventsStorage } from '../events/events-storage.js';
import { readInteractions } from '../events/read-interactions.js';
import type { ModelTrained, TrainedModel } from '../messaging/events/model-trained.js';
import type { Algorithm } from '../models/model.js';
import type { TrainParams } from './params.js';
import { prepareFromParams } from './params.js';
import { splitData, trainModel } from './train-model.js';

/**
 * One training run, as the train function does it: read the window's watch
 * and rate events from the events store, aggregate them into (user, movie)
 * interactions, hold out the newest `validation` share by time, fit each
 * algorithm, score it on the held-out slice, publish a bundle per algorithm,
 * and describe it all as the data of an `io.movierec.model.trained.v1`
 * event. The caller owns the clock (the window) and the logging (`onProgress`).
 */

export interface TrainingRunInput {
  readonly runId: string;
  /** Why the run happens (`schedule`, `new-data`, `manual`, …). */
  readonly reason: string;
  readonly algorithms: readonly Algorithm[];
  /** The events read: `from ≤ time < to`, ms since the epoch. */
  readonly window: { readonly from: number; readonly to: number };
}

export interface TrainingRunDeps {
  readonly storage: EventsStorage;
  /** Models root: bundles go to `<models>/<algorithm>/<version>/`. */
  readonly models: string | BlobStore;
  readonly params: TrainParams;
  readonly code: CodeVersion;
  readonly onProgress?: (progress: TrainingProgress) => void;
  /** Stamps `trainedAt`. */
  readonly now?: () => Date;
}

/** What a run reports as it goes. */
export type TrainingProgress =
  | {
      readonly step: 'read';
      readonly records: number;
      readonly interactions: number;
      readonly segments: number;
      readonly corrupt: number;
      readonly unparsable: number;
    }
  | { readonly step: 'split'; readonly nTrain: number; readonly nValidation: number; readonly holdoutFrom: number | null }
  | { readonly step: 'epoch'; readonly algorithm: Algorithm; readonly epoch: number; readonly epochs: number; readonly loss: number }
  | { readonly step: 'saved'; readonly model: TrainedModel }
  | { readonly step: 'failed'; readonly algorithm: Algorithm; readonly error: unknown };

export type TrainingRunResult =
  | { readonly status: 'skipped'; readonly reason: string; readonly interactions: number }
  | { readonly status: 'trained'; readonly trained: ModelTrained; readonly interactions: number };

/**
 * Run once. Below `minInteractions` nothing is fitted (`skipped`). An
 * algorithm that fails is reported (`failed`) and the others go on; when
 * every one fails, the first error is thrown.
 */
export async function runTraining(input: TrainingRunInput, deps: TrainingRunDeps): Promise<TrainingRunResult> {
  const { params } = deps;
  if (input.algorithms.length === 0) throw new InvalidArgumentError('a training run needs at least one algorithm');
  const report = deps.onProgress ?? (() => undefined);
  const read = await readInteractions(deps.storage, input.window, { scale: params.scale });
  const table = aggregateInteractions(read.records);
  const unparsable = Object.values(read.unparsable).reduce((a, b) => a + b, 0);
  report({ step: 'read', records: read.records.length, interactions: table.size, segments: read.segments.length, corrupt: read.corrupt, unparsable });
  if (table.size < params.minInteractions) {
    return {
      status: 'skipped',
      reason: `${table.size} interactions in the window, below min_interactions ${params.minInteractions}`,
      interactions: table.size,
    };
  }

  const holdout = timeHoldout(table, params.validation);
  const split = splitData(table, params.scale, holdout.holdoutFrom === null ? null : holdout);
  report({ step: 'split', nTrain: split.nTrain, nValidation: split.nValidation, holdoutFrom: holdout.holdoutFrom });
  const iso = (ms: number) => new Date(ms).toISOString();
  const snapshot = {
    sources: read.segments.map((segment) => segment.key),
    contentHash: read.snapshot,
    window: { from: iso(input.window.from), to: iso(input.window.to) },
    segments: read.segments.map(({ key, bytes, sha256 }) => ({ key, bytes, sha256 })),
  };

  const models: TrainedModel[] = [];
  const failures: unknown[] = [];
  for (const algorithm of input.algorithms) {
    try {
      const outcome = await trainModel({
        prepared: prepareFromParams(params, algorithm),
        split,
        k: params.k,
        snapshot,
        code: deps.code,
        out: deps.models,
        onEpoch: (epoch) => report({ step: 'epoch', algorithm, ...epoch }),
      });
      const model: TrainedModel = {
        algorithm,
        version: outcome.bundle.manifest.version,
        bundleUri: outcome.path,
        metrics: outcome.metrics,
        fitSeconds: outcome.fitSeconds,
      };
      models.push(model);
      report({ step: 'saved', model });
    } catch (error) {
      failures.push(error);
      report({ step: 'failed', algorithm, error });
    }
  }
  if (models.length === 0) throw failures[0];

  return {
    status: 'trained',
    interactions: table.size,
    trained: {
      runId: input.runId,
      models,
      snapshot: {
        from: iso(input.window.from),
        to: iso(input.window.to),
        holdoutFrom: holdout.holdoutFrom === null ? null : iso(holdout.holdoutFrom),
        contentHash: read.snapshot,
        segments: read.segments.length,
        interactions: table.size,
        users: table.users.size,
        movies: table.movies.size,
      },
      reason: input.reason,
      trainedAt: (deps.now ?? (() => new Date()))().toISOString(),
    },
  };
}
