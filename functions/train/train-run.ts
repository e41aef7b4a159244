import { randomBytes } from 'node:crypto';
import type { BlobStore } from '../../lib/artifacts/blob-store.js';
import type { CodeVersion } from '../../lib/artifacts/manifest.js';
import { MovierecError } from '../../lib/errors.js';
import type { EventsStorage } from '../../lib/events/events-storage.js';
import { buildEvent } from '../../lib/messaging/cloud-event-codec.js';
import type { EventSender } from '../../lib/messaging/event-sender.js';
import { eventSource } from '../../lib/messaging/event-types.js';
import { MODEL_TRAINED, ModelTrainedSchema } from '../../lib/messaging/events/model-trained.js';
import type { Logger } from '../../lib/ops/logger.js';
import type { TrainParams } from '../../lib/training/params.js';
import type { TrainingProgress } from '../../lib/training/run-training.js';
import { runTraining } from '../../lib/training/run-training.js';
import type { Notifier } from '../../lib/ops/notifier.js';
import type { TrainMetrics } from './train-metrics.js';
import type { RunOutcome, RunRequest } from './trainer.js';

const DAY_MS = 86_400_000;

export interface TrainRunDeps {
  readonly storage: EventsStorage;
  /** Models root (`MODELS_URI`): a folder path or a store (`storeAt`). */
  readonly models: string | BlobStore;
  readonly params: TrainParams;
  /** The window read: the last this many days (`WINDOW_DAYS`). */
  readonly windowDays: number;
  readonly code: CodeVersion;
  readonly sender: Pick<EventSender, 'enqueue' | 'flush'>;
  readonly logger: Logger;
  /** Counts runs by outcome and keeps each new model's fit time and offline metrics. */
  readonly metrics: Pick<TrainMetrics, 'runEnded' | 'modelSaved'>;
  /** Told of a failed run or algorithm (Slack); never waited for. */
  readonly notifier?: Notifier;
  readonly now?: () => Date;
}

/**
 * One run of the function: the window ending now, lib/training's run, a log
 * line per step, and `io.movierec.model.trained.v1` to the Broker (sent
 * before the run counts as done); every run's outcome and every saved
 * model's figures go to `deps.metrics`.
 */
export function trainRunner(deps: TrainRunDeps): (request: RunRequest) => Promise<RunOutcome> {
  const now = deps.now ?? (() => new Date());
  return async (request) => {
    try {
      const outcome = await runOnce(request);
      deps.metrics.runEnded(outcome.status === 'trained' ? 'succeeded' : 'skipped');
      return outcome;
    } catch (error) {
      deps.metrics.runEnded('failed');
      deps.notifier?.notify({
        kind: 'training-failed',
        title: 'Training run failed; the serving model is unchanged',
        metrics: { reason: request.reason, algorithms: request.algorithms.join(', ') },
        evidence: [failureText(error)],
      });
      throw error;
    }
  };

  async function runOnce(request: RunRequest): Promise<RunOutcome> {
    const started = now();
    const runId = `train-${started.toISOString().replace(/[-:]/g, '')}-${randomBytes(4).toString('hex')}`;
    const window = { from: started.getTime() - deps.windowDays * DAY_MS, to: started.getTime() };
    const logger = deps.logger.child({ runId });
    logger.info('training run started', {
      reason: request.reason,
      algorithms: request.algorithms,
      from: new Date(window.from).toISOString(),
      to: started.toISOString(),
    });
    const result = await runTraining(
      { runId, reason: request.reason, algorithms: request.algorithms, window },
      { storage: deps.storage, models: deps.models, params: deps.params, code: deps.code, now, onProgress: (p) => progressed(logger, deps, p) },
    );
    if (result.status === 'skipped') {
      logger.info('training run skipped', { why: result.reason, interactions: result.interactions });
      return { status: 'skipped', interactions: result.interactions };
    }
    const checked = ModelTrainedSchema.safeParse(result.trained);
    if (!checked.success) throw new MovierecError(`model.trained data is invalid: ${checked.error.message}`);
    deps.sender.enqueue(
      buildEvent({ type: MODEL_TRAINED, source: eventSource('train'), data: checked.data, subject: runId, time: new Date(checked.data.trainedAt) }),
    );
    await deps.sender.flush();
    logger.info('training run finished', {
      models: checked.data.models.map((m) => ({ algorithm: m.algorithm, version: m.version, bundleUri: m.bundleUri })),
      holdoutFrom: checked.data.snapshot.holdoutFrom,
    });
    return { status: 'trained', interactions: result.interactions };
  }
}

function progressed(logger: Logger, deps: Pick<TrainRunDeps, 'metrics' | 'notifier'>, progress: TrainingProgress): void {
  if (progress.step === 'saved') deps.metrics.modelSaved(progress.model);
  if (progress.step === 'failed') {
    deps.notifier?.notify({
      kind: 'training-failed',
      title: `Training ${progress.algorithm} failed; the other algorithms go on`,
      models: { algorithm: progress.algorithm },
      evidence: [failureText(progress.error)],
    });
  }
  logProgress(logger, progress);
}

/** What Slack is told of a failure: our own errors' messages; anything else only by its kind (details are in the log). */
function failureText(error: unknown): string {
  return error instanceof MovierecError ? error.message : `unexpected ${error instanceof Error ? error.name : 'error'} (see the train log)`;
}

function logProgress(logger: Logger, progress: TrainingProgress): void {
  switch (progress.step) {
    case 'read': {
      const { step: _step, ...counts } = progress;
      logger.info('window read', counts);
      return;
    }
    case 'split':
      logger.info('split by time', {
        nTrain: progress.nTrain,
        nValidation: progress.nValidation,
        holdoutFrom: progress.holdoutFrom === null ? null : new Date(progress.holdoutFrom).toISOString(),
      });
      return;
    case 'epoch': {
      const { step: _step, ...epoch } = progress;
      logger.debug('epoch', epoch);
      return;
    }
    case 'saved':
      logger.info('model saved', { ...progress.model });
      return;
    case 'failed':
      logger.error('algorithm failed; the others go on', { algorithm: progress.algorithm, error: progress.error });
  }
}
