import type { LoadedBundle } from '../artifacts/read-bundle.js';
import { servingModel } from '../artifacts/model-bundle.js';
import { DataFileError } from '../errors.js';
import type { RankingEvaluation } from '../metrics/ranking-evaluation.js';
import { evaluateRanking } from '../metrics/ranking-evaluation.js';
import { offlineReport, predictRatings } from '../metrics/offline-report.js';
import type { PreparedData } from './prepared-io.js';

/**
 * The `evaluate` stage's figures: a bundle scored on the held-out set of the
 * prepared data it was trained on (lib/metrics' offline report at k), and the
 * ranking metrics at several list lengths up to k (the plot data).
 */
export interface OfflineMetrics {
  readonly algorithm: string;
  readonly version: string;
  readonly k: number;
  readonly rmse: number | null;
  readonly mae: number | null;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly ndcg: number | null;
  readonly hitRate: number | null;
  readonly coverage: number | null;
  readonly nTest: number;
  readonly nRated: number;
  readonly rankedUsers: number;
}

export type CurvePoint = Pick<RankingEvaluation, 'k' | 'precision' | 'recall' | 'ndcg' | 'hitRate'>;

/** List lengths of the curve: 1, 2, 5, 10, 20, 50, 100 up to k, and k. */
export function curveCutoffs(k: number): number[] {
  return [...new Set([1, 2, 5, 10, 20, 50, 100].filter((x) => x < k).concat(k))];
}

/** Score `bundle` on `data`'s held-out set; refuses a bundle trained on other data. */
export function evaluateOnPrepared(bundle: LoadedBundle, data: PreparedData, k: number): { metrics: OfflineMetrics; curve: CurvePoint[] } {
  const { manifest } = bundle;
  const prepared = data.manifest;
  if (manifest.data.contentHash !== prepared.snapshot.contentHash || manifest.shape.nUsers !== prepared.nUsers || manifest.shape.nMovies !== prepared.nMovies) {
    throw new DataFileError(
      bundle.location,
      undefined,
      `was not trained on this prepared data (its data ${manifest.data.contentHash.slice(0, 12)}…, ${manifest.shape.nUsers}×${manifest.shape.nMovies}; prepared ${prepared.snapshot.contentHash.slice(0, 12)}…, ${prepared.nUsers}×${prepared.nMovies})`,
    );
  }
  const { test } = data.split;
  if (test === null) throw new DataFileError(bundle.location, undefined, 'the prepared data holds nothing out (train.validation is 0): nothing to evaluate on');
  const { model } = servingModel(bundle);
  const { train } = data.split.data;
  const report = offlineReport(model, train, test, predictRatings(model, test), { k });
  const finite = (x: number): number | null => (Number.isNaN(x) ? null : x);
  const curve = curveCutoffs(k).map((cut) => {
    const r = cut === k ? report.ranking : evaluateRanking(model, train, test, { k: cut });
    return { k: cut, precision: r.precision, recall: r.recall, ndcg: r.ndcg, hitRate: r.hitRate };
  });
  return {
    metrics: {
      algorithm: manifest.algorithm,
      version: manifest.version,
      k,
      rmse: report.rmse,
      mae: report.mae,
      precision: finite(report.ranking.precision),
      recall: finite(report.ranking.recall),
      ndcg: finite(report.ranking.ndcg),
      hitRate: finite(report.ranking.hitRate),
      coverage: finite(report.ranking.coverage),
      nTest: report.nTest,
      nRated: report.nRated,
      rankedUsers: report.ranking.users,
    },
    curve,
  };
}

/** The curve as CSV: `k,precision,recall,ndcg,hitRate`, empty cells for undefined values. */
export function curveCsv(curve: readonly CurvePoint[]): string {
  const cell = (x: number) => (Number.isNaN(x) ? '' : String(x));
  const rows = curve.map((p) => [p.k, cell(p.precision), cell(p.recall), cell(p.ndcg), cell(p.hitRate)].join(','));
  return `k,precision,recall,ndcg,hitRate\n${rows.join('\n')}\n`;
}
