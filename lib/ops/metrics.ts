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
