import { describe, expect, it } from 'vitest';
import type { OnlineRevisionStats } from '../metrics/online-stats.js';
import { Rng } from '../models/rng.js';
import { analyzeCanary } from './canary-analysis.js';
import type { CanaryParams } from './canary-params.js';
import { DEFAULT_CANARY } from './canary-params.js';
import type { CanaryInput } from './canary-types.js';
import { alwaysValidP, estimateDifference, normalCdf, sequenceRadius } from './confidence-sequence.js';

function side(revision: string, served: number, hits: number, latencyP95Ms: number | null = 80): OnlineRevisionStats {
  return {
    revision,
    modelVersion: `${revision}-v`,
    served,
    hits,
    hitRate: served > 0 ? hits / served : null,
    watchedMinutes: 0,
    ratings: 0,
    meanRating: null,
    fallbackShare: 0,
    latencyP50Ms: latencyP95Ms === null ? null : latencyP95Ms / 2,
    latencyP95Ms,
  };
}

function input(candidate: OnlineRevisionStats, champion: OnlineRevisionStats, more: Partial<CanaryInput> = {}): CanaryInput {
  return { champion, candidate, candidatePercent: 10, championErrorRatio: null, candidateErrorRatio: null, ...more };
}

const params = (more: Partial<CanaryParams> = {}): CanaryParams => ({ ...DEFAULT_CANARY, ...more });

describe('the confidence sequence (hand-computed: candidate 60/100, champion 500/1000, τ = 0.05, α = 0.05)', () => {
  // Δ̂ = 0.6 − 0.5 = 0.1; p̃₁ = 61/102, p̃₀ = 501/1002 = 0.5;
  // V = (61·41/102²)/100 + 0.25/1000 = 0.0024038831 + 0.00025 = 0.0026538831;
  // r = √(V(V + τ²)/τ² · (2 ln 20 + ln((V + τ²)/V))) = √(0.0054711 · 6.6552) = 0.1908176;
  // 1/Λ(−0.05) = √((V + τ²)/V) · exp(−τ²·0.15²/(2V(V + τ²))) = 0.1782821; 1/Λ(0) (gap 0.1) = 0.5587651.
  const estimate = estimateDifference({ hits: 60, served: 100 }, { hits: 500, served: 1000 });

  it('estimates the difference and its variance', () => {
    expect(estimate.difference).toBeCloseTo(0.1, 12);
    expect(estimate.variance).toBeCloseTo(0.0026538831, 9);
  });

  it('gives the radius and the always-valid p-values', () => {
    expect(sequenceRadius(estimate.variance, 0.05, 0.05)).toBeCloseTo(0.1908176, 6);
    expect(alwaysValidP(estimate, -0.05, 0.05)).toBeCloseTo(0.1782821, 6);
    expect(alwaysValidP(estimate, 0, 0.05)).toBeCloseTo(0.5587651, 6);
  });

  it('puts p = α exactly on the edge of the sequence', () => {
    const r = sequenceRadius(estimate.variance, 0.05, 0.01);
    expect(alwaysValidP(estimate, estimate.difference - r, 0.05)).toBeCloseTo(0.01, 10);
    expect(alwaysValidP(estimate, estimate.difference + r, 0.05)).toBeCloseTo(0.01, 10);
  });

  it('keeps the variance above 0 with no hits or all hits', () => {
    expect(estimateDifference({ hits: 0, served: 100 }, { hits: 100, served: 100 }).variance).toBeCloseTo(2 * (1 / 102) * (101 / 102) / 100, 12);
  });

  it('has the normal CDF at its textbook points', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
    expect(normalCdf(2.9117250504)).toBeCloseTo(1 - 0.0017971944, 7);
  });
});

