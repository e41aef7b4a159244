import type { EventSender } from '../../lib/messaging/event-sender.js';
import type { CanaryEvidence, ModelRef } from '../../lib/messaging/events/model-decision.js';
import { revisionTotals } from '../../lib/metrics/online-totals.js';
import type { Logger } from '../../lib/ops/logger.js';
import type { Notice, Notifier } from '../../lib/ops/notifier.js';
import type { CanaryDecisionRecord } from '../../lib/rollout/canary-record.js';
import type { CanaryDecision, DecideCanary } from '../../lib/rollout/canary-types.js';
import { promotedEvent, rolledBackEvent } from '../../lib/rollout/decision-events.js';
import type { RevisionState, ServingPlatform } from '../../lib/rollout/platform.js';
import type { TrafficMove } from '../../lib/rollout/rollout-actions.js';
import { promote, rollBack, setCanaryShare } from '../../lib/rollout/rollout-actions.js';
import type { OnlineMetrics } from './online-metrics.js';
import type { OnlineStore } from './online-store.js';

export interface CanaryDeps {
  readonly platform: ServingPlatform;
  readonly online: Pick<OnlineStore, 'reportsSince' | 'appendDecision'>;
  /** The canary analysis (lib/rollout/canary-analysis.ts `analyzeCanary` with its params). */
  readonly decideCanary: DecideCanary;
  readonly sender: Pick<EventSender, 'enqueue' | 'flush'>;
  /** Told about promotions and rollbacks; never awaited, never allowed to fail the decision. */
  readonly notifier: Notifier;
  readonly metrics: OnlineMetrics;
  readonly logger: Logger;
}

const versionOf = (r: RevisionState) => r.modelVersion ?? r.modelUri.split('/').filter(Boolean).at(-1) ?? r.name;
const errorRatio = (r: RevisionState): number | null =>
  r.requests === undefined || r.errors === undefined || r.requests === 0 ? null : r.errors / r.requests;
const refOf = (r: RevisionState): ModelRef => ({ version: versionOf(r), bundleUri: r.modelUri });

/**
 * One canary decision: champion and candidate stats summed over every report
 * since the candidate revision was created, handed to `decideCanary`; the
 * verdict applied on the platform (promote → candidate at 100 % as champion,
 * roll-back → its share back to the champion, step-up → nextPercent, hold →
 * nothing), kept as a `canary` record, announced as
 * `io.movierec.model.promoted.v1` (promote: stage full; step-up: stage
 * canary) or `io.movierec.model.rolled-back.v1` with the evidence, and
 * notified (promote and roll-back). Platform failures are thrown.
 */
export async function canaryStep(champion: RevisionState, candidate: RevisionState, at: Date, deps: CanaryDeps): Promise<CanaryDecisionRecord> {
  const reports = await deps.online.reportsSince(Date.parse(candidate.createdAt));
  const input = {
    champion: revisionTotals(reports, champion.name, versionOf(champion)),
    candidate: revisionTotals(reports, candidate.name, versionOf(candidate)),
    candidatePercent: candidate.percent,
    // The local runtime counts each revision's answers and errors; a cluster's API does not (null: the guard stands aside).
    championErrorRatio: errorRatio(champion),
    candidateErrorRatio: errorRatio(candidate),
  };
  const decision = deps.decideCanary(input);
  const record: CanaryDecisionRecord = {
    at: at.toISOString(),
    verdict: decision.verdict,
    candidate: { revision: candidate.name, modelVersion: input.candidate.modelVersion },
    champion: { revision: champion.name, modelVersion: input.champion.modelVersion },
    candidatePercent: candidate.percent,
    nextPercent: decision.verdict === 'step-up' ? decision.nextPercent : null,
    evidence: [...decision.evidence],
    figures: { ...decision.figures },
  };
  const move = await apply(decision, deps.platform);
  await deps.online.appendDecision(record);
  deps.metrics.countDecision(decision.verdict);
  const fields = { verdict: decision.verdict, candidate: candidate.name, champion: champion.name, candidatePercent: candidate.percent };
  if (decision.verdict !== 'hold' && move === null) {
    deps.logger.warning('canary decision not applied: the service no longer has a candidate and a champion', fields);
    return record;
  }
  deps.logger.info('canary decision', { ...fields, nextPercent: move?.percent ?? null, evidence: decision.evidence });
  if (move !== null) await announce(record, move, champion, candidate, at, deps);
  return record;
}

async function apply(decision: CanaryDecision, platform: ServingPlatform): Promise<TrafficMove | null> {
  switch (decision.verdict) {
    case 'promote':
      return promote(platform);
    case 'roll-back':
      return rollBack(platform);
    case 'step-up':
      return decision.nextPercent === null ? null : setCanaryShare(platform, decision.nextPercent);
    case 'hold':
      return null;
  }
}

async function announce(record: CanaryDecisionRecord, move: TrafficMove, champion: RevisionState, candidate: RevisionState, at: Date, deps: CanaryDeps): Promise<void> {
  const canary: CanaryEvidence = { verdict: record.verdict, candidatePercent: record.candidatePercent, evidence: record.evidence, figures: record.figures };
  const base = { candidate: refOf(candidate), champion: refOf(champion), revision: move.revision, evidence: [], canary };
  const summary = record.evidence[0] ?? 'no evidence given';
  if (record.verdict === 'roll-back') {
    deps.sender.enqueue(rolledBackEvent({ ...base, reason: `canary analysis rolled back ${candidate.name}: ${summary}` }, at));
  } else {
    const stage = record.verdict === 'promote' ? 'full' : 'canary';
    const reason = stage === 'full' ? `canary analysis promoted ${candidate.name} to 100 %: ${summary}` : `canary analysis stepped ${candidate.name} up to ${move.percent} %: ${summary}`;
    deps.sender.enqueue(promotedEvent({ ...base, percent: move.percent, stage, reason }, at));
  }
  await deps.sender.flush();
  if (record.verdict === 'promote' || record.verdict === 'roll-back') notify(deps, record);
}

function notify(deps: CanaryDeps, record: CanaryDecisionRecord): void {
  const promoted = record.verdict === 'promote';
  const metrics: Record<string, number> = {};
  for (const [name, value] of Object.entries(record.figures)) if (value !== null) metrics[name] = value;
  const notice: Notice = {
    kind: promoted ? 'promoted' : 'rolled-back',
    title: promoted
      ? `${record.candidate.modelVersion} (${record.candidate.revision}) promoted to 100 %, replacing ${record.champion.modelVersion}`
      : `${record.candidate.modelVersion} (${record.candidate.revision}) rolled back at ${record.candidatePercent} %; ${record.champion.modelVersion} keeps serving`,
    models: { candidate: record.candidate.modelVersion, champion: record.champion.modelVersion },
    metrics,
    evidence: record.evidence,
  };
  try {
    deps.notifier.notify(notice);
  } catch (error) {
    deps.logger.warning('the notifier failed; the decision stands', { verdict: record.verdict, error });
  }
}
