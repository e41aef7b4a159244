import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Manifest } from '../../lib/artifacts/manifest.js';

/** `model_version` while no model is loaded (loading, or a failed load). */
export const NO_MODEL = 'none';

/** Latency buckets around the 300 ms objective (seconds). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5];

/** The statuses recommend answers on its route; their children are made up front. */
const STATUSES = [200, 400, 405, 500, 503] as const;

type Labels = Readonly<Record<string, string>>;

/** One (model version, status): its histogram child, and its request count as a plain number (read at scrape). */
interface Children {
  readonly duration: Histogram.Internal<string>;
  readonly labels: Labels;
  requests: number;
}

interface VersionChildren {
  readonly version: string;
  readonly byStatus: Map<number, Children>;
  readonly labels: Labels;
  fallbacks: number;
}

/**
 * Recommend's metrics (names in COMMON.md / monitoring/README.md):
 * - `movierec_recommend_request_duration_seconds{revision, model_version, status}` (histogram),
 * - `movierec_recommend_requests_total{revision, model_version, status}`,
 * - `movierec_recommend_fallback_total{revision, model_version}`,
 * - `movierec_model_created_timestamp_seconds{revision, model_version, algorithm}`:
 *   the loaded bundle's createdAt.
 *
 * Only `/recommend/…` requests are counted (not /healthz or /metrics). The
 * label children of a model version are made once (when the version is
 * first seen), so a request costs a map lookup, one histogram observe and
 * two number increments — no label objects; the counters are filled from
 * those numbers when scraped.
 */
export class RecommendMetrics {
  private readonly duration: Histogram<'revision' | 'model_version' | 'status'>;
  private readonly created: Gauge<'revision' | 'model_version' | 'algorithm'>;
  private current: VersionChildren;
  /** Children by model version; made (and zeroed) once per version. */
  private readonly versions = new Map<string, VersionChildren>();
  private loaded: Manifest | undefined;

  constructor(
    /** The process registry (`createMetricsRegistry`); the handler answers `GET /metrics` with it. */
    readonly registry: Registry,
    /** The Knative revision serving (`K_REVISION`). */
    private readonly revision: string,
  ) {
    const registers = [registry];
    const versions = this.versions;
    this.duration = new Histogram({
      name: 'movierec_recommend_request_duration_seconds',
      help: 'Time to answer GET /recommend/:user, by revision, model version and HTTP status.',
      labelNames: ['revision', 'model_version', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    });
    new Counter({
      name: 'movierec_recommend_requests_total',
      help: 'GET /recommend/:user requests answered, by revision, model version and HTTP status.',
      labelNames: ['revision', 'model_version', 'status'] as const,
      registers,
      collect() {
        this.reset();
        for (const children of versions.values()) for (const status of children.byStatus.values()) this.inc(status.labels, status.requests);
      },
    });
    new Counter({
      name: 'movierec_recommend_fallback_total',
      help: 'Answers that fell back to popular movies (unknown or cold user), by revision and model version.',
      labelNames: ['revision', 'model_version'] as const,
      registers,
      collect() {
        this.reset();
        for (const children of versions.values()) this.inc(children.labels, children.fallbacks);
      },
    });
    this.created = new Gauge({
      name: 'movierec_model_created_timestamp_seconds',
      help: 'When the loaded model bundle was created (its manifest createdAt), by revision, model version and algorithm.',
      labelNames: ['revision', 'model_version', 'algorithm'] as const,
      registers,
    });
    this.current = this.childrenOf(NO_MODEL);
  }

  /** One `/recommend/…` request answered with `status` after `seconds`, by `version` (NO_MODEL when none is loaded). */
  observe(version: string, status: number, seconds: number, fallback: boolean): void {
    const children = this.current.version === version ? this.current : (this.current = this.childrenOf(version));
    let byStatus = children.byStatus.get(status);
    if (byStatus === undefined) {
      byStatus = this.statusChildren(version, status);
      children.byStatus.set(status, byStatus);
    }
    byStatus.duration.observe(seconds);
    byStatus.requests += 1;
    if (fallback) children.fallbacks += 1;
  }

  /** The model now serving: its creation time becomes the gauge (replacing the series of a model served before). */
  modelLoaded(manifest: Manifest): void {
    if (this.loaded?.version === manifest.version) return;
    if (this.loaded !== undefined) this.created.remove(this.createdLabels(this.loaded));
    this.loaded = manifest;
    this.created.set(this.createdLabels(manifest), Date.parse(manifest.createdAt) / 1000);
    if (this.current.version !== manifest.version) this.current = this.childrenOf(manifest.version);
  }

  private createdLabels(manifest: Manifest) {
    return { revision: this.revision, model_version: manifest.version, algorithm: manifest.algorithm };
  }

  private childrenOf(version: string): VersionChildren {
    const known = this.versions.get(version);
    if (known !== undefined) return known;
    const byStatus = new Map<number, Children>();
    for (const status of STATUSES) byStatus.set(status, this.statusChildren(version, status));
    const children: VersionChildren = { version, byStatus, labels: { revision: this.revision, model_version: version }, fallbacks: 0 };
    this.versions.set(version, children);
    return children;
  }

  private statusChildren(version: string, status: number): Children {
    const labels = { revision: this.revision, model_version: version, status: String(status) };
    // Zero series from the start, so error ratios and latency quantiles exist before the first error.
    this.duration.zero(labels);
    return { duration: this.duration.labels(labels), labels, requests: 0 };
  }
}
