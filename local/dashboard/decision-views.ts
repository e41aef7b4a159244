import type { GateEvidence } from '../../lib/messaging/events/model-decision.js';
import type { ModelDecisionEvent } from '../eventing/decision-log.js';
import type { DecisionView } from './dashboard-data.js';
import type { CanaryDecisionRecord } from './online-answer.js';

/**
 * Canary decisions (evaluate's `/online`) and offline ones (the Broker's
 * decision events) as one list the page shows the same way: a verdict, a
 * sentence, and the evidence as plain lines.
 */

function figure(value: number | null): string {
  if (value === null) return 'none';
  return Number.isInteger(value) ? value.toLocaleString('en-US') : String(Number(value.toPrecision(4)));
}

export function gateEvidenceLine(e: GateEvidence): string {
  const champion = e.champion === null ? 'no champion' : `champion ${figure(e.champion)}`;
  return `${e.metric}: candidate ${figure(e.candidate)} vs ${champion} (margin ${figure(e.margin)}, n = ${figure(e.n)}) — ${e.passed ? 'passed' : 'failed'}`;
}

function canarySummary(d: CanaryDecisionRecord): string {
  const { revision } = d.candidate;
  const from = `${figure(d.candidatePercent)} %`;
  switch (d.verdict) {
    case 'promote':
      return `promote ${revision} from ${from} to ${figure(d.nextPercent ?? 100)} %`;
    case 'step-up':
      return `step ${revision} up from ${from} to ${figure(d.nextPercent)} %`;
    case 'hold':
      return `hold ${revision} at ${from}`;
    case 'roll-back':
      return `roll ${revision} back from ${from}; ${d.champion.revision} keeps serving`;
  }
}

export function canaryView(d: CanaryDecisionRecord): DecisionView {
  return {
    id: `canary/${d.at}/${d.candidate.revision}`,
    at: new Date(d.at).toISOString(),
    source: 'canary',
    verdict: d.verdict,
    summary: canarySummary(d),
    candidate: d.candidate,
    champion: d.champion,
    evidence: d.evidence,
    figures: d.figures,
  };
}

function offlineSummary(d: ModelDecisionEvent): string {
  switch (d.kind) {
    case 'promoted':
      return d.stage === 'full'
        ? `promoted ${d.candidate} to 100 % on ${d.revision ?? 'a new revision'}`
        : `offline gate passed: ${d.candidate} starts on ${d.revision ?? 'a new revision'} at ${figure(d.percent)} %`;
    case 'rejected':
      return `offline gate rejected ${d.candidate}`;
    case 'rolled-back':
      return `rolled ${d.candidate} back${d.revision === null ? '' : ` (${d.revision})`}`;
  }
}

export function offlineView(d: ModelDecisionEvent): DecisionView {
  const figures: Record<string, number | null> = {};
  for (const e of d.evidence) {
    figures[`${e.metric} candidate`] = e.candidate;
    figures[`${e.metric} champion`] = e.champion;
  }
  return {
    id: `offline/${d.id}`,
    at: d.at,
    source: 'offline',
    verdict: d.kind,
    summary: offlineSummary(d),
    candidate: { revision: d.revision, modelVersion: d.candidate },
    champion: d.champion === null ? null : { revision: null, modelVersion: d.champion },
    evidence: [d.reason, ...d.evidence.map(gateEvidenceLine)],
    figures,
  };
}

/** Both kinds, newest first, at most `limit`. */
export function decisionViews(canary: readonly CanaryDecisionRecord[], offline: readonly ModelDecisionEvent[], limit = 50): DecisionView[] {
  const views = [...canary.map(canaryView), ...offline.map(offlineView)];
  return views.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
}
