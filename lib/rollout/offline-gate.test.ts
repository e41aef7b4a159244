import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE } from './evaluate-params.js';
import type { GateInput, ModelScores } from './offline-gate.js';
import { bestCandidate, offlineGate } from './offline-gate.js';

const champion: ModelScores = { rmse: 0.9, ndcg: 0.2, hitRate: 0.5 };
const input = (candidate: ModelScores, overrides: Partial<GateInput> = {}): GateInput => ({
  basis: 'holdout',
  candidate,
  champion,
  ratings: 500,
  users: 120,
  ...overrides,
});

describe('offlineGate', () => {
  it('passes a candidate within both margins and reports every metric as evidence', () => {
    const result = offlineGate(input({ rmse: 0.905, ndcg: 0.195, hitRate: 0.4 }), DEFAULT_GATE);
    expect(result.passed).toBe(true);
    expect(result.evidence).toEqual([
      { metric: 'rmse', candidate: 0.905, champion: 0.9, margin: 0.01, n: 500, passed: true },
      { metric: 'ndcg@20', candidate: 0.195, champion: 0.2, margin: 0.01, n: 120, passed: true },
      { metric: 'hitRate@20', candidate: 0.4, champion: 0.5, margin: 0, n: 120, passed: true },
    ]);
    expect(result.checks).toEqual(['rmse 0.9050 ≤ 0.9000 + 0.01', 'ndcg@20 0.1950 ≥ 0.2000 − 0.01']);
  });

  it('passes a candidate exactly at the margins', () => {
    expect(offlineGate(input({ rmse: 0.91, ndcg: 0.19, hitRate: null }), DEFAULT_GATE).passed).toBe(true);
  });

  it('fails on an RMSE beyond the margin even with a better ranking', () => {
    const result = offlineGate(input({ rmse: 0.95, ndcg: 0.3, hitRate: 0.6 }), DEFAULT_GATE);
    expect(result.passed).toBe(false);
    expect(result.evidence.map((e) => [e.metric, e.passed])).toEqual([
      ['rmse', false],
      ['ndcg@20', true],
      ['hitRate@20', true],
    ]);
    expect(result.checks[0]).toBe('rmse 0.9500 > 0.9000 + 0.01');
  });

  it('fails on an NDCG@20 below the margin even with a better RMSE', () => {
    const result = offlineGate(input({ rmse: 0.8, ndcg: 0.15, hitRate: 0.6 }), DEFAULT_GATE);
    expect(result.passed).toBe(false);
    expect(result.evidence[1]).toMatchObject({ metric: 'ndcg@20', passed: false });
    expect(result.checks[1]).toBe('ndcg@20 0.1500 < 0.2000 − 0.01');
  });

  it('gates on the ranking only when the slice has fewer ratings than min_ratings', () => {
    const worseRmse = { rmse: 1.4, ndcg: 0.21, hitRate: 0.5 };
    const result = offlineGate(input(worseRmse, { ratings: 12 }), DEFAULT_GATE);
    expect(result.passed).toBe(true);
    expect(result.evidence[0]).toEqual({ metric: 'rmse', candidate: 1.4, champion: 0.9, margin: 0.01, n: 12, passed: true });
    expect(result.checks[0]).toBe('rmse not gated: 12 held-out ratings < min_ratings 50 (ranking only)');
    // Still fails on a ranking that is worse.
    expect(offlineGate(input({ ...worseRmse, ndcg: 0.1 }, { ratings: 12 }), DEFAULT_GATE).passed).toBe(false);
    // And the same numbers fail when the ratings are enough.
    expect(offlineGate(input(worseRmse, { ratings: 50 }), DEFAULT_GATE).passed).toBe(false);
  });

  it('passes anything when there is no champion, with null champion values in the evidence', () => {
    const result = offlineGate(input({ rmse: 3, ndcg: 0, hitRate: 0 }, { champion: null }), DEFAULT_GATE);
    expect(result.passed).toBe(true);
    expect(result.evidence.map((e) => e.champion)).toEqual([null, null, null]);
    expect(result.checks).toEqual(['rmse 3.0000', 'ndcg@20 0.0000']);
  });

  it('does not gate RMSE for a model without one (implicit ALS) nor apply min_ratings to offline metrics', () => {
    expect(offlineGate(input({ rmse: null, ndcg: 0.25, hitRate: 0.6 }), DEFAULT_GATE)).toMatchObject({
      passed: true,
      checks: ['rmse not gated: the candidate has no rmse', 'ndcg@20 0.2500 ≥ 0.2000 − 0.01'],
    });
    const offline = offlineGate(input({ rmse: 0.95, ndcg: 0.2, hitRate: null }, { basis: 'offline', ratings: 0, users: 0 }), DEFAULT_GATE);
    expect(offline.passed).toBe(false);
    expect(offline.evidence.map((e) => e.n)).toEqual([0, 0, 0]);
  });

  it('uses the margins it is given', () => {
    const strict = { rmseMargin: 0, ndcgMargin: 0, minRatings: 0 };
    expect(offlineGate(input({ rmse: 0.905, ndcg: 0.2, hitRate: null }), strict).passed).toBe(false);
    expect(offlineGate(input({ rmse: 0.95, ndcg: 0.2, hitRate: null }), { ...strict, rmseMargin: 0.05 }).passed).toBe(true);
  });
});

describe('bestCandidate', () => {
  const scores = (rmse: number | null, ndcg: number | null): ModelScores => ({ rmse, ndcg, hitRate: null });

  it('picks the lowest RMSE among those that passed', () => {
    expect(
      bestCandidate([
        { passed: true, scores: scores(0.92, 0.3) },
        { passed: false, scores: scores(0.5, 0.9) },
        { passed: true, scores: scores(0.88, 0.1) },
      ]),
    ).toBe(2);
  });

  it('breaks RMSE ties by the higher NDCG, and ranks a missing RMSE last', () => {
    expect(bestCandidate([{ passed: true, scores: scores(0.9, 0.2) }, { passed: true, scores: scores(0.9, 0.25) }])).toBe(1);
    expect(bestCandidate([{ passed: true, scores: scores(null, 0.9) }, { passed: true, scores: scores(1.2, 0.1) }])).toBe(1);
    expect(bestCandidate([{ passed: true, scores: scores(null, 0.1) }, { passed: true, scores: scores(null, 0.3) }])).toBe(1);
  });

  it('answers -1 when none passed', () => {
    expect(bestCandidate([{ passed: false, scores: scores(0.9, 0.2) }])).toBe(-1);
    expect(bestCandidate([])).toBe(-1);
  });
});
