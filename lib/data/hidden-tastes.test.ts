import { describe, expect, it } from 'vitest';
import { Rng } from '../models/rng.js';
import { activityCounts, affinity, drawFrom, drawHiddenTastes, zipfTable } from './hidden-tastes.js';

describe('zipfTable and drawFrom', () => {
  it('draw indices with Zipf frequencies', () => {
    const rng = new Rng(5);
    const table = zipfTable(rng, 50, 1);
    const counts = new Array<number>(50).fill(0);
    for (let k = 0; k < 200_000; k++) counts[drawFrom(table, rng)]++;
    const sorted = [...counts].sort((a, b) => b - a);
    // Weights 1/(rank+1): the top movie gets 1/H(50) ≈ 22.2 %, the second half of that.
    expect(sorted[0] / 200_000).toBeCloseTo(0.222, 1);
    expect(sorted[0] / sorted[1]).toBeGreaterThan(1.8);
    expect(sorted[0] / sorted[1]).toBeLessThan(2.2);
  });

  it('draws uniformly with no skew', () => {
    const rng = new Rng(6);
    const table = zipfTable(rng, 4, 0);
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 40_000; k++) counts[drawFrom(table, rng)]++;
    for (const c of counts) expect(c).toBeGreaterThan(9_400);
  });
});

describe('activityCounts', () => {
  it('sums to the total exactly within [1, cap] and is skewed', () => {
    const counts = activityCounts(new Rng(7), 1_000, 20_000, 1, 300);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(20_000);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(300);
    expect(Math.max(...counts)).toBeGreaterThan(5 * 20);
  });
});

describe('drawHiddenTastes and affinity', () => {
  it('gives taste dot products of about unit variance in any dimension', () => {
    for (const dims of [4, 16]) {
      const t = drawHiddenTastes(new Rng(dims), 200, 200, dims);
      let sum = 0;
      let sumSq = 0;
      for (let u = 0; u < 200; u++) {
        for (let i = 0; i < 200; i++) {
          const dot = affinity(t, u, i) - t.userBias[u] - t.movieBias[i];
          sum += dot;
          sumSq += dot * dot;
        }
      }
      const variance = sumSq / 40_000 - (sum / 40_000) ** 2;
      expect(variance).toBeGreaterThan(0.6);
      expect(variance).toBeLessThan(1.5);
    }
  });
});
