import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import type { OnlineReport, OnlineRevisionStats } from '../../lib/metrics/online-stats.js';
import type { CanaryVerdict } from '../../lib/rollout/canary-types.js';
import { CANARY_VERDICTS } from '../../lib/rollout/canary-verdicts.js';
import type { ServiceState } from '../../lib/rollout/platform.js';

/** A revision's role for the `tag` label. */
export type RevisionTag = 'champion' | 'candidate' | 'none';

/** evaluate's online gauges and counters (names: COMMON metric contract, lib/ops/metrics.ts). */
export interface OnlineMetrics {
  /** The latest online evaluation, one series per (revision, model version); older series are dropped. */
  showReport(report: OnlineReport, tagOf: (revision: string) => RevisionTag): void;
  /** Each revision's traffic share. */
  showTraffic(state: ServiceState): void;
  countDecision(verdict: CanaryVerdict): void;
  countEvaluation(outcome: 'ok' | 'failed'): void;
}

const STATS_LABELS = ['revision', 'model_version', 'tag'] as const;

const GAUGES: ReadonlyArray<readonly [string, string, (s: OnlineRevisionStats) => number | null]> = [
  ['movierec_online_hit_rate', 'Share of closed recommendations followed by a watch of a recommended movie within the window (latest online evaluation).', (s) => s.hitRate],
  ['movierec_online_watched_minutes', 'Minutes of recommended movies watched within the window after the recommendation (latest online evaluation).', (s) => s.watchedMinutes],
  ['movierec_online_mean_rating', 'Mean rating of recommended movies the users went on to rate within the window (latest online evaluation).', (s) => s.meanRating],
  ['movierec_online_fallback_ratio', 'Share of answers that were the popularity fallback (latest online evaluation).', (s) => s.fallbackShare],
  ['movierec_online_latency_p95_seconds', '95th percentile of recommend latency inside the function (latest online evaluation).', (s) => (s.latencyP95Ms === null ? null : s.latencyP95Ms / 1000)],
  ['movierec_online_served', 'Recommendations whose attribution window closed (latest online evaluation).', (s) => s.served],
];

function gauge<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Gauge) return existing;
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/** The metrics on `registry` (created once; a second call answers the same ones). */
export function createOnlineMetrics(registry: Registry): OnlineMetrics {
  const stats = GAUGES.map(([name, help, value]) => ({ gauge: gauge(registry, name, help, STATS_LABELS), value }));
  const traffic = gauge(registry, 'movierec_revision_traffic_percent', 'Share of recommend traffic per revision, 0–100.', ['revision', 'tag']);
  const decisions = counter(registry, 'movierec_canary_decisions_total', 'Canary decisions made by online evaluation.', ['decision']);
  const evaluations = counter(registry, 'movierec_online_evaluations_total', 'Online evaluation ticks, by outcome.', ['outcome']);
  for (const verdict of CANARY_VERDICTS) decisions.inc({ decision: verdict }, 0);
  for (const outcome of ['ok', 'failed'] as const) evaluations.inc({ outcome }, 0);
  return {
    showReport(report, tagOf) {
      for (const { gauge: g } of stats) g.reset();
      for (const revision of report.revisions) {
        const labels = { revision: revision.revision, model_version: revision.modelVersion, tag: tagOf(revision.revision) };
        for (const { gauge: g, value } of stats) {
          const v = value(revision);
          if (v !== null) g.set(labels, v);
        }
      }
    },
    showTraffic(state) {
      traffic.reset();
      for (const r of state.revisions) traffic.set({ revision: r.name, tag: r.tag ?? 'none' }, r.percent);
    },
    countDecision: (verdict) => decisions.inc({ decision: verdict }),
    countEvaluation: (outcome) => evaluations.inc({ outcome }),
  };
}
