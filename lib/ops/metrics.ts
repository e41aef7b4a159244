import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One prom-client Registry per process, injected (STYLE.md): a function's
 * index.ts makes it with `createMetricsRegistry`, passes it to its handler,
 * and the handler answers `GET /metrics` with `metricsResponse`. Names are
 * `movierec_<what>_<unit>` with `_total` / `_seconds` suffixes; default
 * process metrics (CPU, memory, event-loop lag) come with the `process_` /
 * `nodejs_` prefixes prom-client gives them.
 *
 * The names every function exposes are listed in `METRIC_NAMES` below; the
 * Prometheus rules, the Grafana dashboard and their tests check against it.
 */

export interface MetricsRegistryOptions {
  /** Labels on every series of this process, e.g. `{ function: 'recommend', revision }`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Collect prom-client's default process metrics (off in unit tests that assert exact output). */
  readonly defaults?: boolean;
}

export function createMetricsRegistry(options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.labels !== undefined) registry.setDefaultLabels({ ...options.labels });
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

/** The body and content type of a `GET /metrics` answer. */
export async function metricsResponse(registry: Registry): Promise<{ readonly contentType: string; readonly body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/**
 * The `movierec_` metric families each function exposes besides the default
 * process metrics (histograms by family name: PromQL reads `<name>_bucket`,
 * `_sum`, `_count`). Labels and meanings: monitoring/README.md.
 */
export const METRIC_NAMES = {
  recommend: [
    'movierec_recommend_request_duration_seconds',
    'movierec_recommend_requests_total',
    'movierec_recommend_fallback_total',
    'movierec_model_created_timestamp_seconds',
  ],
  ingest: [
    'movierec_ingest_lines_total',
    'movierec_ingest_rejects_total',
    'movierec_ingest_commit_duration_seconds',
    'movierec_ingest_last_stored_timestamp_seconds',
    'movierec_ingest_lag_seconds',
  ],
  train: [
    'movierec_train_runs_total',
    'movierec_train_duration_seconds',
    'movierec_train_last_success_timestamp_seconds',
    'movierec_model_rmse',
    'movierec_model_ndcg_at_20',
    'movierec_model_hit_rate_at_20',
  ],
  evaluate: [
    'movierec_online_hit_rate',
    'movierec_online_watched_minutes',
    'movierec_online_mean_rating',
    'movierec_online_fallback_ratio',
    'movierec_online_latency_p95_seconds',
    'movierec_online_served',
    'movierec_canary_decisions_total',
    'movierec_revision_traffic_percent',
    'movierec_online_evaluations_total',
  ],
} as const;
