import type { GateEvidence } from '../messaging/events/model-decision.js';
import type { GateParams } from './evaluate-params.js';

/**
 * The offline gate: may a candidate model get traffic? Pure — numbers in,
 * verdict and evidence out — so the canary analysis and the CLI can call it.
 *
 * Pass = both checks hold:
 * - RMSE:    candidate ≤ champion + rmse_margin. Not gated (passes, with a
 *            note) when the slice holds fewer than min_ratings ratings, or
 *            when either model does not estimate ratings (implicit ALS).
 * - NDCG@20: candidate ≥ champion − ndcg_margin. Not gated when no user had
 *            a relevant held-out movie, or a value is missing.
 * Hit rate@20 is reported in the evidence but never gated (`passed: true`,
 * margin 0). With no champion every candidate passes: there is nothing to
 * be worse than.
 */

/** The ranking cut-off: the course answers 20 movies. */
export const GATE_K = 20;

/** One model's numbers on the comparison basis; null where undefined (no ratings, no relevant users, a ranker). */
export interface ModelScores {
  readonly rmse: number | null;
  readonly ndcg: number | null;
  readonly hitRate: number | null;
}

/**
 * Where the numbers come from: `holdout` — both models scored by evaluate on
 * the same held-out slice; `offline` — the metrics train reported for the
 * candidate and the champion's manifest records (no slice to score on:
 * min_ratings does not apply, counts are unknown and reported as 0).
 */
export type GateBasis = 'holdout' | 'offline';

export interface GateInput {
  readonly basis: GateBasis;
  readonly candidate: ModelScores;
  /** Null when nothing serves yet. */
  readonly champion: ModelScores | null;
  /** Held-out ratings both models were scored on. */
  readonly ratings: number;
  /** Users with a relevant held-out movie, the ranking metrics' average. */
  readonly users: number;
}

export interface GateResult {
  readonly passed: boolean;
  readonly evidence: GateEvidence[];
  /** One sentence per check, for the decision's reason: `rmse 0.912 ≤ 0.930 + 0.01`. */
  readonly checks: string[];
}

/** Float slack so a value exactly at the margin passes despite rounding. */
const EPSILON = 1e-9;

const show = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(4));

export function offlineGate(input: GateInput, params: GateParams): GateResult {
  const { candidate, champion, basis } = input;
  const evidence: GateEvidence[] = [];
  const checks: string[] = [];
  const ratingsN = basis === 'holdout' ? input.ratings : 0;
  const usersN = basis === 'holdout' ? input.users : 0;

  // RMSE: lower is better.
  let rmsePassed = true;
  if (champion === null) checks.push(`rmse ${show(candidate.rmse)}`);
  else if (basis === 'holdout' && input.ratings < params.minRatings) {
    checks.push(`rmse not gated: ${input.ratings} held-out ratings < min_ratings ${params.minRatings} (ranking only)`);
  } else if (candidate.rmse === null || champion.rmse === null) {
    checks.push(`rmse not gated: ${candidate.rmse === null ? 'the candidate' : 'the champion'} has no rmse`);
  } else {
    rmsePassed = candidate.rmse <= champion.rmse + params.rmseMargin + EPSILON;
    checks.push(`rmse ${show(candidate.rmse)} ${rmsePassed ? '≤' : '>'} ${show(champion.rmse)} + ${params.rmseMargin}`);
  }
  evidence.push({ metric: 'rmse', candidate: candidate.rmse, champion: champion?.rmse ?? null, margin: params.rmseMargin, n: ratingsN, passed: rmsePassed });

  // NDCG@20: higher is better.
  let ndcgPassed = true;
  const ndcg = `ndcg@${GATE_K}`;
  if (champion === null) checks.push(`${ndcg} ${show(candidate.ndcg)}`);
  else if (basis === 'holdout' && input.users === 0) checks.push(`${ndcg} not gated: no held-out user has a relevant movie`);
  else if (candidate.ndcg === null || champion.ndcg === null) {
    checks.push(`${ndcg} not gated: ${candidate.ndcg === null ? 'the candidate' : 'the champion'} has no ${ndcg}`);
  } else {
    ndcgPassed = candidate.ndcg >= champion.ndcg - params.ndcgMargin - EPSILON;
    checks.push(`${ndcg} ${show(candidate.ndcg)} ${ndcgPassed ? '≥' : '<'} ${show(champion.ndcg)} − ${params.ndcgMargin}`);
  }
  evidence.push({ metric: ndcg, candidate: candidate.ndcg, champion: champion?.ndcg ?? null, margin: params.ndcgMargin, n: usersN, passed: ndcgPassed });

  evidence.push({ metric: `hitRate@${GATE_K}`, candidate: candidate.hitRate, champion: champion?.hitRate ?? null, margin: 0, n: usersN, passed: true });
  return { passed: rmsePassed && ndcgPassed, evidence, checks };
}

const negate = (value: number | null): number | null => (value === null ? null : -value);

/** Ascending with null last. */
function compareNullable(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a - b;
}

/**
 * The best of several candidates that passed: lowest RMSE, ties (or no RMSE)
 * broken by the higher NDCG@20, then by the earlier position. The index into
 * `candidates`, or -1 when none passed.
 */
export function bestCandidate(candidates: ReadonlyArray<{ readonly passed: boolean; readonly scores: ModelScores }>): number {
  let best = -1;
  for (let j = 0; j < candidates.length; j++) {
    if (!candidates[j].passed) continue;
    if (best < 0) {
      best = j;
      continue;
    }
    const a = candidates[j].scores;
    const b = candidates[best].scores;
    const byRmse = compareNullable(a.rmse, b.rmse);
    const byNdcg = compareNullable(negate(a.ndcg), negate(b.ndcg));
    if (byRmse < 0 || (byRmse === 0 && byNdcg < 0)) best = j;
  }
  return best;
}

/**
 * A model's scores from the metrics train recorded (the model.trained event,
 * or a bundle manifest): `rmse`, `ndcgAt20` and `hitRateAt20` (the CLI's
 * names; `ndcg@20` and `hitRate@20` are read too). Missing → null.
 */
export function scoresFromMetrics(metrics: Readonly<Record<string, number | null>>): ModelScores {
  const pick = (...names: string[]): number | null => {
    for (const name of names) {
      const value = metrics[name];
      if (typeof value === 'number' && Number.isFinite(value)) return value;
    }
    return null;
  };
  return {
    rmse: pick('rmse'),
    ndcg: pick(`ndcgAt${GATE_K}`, `ndcg@${GATE_K}`),
    hitRate: pick(`hitRateAt${GATE_K}`, `hitRate@${GATE_K}`),
  };
}
