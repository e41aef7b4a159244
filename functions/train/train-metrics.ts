import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { TrainedModel } from '../../lib/messaging/events/model-trained.js';
import type { Algorithm } from '../../lib/models/model.js';

/** How a training run ended. */
export const TRAIN_OUTCOMES = ['succeeded', 'failed', 'skipped'] as const;
export type TrainOutcome = (typeof TRAIN_OUTCOMES)[number];

/** Fit times from a toy window to a course-scale SVD++ (seconds). */
const DURATION_BUCKETS = [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/** The manifest metric each model gauge shows (the ranking cutoff is 20, the course contract). */
const MODEL_GAUGES = [
  ['movierec_model_rmse', 'rmse', 'RMSE on the validation split of the last model trained per algorithm.'],
  ['movierec_model_ndcg_at_20', 'ndcgAt20', 'NDCG@20 on the validation split of the last model trained per algorithm.'],
  ['movierec_model_hit_rate_at_20', 'hitRateAt20', 'Hit rate@20 on the validation split of the last model trained per algorithm.'],
] as const;

/**
 * Train's metrics (names in COMMON.md / monitoring/README.md):
 * - `movierec_train_runs_total{outcome}` (succeeded | failed | skipped);
 * - `movierec_train_duration_seconds{algorithm}`: each model's fit time;
 * - `movierec_train_last_success_timestamp_seconds`: when the last run that
 *   produced models ended (0 before the first);
 * - `movierec_model_rmse`, `movierec_model_ndcg_at_20`,
 *   `movierec_model_hit_rate_at_20` `{algorithm, model_version}`: the last
 *   model trained per algorithm (a newer model replaces the older series; a
 *   metric the model lacks, e.g. no validation split, has no series).
 */
export class TrainMetrics {
  private readonly runs: Counter<'outcome'>;
  private readonly duration: Histogram<'algorithm'>;
  private readonly lastSuccess: Gauge;
  private readonly models: ReadonlyArray<{ readonly gauge: Gauge<'algorithm' | 'model_version'>; readonly key: string }>;
  private readonly latest = new Map<Algorithm, string>();

  constructor(
    /** The process registry (`createMetricsRegistry`); the handler answers `GET /metrics` with it. */
    readonly registry: Registry,
    private readonly now: () => Date = () => new Date(),
  ) {
    const registers = [registry];
    this.runs = new Counter({
      name: 'movierec_train_runs_total',
      help: 'Training runs ended, by outcome (succeeded, failed, skipped for too little data).',
      labelNames: ['outcome'] as const,
      registers,
    });
    for (const outcome of TRAIN_OUTCOMES) this.runs.inc({ outcome }, 0); // every outcome has a series from the start
    this.duration = new Histogram({
      name: 'movierec_train_duration_seconds',
      help: 'Time to fit one model, by algorithm.',
      labelNames: ['algorithm'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'movierec_train_last_success_timestamp_seconds',
      help: 'When the last training run that produced models ended (0 before the first).',
      registers,
    });
    this.models = MODEL_GAUGES.map(([name, key, help]) => ({
      gauge: new Gauge({ name, help, labelNames: ['algorithm', 'model_version'] as const, registers }),
      key,
    }));
  }

  /** A run ended. */
  runEnded(outcome: TrainOutcome): void {
    this.runs.inc({ outcome });
    if (outcome === 'succeeded') this.lastSuccess.set(this.now().getTime() / 1000);
  }

  /** A model was fitted and saved: its fit time and offline metrics. */
  modelSaved(model: TrainedModel): void {
    this.duration.observe({ algorithm: model.algorithm }, model.fitSeconds);
    const previous = this.latest.get(model.algorithm);
    this.latest.set(model.algorithm, model.version);
    for (const { gauge, key } of this.models) {
      if (previous !== undefined) gauge.remove({ algorithm: model.algorithm, model_version: previous });
      const value = model.metrics[key];
      if (typeof value === 'number' && Number.isFinite(value)) gauge.set({ algorithm: model.algorithm, model_version: model.version }, value);
    }
  }
}
