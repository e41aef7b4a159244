import type { OnlineReport, OnlineRevisionStats } from './online-stats.js';

/**
 * One revision's online stats summed over several reports (e.g. every report
 * since a canary started): counts add up; hit rate, mean rating and fallback
 * share are recomputed from the sums; the latency percentiles cannot be merged
 * exactly and are the served-weighted means of the reports' percentiles.
 * Stats of other revisions are ignored; a revision absent from every report
 * gets zero counts and null rates. `modelVersion` is the latest seen, else
 * `fallbackVersion`.
 */
export function revisionTotals(reports: readonly OnlineReport[], revision: string, fallbackVersion: string): OnlineRevisionStats {
  let modelVersion = fallbackVersion;
  const sum = { served: 0, hits: 0, watchedMinutes: 0, ratings: 0, ratingSum: 0, fallbacks: 0 };
  const p50 = { weighted: 0, weight: 0 };
  const p95 = { weighted: 0, weight: 0 };
  for (const report of reports) {
    for (const stats of report.revisions) {
      if (stats.revision !== revision) continue;
      modelVersion = stats.modelVersion;
      sum.served += stats.served;
      sum.hits += stats.hits;
      sum.watchedMinutes += stats.watchedMinutes;
      sum.ratings += stats.ratings;
      sum.ratingSum += (stats.meanRating ?? 0) * stats.ratings;
      sum.fallbacks += (stats.fallbackShare ?? 0) * stats.served;
      if (stats.latencyP50Ms !== null) {
        p50.weighted += stats.latencyP50Ms * stats.served;
        p50.weight += stats.served;
      }
      if (stats.latencyP95Ms !== null) {
        p95.weighted += stats.latencyP95Ms * stats.served;
        p95.weight += stats.served;
      }
    }
  }
  return {
    revision,
    modelVersion,
    served: sum.served,
    hits: sum.hits,
    hitRate: sum.served === 0 ? null : sum.hits / sum.served,
    watchedMinutes: sum.watchedMinutes,
    ratings: sum.ratings,
    meanRating: sum.ratings === 0 ? null : sum.ratingSum / sum.ratings,
    fallbackShare: sum.served === 0 ? null : Math.round(sum.fallbacks) / sum.served,
    latencyP50Ms: p50.weight === 0 ? null : p50.weighted / p50.weight,
    latencyP95Ms: p95.weight === 0 ? null : p95.weighted / p95.weight,
  };
}
