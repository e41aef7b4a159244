import type { Algorithm } from '../../lib/models/model.js';
import { ALGORITHMS } from '../../lib/models/model.js';
import type { Logger } from '../../lib/ops/logger.js';

/**
 * When training runs: one run at a time, in the background. A request while
 * a run is going sets one pending run (requests coalesce: their reasons and
 * algorithms merge), started as soon as the current one ends. New data
 * (ingest's `data.appended` counts) starts a run once `newDataThreshold`
 * records arrived since the last run began — or, before this process has
 * trained any model, as soon as the store is likely to hold
 * `minInteractions` (the last run's count plus what arrived since; unknown
 * before the first run, which then simply runs).
 */

/** One run to do: why, and which algorithms. */
export interface RunRequest {
  readonly reason: string;
  readonly algorithms: readonly Algorithm[];
}

/** How a run ended: with models, or skipped for too little data; `interactions` in its window. */
export interface RunOutcome {
  readonly status: 'trained' | 'skipped';
  readonly interactions: number;
}

/** The answer to a trigger, as the function returns it (202 JSON). */
export interface RunAnswer {
  readonly run: 'started' | 'coalesced' | 'skipped';
  readonly reason?: string;
}

export interface TrainerState {
  readonly running: boolean;
  readonly pending: boolean;
  /** Runs started by this process. */
  readonly runs: number;
  readonly failed: number;
  /** Whether a run of this process has produced models. */
  readonly trained: boolean;
  /** watch + rate records stored since the last run began. */
  readonly newRecords: number;
}

export interface Trainer {
  /** Train now (a retrain request or the schedule). */
  request(request: RunRequest): RunAnswer;
  /** Count records ingest stored; starts a run when they are enough. */
  newData(records: number): RunAnswer;
  /** Resolves once no run is going and none is pending. */
  idle(): Promise<void>;
  state(): TrainerState;
}

export interface TrainerOptions {
  /** Does one run; its failure is logged and never stops the trainer. */
  readonly run: (request: RunRequest) => Promise<RunOutcome>;
  /** What new data trains. */
  readonly algorithms: readonly Algorithm[];
  readonly minInteractions: number;
  readonly newDataThreshold: number;
  readonly logger: Logger;
}

/** Merge a pending request with a new one: both reasons, every algorithm. */
function merge(a: RunRequest | undefined, b: RunRequest): RunRequest {
  if (a === undefined) return b;
  const reasons = [...new Set([...a.reason.split(', '), b.reason])];
  return { reason: reasons.join(', '), algorithms: ALGORITHMS.filter((name) => a.algorithms.includes(name) || b.algorithms.includes(name)) };
}

export function createTrainer(options: TrainerOptions): Trainer {
  let current: Promise<void> | undefined;
  let pending: RunRequest | undefined;
  let runs = 0;
  let failed = 0;
  let trained = false;
  let newRecords = 0;
  /** Interactions the last run found in its window; undefined before the first run ends. */
  let known: number | undefined;

  function start(request: RunRequest): void {
    runs += 1;
    newRecords = 0;
    const run = runs;
    current = Promise.resolve()
      .then(() => options.run(request))
      .then(
        (outcome) => {
          known = outcome.interactions;
          if (outcome.status === 'trained') trained = true;
        },
        (error: unknown) => {
          failed += 1;
          options.logger.error('training run failed', { run, reason: request.reason, error });
        },
      )
      .finally(() => {
        current = undefined;
        const next = pending;
        pending = undefined;
        if (next !== undefined) start(next);
      });
  }

  function request(request: RunRequest): RunAnswer {
    if (current !== undefined) {
      pending = merge(pending, request);
      return { run: 'coalesced' };
    }
    start(request);
    return { run: 'started' };
  }

  function newData(records: number): RunAnswer {
    newRecords += records;
    if (trained) {
      if (newRecords < options.newDataThreshold) {
        return { run: 'skipped', reason: `${newRecords} new records since the last run, below new_data_threshold ${options.newDataThreshold}` };
      }
    } else if (known === undefined) {
      if (current !== undefined) return { run: 'skipped', reason: 'the first run is still going' };
    } else if (known + newRecords < options.minInteractions) {
      return {
        run: 'skipped',
        reason: `about ${known + newRecords} interactions stored, below min_interactions ${options.minInteractions}`,
      };
    }
    return request({ reason: 'new-data', algorithms: options.algorithms });
  }

  return {
    request,
    newData,
    async idle() {
      while (current !== undefined) await current;
    },
    state: () => ({ running: current !== undefined, pending: pending !== undefined, runs, failed, trained, newRecords }),
  };
}
