import type { ModelDecisionEvent } from '../eventing/decision-log.js';
import type { SystemStatus } from '../system.js';
import type { DashboardData, IngestRate } from './dashboard-data.js';
import { decisionViews } from './decision-views.js';
import type { OnlineFetch } from './online-answer.js';
import { fetchOnline } from './online-answer.js';
import type { TrainingHistory } from './training-history.js';

/** Where the dashboard's data comes from; the runtime wires these (system.ts), tests pass their own. */
export interface DashboardSources {
  status(): Promise<SystemStatus>;
  /** evaluate's process URL while it is ready; undefined otherwise. */
  evaluateUrl(): string | undefined;
  /** The Broker's model decision events, oldest first. */
  decisions(): readonly ModelDecisionEvent[];
  readonly training: TrainingHistory;
  ingestRates(): IngestRate[];
  /** Default: `fetchOnline` with its timeout. */
  readonly online?: (url: string | undefined) => Promise<OnlineFetch>;
  readonly now?: () => Date;
}

/** One `/dashboard/data` answer: the system's status, evaluate's online data, the models and the decisions, together. */
export async function collectDashboardData(sources: DashboardSources): Promise<DashboardData> {
  const [status, online, training] = await Promise.all([
    sources.status(),
    (sources.online ?? fetchOnline)(sources.evaluateUrl()),
    sources.training.read(50),
  ]);
  return {
    generatedAt: (sources.now?.() ?? new Date()).toISOString(),
    system: {
      ingress: status.ingress,
      channel: status.channel,
      functions: status.functions.map((f) => ({ name: f.name, ready: f.ready, restarts: f.restarts })),
      models: status.models,
      audience: status.sim !== null,
    },
    revisions: status.revisions.map((r) => ({
      name: r.name,
      tag: r.tag,
      percent: r.percent,
      ready: r.ready,
      phase: r.phase,
      modelVersion: r.modelVersion,
      createdAt: r.createdAt,
      reason: r.reason,
    })),
    online: online.ok
      ? { available: true, reason: null, reports: online.answer.reports }
      : { available: false, reason: online.reason, reports: [] },
    decisions: decisionViews(online.ok ? online.answer.decisions : [], sources.decisions()),
    training,
    ingest: { totals: status.ingest, rates: sources.ingestRates() },
  };
}
