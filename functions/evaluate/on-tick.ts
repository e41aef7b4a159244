import type { EvaluationTick } from '../../lib/messaging/events/evaluation-tick.js';
import { evaluateOnline } from '../../lib/metrics/online-evaluation.js';
import type { OnlineReport } from '../../lib/metrics/online-stats.js';
import type { CanaryDecisionRecord } from '../../lib/rollout/canary-record.js';
import { serviceRoles } from '../../lib/rollout/service-roles.js';
import type { CanaryDeps } from './canary-step.js';
import { canaryStep } from './canary-step.js';
import type { RevisionTag } from './online-metrics.js';
import type { OnlineStore } from './online-store.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Report boundaries fall on multiples of this. */
const STEP_MS = 10_000;
/** Served lists and watches reach the store a little after they happen: by default a window is evaluated this long after it closed. */
export const SETTLE_MS = 2 * MINUTE;
/** At most this much is evaluated per tick, so catching up after an outage is spread over ticks. */
export const MAX_SPAN_MS = DAY;

export interface TickDeps extends CanaryDeps {
  readonly online: OnlineStore;
  /** The attribution window (`ONLINE_WINDOW_MINUTES`, decimals allowed). */
  readonly windowMinutes: number;
  /** `ONLINE_SETTLE_SECONDS` in ms; default SETTLE_MS. */
  readonly settleMs?: number;
  /** `RETENTION_DAYS`. */
  readonly retentionDays: number;
  readonly now?: () => Date;
}

/** The answer to a tick. */
export interface TickAnswer {
  readonly reason: string;
  /** The range evaluated by this tick; null when no new window had closed. */
  readonly evaluated: { readonly from: string; readonly to: string } | null;
  readonly report: OnlineReport | null;
  /** The canary decision made; null without a ready candidate or without a new report. */
  readonly decision: CanaryDecisionRecord | null;
  readonly retention: { readonly evaluatedUntil: string; readonly deleted: number; readonly failed: boolean };
}

/**
 * An evaluation tick (`dev.knative.sources.ping` from the evaluation-tick
 * PingSource, or `io.movierec.evaluation.tick.v1`):
 * 1. online evaluation of the lists served from the watermark (the last
 *    report's `to`; at first the start of the earliest served day) up to
 *    `now − window − settle` (on a 10 s boundary), at most MAX_SPAN_MS per tick
 *    (lib/metrics/online-evaluation.ts), the report stored as an `online`
 *    record and shown as gauges;
 * 2. with a new report and a ready candidate revision: the canary decision
 *    (canary-step.ts);
 * 3. retention (lib/events/safe-retention.ts) below the new watermark; its
 *    failure is logged, never fails the tick.
 * Store and platform failures are thrown (the handler answers 5xx).
 */
export async function onTick(tick: EvaluationTick, context: { readonly id: string }, deps: TickDeps): Promise<TickAnswer> {
  const at = (deps.now ?? (() => new Date()))();
  const windowMs = Math.round(deps.windowMinutes * MINUTE);
  const state = await deps.platform.describe();
  deps.metrics.showTraffic(state);
  const roles = serviceRoles(state);
  const tagOf = (revision: string): RevisionTag => (revision === roles.champion?.name ? 'champion' : revision === roles.candidate?.name ? 'candidate' : 'none');

  const closed = Math.floor((at.getTime() - windowMs - (deps.settleMs ?? SETTLE_MS)) / STEP_MS) * STEP_MS;
  const from = (await deps.online.watermark()) ?? (await deps.online.firstServedDay()) ?? closed;
  const to = Math.min(closed, from + MAX_SPAN_MS);
  let report: OnlineReport | null = null;
  if (from < to) {
    const inputs = await deps.online.readInputs({ from, to, windowMs });
    if (inputs.skipped > 0) deps.logger.warning('online evaluation skipped stored records that no longer parse', { count: inputs.skipped });
    report = evaluateOnline({ ...inputs, from, to, windowMs, at: at.getTime() });
    await deps.online.appendReport(report);
    deps.metrics.showReport(report, tagOf);
    const served = report.revisions.reduce((sum, r) => sum + r.served, 0);
    deps.logger.info('online evaluation', { eventId: context.id, from: report.from, to: report.to, served, revisions: report.revisions.length });
  } else {
    const [latest] = await deps.online.latestReports(1);
    if (latest !== undefined) deps.metrics.showReport(latest, tagOf);
  }

  let decision: CanaryDecisionRecord | null = null;
  if (report !== null && roles.champion !== null && roles.candidate !== null && roles.candidate.ready) {
    decision = await canaryStep(roles.champion, roles.candidate, at, deps);
    if (decision.verdict !== 'hold') deps.metrics.showTraffic(await deps.platform.describe());
  }

  // Every list served before this was evaluated (or, before the first report, none was served before it).
  const evaluatedUntil = report === null ? from : to;
  const retention = { evaluatedUntil: new Date(evaluatedUntil).toISOString(), deleted: 0, failed: false };
  try {
    const deleted = await deps.online.applyRetention({ retentionDays: deps.retentionDays, now: at.getTime(), evaluatedUntil });
    retention.deleted = deleted.length;
    if (deleted.length > 0) deps.logger.info('retention deleted old segments', { count: deleted.length, days: [...new Set(deleted.map((s) => s.day))] });
  } catch (error) {
    retention.failed = true;
    deps.logger.warning('retention failed; it runs again on the next tick', { error });
  }
  deps.metrics.countEvaluation('ok');
  return { reason: tick.reason, evaluated: report === null ? null : { from: report.from, to: report.to }, report, decision, retention };
}
