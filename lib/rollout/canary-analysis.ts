import type { OnlineRevisionStats } from '../metrics/online-stats.js';
import type { CanaryParams } from './canary-params.js';
import type { CanaryDecision, CanaryInput, CanaryVerdict } from './canary-types.js';
import { alwaysValidP, estimateDifference, normalCdf, sequenceRadius } from './confidence-sequence.js';

export type { CanaryParams } from './canary-params.js';

/**
 * The canary analysis: promote, hold, step up or roll back a candidate that
 * serves part of the traffic. Pure — two revisions' online stats in, a
 * verdict with its evidence out — and meant to be called at every evaluation
 * tick on the stats accumulated since the canary started.
 *
 * The rules, in order (first match wins):
 * 1. Error guard: candidate 5xx ratio > champion's (0 when unknown) +
 *    max_error_ratio → roll back. Checked before anything else: a candidate
 *    that fails every request may never serve enough to be tested.
 * 2. Fewer than min_served served recommendations on either side → hold.
 * 3. Latency guard: candidate p95 > max_p95_latency_ms, or above
 *    max(max_p95_ratio × champion's p95, champion's p95 + p95_slack_ms) → roll
 *    back (the slack keeps 2 ms against 5 ms from counting as "much above").
 * 4. The hit-rate test, an always-valid (1 − α) confidence sequence [L, U]
 *    for Δ = p_candidate − p_champion (confidence-sequence.ts, normal-mixture
 *    mSPRT, τ = mixture_sd): U < 0 — the champion is shown better, a
 *    deterioration test with margin 0 → roll back; L > −margin — the candidate
 *    is shown non-inferior → promote. Deterioration is checked first, the
 *    safe side. One sequence covers both, so the chance of any wrong call
 *    over every look is ≤ α (Ville's inequality), which is what lets
 *    evaluate look at every tick. The pairing of non-inferiority to ship
 *    with a deterioration test to roll back follows Schultzberg, Ankargren &
 *    Frånberg, "Risk-aware product decisions in A/B tests with multiple
 *    metrics" (2024).
 * 5. The candidate side reached max_served without a conclusion: the
 *    sequential test is truncated and a fixed-sample one-sided Wald test
 *    decides, z = (Δ̂ + margin)/√V, p = 1 − Φ(z): p < α → promote, else roll
 *    back (non-inferiority was not shown with that much data).
 * 6. Step up: the fixed-sample test already shows non-inferiority (p < α)
 *    but the always-valid one not yet, and a share in `steps` lies above the
 *    current one → step up to it (more candidate traffic, faster decision).
 * 7. Otherwise hold.
 */