describe('analyzeCanary', () => {
  it('steps up when the fixed-sample test leans to non-inferiority but the sequence does not yet', () => {
    const decision = analyzeCanary(input(side('c', 100, 60), side('h', 1000, 500)), params());
    expect(decision.verdict).toBe('step-up');
    expect(decision.nextPercent).toBe(50);
    expect(decision.figures.lowerBound).toBeCloseTo(0.1 - 0.1908176, 6);
    expect(decision.figures.pFixed).toBeCloseTo(0.0017971944, 7);
    expect(decision.evidence.join(' ')).toContain('always-valid p = 0.1783');
  });

  it('holds at the last step, then promotes once the sequence clears the margin', () => {
    expect(analyzeCanary(input(side('c', 100, 60), side('h', 1000, 500), { candidatePercent: 50 }), params()).verdict).toBe('hold');
    const promoted = analyzeCanary(input(side('c', 1500, 760), side('h', 1500, 750), { candidatePercent: 50 }), params());
    expect(promoted.verdict).toBe('promote');
    expect(promoted.nextPercent).toBeNull();
    expect(promoted.figures.lowerBound).toBeGreaterThan(-0.05);
  });

  it('rolls back when the champion is shown better', () => {
    const decision = analyzeCanary(input(side('c', 300, 60), side('h', 2700, 2100)), params());
    expect(decision.verdict).toBe('roll-back');
    expect(decision.figures.upperBound).toBeLessThan(0);
    expect(decision.evidence.at(-1)).toContain("champion's hit rate is shown higher");
  });

  it('holds below min_served on either side, whatever the hit rates', () => {
    expect(analyzeCanary(input(side('c', 99, 0), side('h', 5000, 4000)), params()).verdict).toBe('hold');
    expect(analyzeCanary(input(side('c', 5000, 4000), side('h', 99, 0)), params()).verdict).toBe('hold');
  });

  it('rolls back on the error guard before any data, with the champion as the baseline', () => {
    expect(analyzeCanary(input(side('c', 0, 0), side('h', 0, 0), { candidateErrorRatio: 0.5 }), params()).verdict).toBe('roll-back');
    const within = input(side('c', 0, 0), side('h', 0, 0), { candidateErrorRatio: 0.06, championErrorRatio: 0.05 });
    expect(analyzeCanary(within, params()).verdict).toBe('hold');
  });

  it('rolls back on the latency guard, absolute or relative to the champion', () => {
    const data = (candidateP95: number | null, championP95: number | null) => input(side('c', 1500, 760, candidateP95), side('h', 1500, 750, championP95));
    expect(analyzeCanary(data(301, 290), params()).verdict).toBe('roll-back');
    expect(analyzeCanary(data(170, 80), params()).verdict).toBe('roll-back');
    expect(analyzeCanary(data(160, 80), params()).verdict).toBe('promote');
    expect(analyzeCanary(data(250, null), params()).verdict).toBe('promote');
    expect(analyzeCanary(data(null, 80), params()).verdict).toBe('promote');
  });

  it('forces a decision at max_served with the fixed-sample test', () => {
    const near = input(side('c', 2000, 960), side('h', 2000, 1000), { candidatePercent: 50 });
    const forced = analyzeCanary(near, params());
    expect(forced.figures.lowerBound).toBeLessThan(-0.05);
    expect(forced.verdict).toBe('promote');
    expect(forced.evidence.at(-1)).toContain('Forced decision at 1800');
    const worse = input(side('c', 2000, 940), side('h', 2000, 1000), { candidatePercent: 50 });
    expect(analyzeCanary(worse, params()).verdict).toBe('roll-back');
  });
});

/** Binomial draws from a seeded Rng: the same seed, the same stats. */
function drawSide(rng: Rng, revision: string, served: number, p: number): OnlineRevisionStats {
  let hits = 0;
  for (let k = 0; k < served; k++) if (rng.next() < p) hits++;
  return side(revision, served, hits);
}

describe('each parameter changes the verdict where it should (seed 7)', () => {
  const rng = new Rng(7);
  // Two equal models at 50 %, 1500 served each: Δ̂ = +0.0033, L = −0.041 (promote by a hair of 0.009).
  const equal = input(drawSide(rng, 'c', 1500, 0.8), drawSide(rng, 'h', 1500, 0.8), { candidatePercent: 50 });
  // At 10 %, 300 vs 2700: the fixed-sample p = 0.016, L = −0.073 (step up).
  const small = input(drawSide(rng, 'c', 300, 0.8), drawSide(rng, 'h', 2700, 0.8));

  it.each<[string, CanaryInput, Partial<CanaryParams>, string, string, Partial<CanaryParams>?]>([
    ['margin', equal, { margin: 0.02 }, 'promote', 'hold'],
    ['alpha', equal, { alpha: 0.001 }, 'promote', 'hold'],
    ['mixture_sd', equal, { mixtureSd: 0.005 }, 'promote', 'hold'],
    ['max_served', equal, { maxServed: 1000 }, 'hold', 'promote', { margin: 0.03 }],
    ['min_served', small, { minServed: 400 }, 'step-up', 'hold'],
    ['steps', small, { steps: [] }, 'step-up', 'hold'],
    ['max_error_ratio', input(equal.candidate, equal.champion, { candidateErrorRatio: 0.03, championErrorRatio: 0.01 }), { maxErrorRatio: 0.01 }, 'promote', 'roll-back'],
    ['max_p95_latency_ms', equal, { maxP95LatencyMs: 50 }, 'promote', 'roll-back'],
    ['max_p95_ratio', input(equal.candidate, { ...equal.champion, latencyP95Ms: 60 }), { maxP95Ratio: 1.2 }, 'promote', 'roll-back', { p95SlackMs: 0 }],
    ['p95_slack_ms', input({ ...equal.candidate, latencyP95Ms: 7 }, { ...equal.champion, latencyP95Ms: 3 }), { p95SlackMs: 3 }, 'promote', 'roll-back'],
  ])('%s', (_name, data, change, before, after, start = {}) => {
    const base = params(start);
    expect(analyzeCanary(data, base).verdict).toBe(before);
    expect(analyzeCanary(data, { ...base, ...change }).verdict).toBe(after);
  });
});
