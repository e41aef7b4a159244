import { describe, expect, it } from 'vitest';
import type { OnlineReport, OnlineRevisionStats } from './online-stats.js';
import { revisionTotals } from './online-totals.js';

const stats = (revision: string, served: number, hits: number, meanRating: number | null, ratings: number, fallbackShare: number, p95: number): OnlineRevisionStats => ({
  revision,
  modelVersion: `${revision}-v`,
  served,
  hits,
  hitRate: hits / served,
  watchedMinutes: hits * 10,
  ratings,
  meanRating,
  fallbackShare,
  latencyP50Ms: p95 / 2,
  latencyP95Ms: p95,
});
const report = (revisions: OnlineRevisionStats[]): OnlineReport => ({ at: '', from: '', to: '', windowMinutes: 30, revisions });

describe('revisionTotals', () => {
  it('sums one revision over reports and recomputes the rates (hand-computed)', () => {
    const reports = [report([stats('a', 10, 2, 8, 2, 0.1, 20), stats('b', 5, 5, null, 0, 0, 1)]), report([stats('a', 30, 9, 6, 6, 0.2, 40)])];
    expect(revisionTotals(reports, 'a', 'unknown')).toEqual({
      revision: 'a',
      modelVersion: 'a-v',
      served: 40,
      hits: 11,
      hitRate: 11 / 40,
      watchedMinutes: 110,
      ratings: 8,
      meanRating: (2 * 8 + 6 * 6) / 8,
      fallbackShare: 7 / 40,
      latencyP50Ms: (10 * 10 + 20 * 30) / 40,
      latencyP95Ms: (20 * 10 + 40 * 30) / 40,
    });
  });

  it('answers zero counts and null rates for a revision no report holds', () => {
    expect(revisionTotals([report([stats('a', 1, 1, null, 0, 0, 1)])], 'c', 'c-version')).toMatchObject({ revision: 'c', modelVersion: 'c-version', served: 0, hitRate: null, meanRating: null, fallbackShare: null, latencyP95Ms: null });
  });
});