export function analyzeCanary(input: CanaryInput, params: CanaryParams): CanaryDecision {
  const { champion, candidate } = input;
  const figures: Record<string, number | null> = {
    candidatePercent: input.candidatePercent,
    championServed: champion.served,
    candidateServed: candidate.served,
    championHitRate: rate(champion),
    candidateHitRate: rate(candidate),
    championErrorRatio: input.championErrorRatio,
    candidateErrorRatio: input.candidateErrorRatio,
    championLatencyP95Ms: champion.latencyP95Ms,
    candidateLatencyP95Ms: candidate.latencyP95Ms,
    championFallbackShare: champion.fallbackShare,
    candidateFallbackShare: candidate.fallbackShare,
  };
  const evidence: string[] = [];
  const decide = (verdict: CanaryVerdict, nextPercent: number | null = null): CanaryDecision => ({
    verdict,
    nextPercent,
    evidence,
    figures,
  });

  if (input.candidateErrorRatio !== null) {
    const limit = (input.championErrorRatio ?? 0) + params.maxErrorRatio;
    const ok = input.candidateErrorRatio <= limit;
    evidence.push(
      `Error guard: candidate error ratio ${percent(input.candidateErrorRatio)} vs champion ${input.championErrorRatio === null ? 'unknown' : percent(input.championErrorRatio)}; limit ${percent(limit)} (champion + ${percent(params.maxErrorRatio)}): ${ok ? 'ok' : 'exceeded'}.`,
    );
    if (!ok) return decide('roll-back');
  }

  if (candidate.served < params.minServed || champion.served < params.minServed) {
    evidence.push(`Too little data: ${candidate.served} served on the candidate and ${champion.served} on the champion; the test needs ${params.minServed} on each side.`);
    return decide('hold');
  }

  const latency = latencyGuard(champion, candidate, params);
  evidence.push(latency.sentence);
  if (!latency.ok) return decide('roll-back');

  const estimate = estimateDifference(candidate, champion);
  const radius = sequenceRadius(estimate.variance, params.mixtureSd, params.alpha);
  const lower = estimate.difference - radius;
  const upper = estimate.difference + radius;
  const pNonInferior = estimate.difference > -params.margin ? alwaysValidP(estimate, -params.margin, params.mixtureSd) : 1;
  const pWorse = estimate.difference < 0 ? alwaysValidP(estimate, 0, params.mixtureSd) : 1;
  const z = (estimate.difference + params.margin) / Math.sqrt(estimate.variance);
  const pFixed = 1 - normalCdf(z);
  Object.assign(figures, {
    difference: estimate.difference,
    lowerBound: lower,
    upperBound: upper,
    margin: params.margin,
    pNonInferiority: pNonInferior,
    pDeterioration: pWorse,
    zFixed: z,
    pFixed,
  });
  const level = `${formatNumber((1 - params.alpha) * 100, 1)} %`;
  evidence.push(
    `Hit rate: candidate ${formatNumber(rate(candidate), 4)} (${candidate.hits}/${candidate.served}) vs champion ${formatNumber(rate(champion), 4)} (${champion.hits}/${champion.served}); difference ${signed(estimate.difference)}.`,
    `Always-valid ${level} confidence sequence for the difference (normal-mixture mSPRT, τ = ${params.mixtureSd}): [${signed(lower)}, ${signed(upper)}].`,
    `Non-inferiority (margin ${params.margin}): lower bound ${signed(lower)} ${lower > -params.margin ? '>' : '≤'} ${signed(-params.margin)}, always-valid p = ${formatP(pNonInferior)}.`,
    `Deterioration (champion better): upper bound ${signed(upper)} ${upper < 0 ? '<' : '≥'} 0, always-valid p = ${formatP(pWorse)}.`,
  );

  if (upper < 0) {
    evidence.push(`Roll back: the champion's hit rate is shown higher at level α = ${params.alpha}.`);
    return decide('roll-back');
  }
  if (lower > -params.margin) {
    evidence.push(`Promote: the candidate is shown non-inferior at level α = ${params.alpha} over every look.`);
    return decide('promote');
  }
  const fixed = `fixed-sample Wald test z = ${formatNumber(z, 3)}, p = ${formatP(pFixed)}`;
  if (Math.min(candidate.served, champion.served) >= params.maxServed) {
    const promote = pFixed < params.alpha;
    evidence.push(
      `Forced decision at ${params.maxServed} served per side: ${fixed} ${promote ? '<' : '≥'} α = ${params.alpha} → ${promote ? 'non-inferior, promote' : 'non-inferiority not shown, roll back'}.`,
    );
    return decide(promote ? 'promote' : 'roll-back');
  }
  const next = params.steps.find((step) => step > input.candidatePercent);
  if (next !== undefined && pFixed < params.alpha) {
    evidence.push(`Step up to ${next} %: the ${fixed} < α = ${params.alpha} leans to non-inferiority; the always-valid test is not conclusive yet.`);
    return decide('step-up', next);
  }
  evidence.push(`Hold: not conclusive yet (${fixed}).`);
  return decide('hold');
}

function latencyGuard(champion: OnlineRevisionStats, candidate: OnlineRevisionStats, params: CanaryParams): { ok: boolean; sentence: string } {
  const p95 = candidate.latencyP95Ms;
  if (p95 === null) return { ok: true, sentence: 'Latency guard: the candidate p95 latency is unknown, not checked.' };
  const base = champion.latencyP95Ms;
  const relative = base === null ? null : Math.max(base * params.maxP95Ratio, base + params.p95SlackMs);
  const limit = relative === null ? params.maxP95LatencyMs : Math.min(params.maxP95LatencyMs, relative);
  const ok = p95 <= limit;
  const championText = champion.latencyP95Ms === null ? 'unknown' : `${formatNumber(champion.latencyP95Ms, 0)} ms`;
  return {
    ok,
    sentence: `Latency guard: candidate p95 ${formatNumber(p95, 0)} ms vs champion ${championText}; limit ${formatNumber(limit, 0)} ms (${params.maxP95LatencyMs} ms, ${params.maxP95Ratio} × champion, at least champion + ${params.p95SlackMs} ms): ${ok ? 'ok' : 'exceeded'}.`,
  };
}

function rate(side: OnlineRevisionStats): number | null {
  return side.served > 0 ? side.hits / side.served : null;
}

function formatNumber(value: number | null, digits: number): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(4)}`;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)} %`;
}

function formatP(p: number): string {
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}
