import type { TrainData } from '../lib/data/build-train-set.js';
import { buildTrainSet, buildTrainTest } from '../lib/data/build-train-set.js';
import type { Interactions } from '../lib/data/interactions.js';
import type { RatingScale } from '../lib/data/records.js';
import { seenMatrix } from '../lib/data/seen-matrix.js';
import { randomHoldout } from '../lib/data/splits.js';
import type { TestSet } from '../lib/data/train-set.js';
import type { PublishedBundle } from '../lib/artifacts/bundle-catalog.js';
import { saveModel } from '../lib/artifacts/model-bundle.js';
import type { OfflineReport } from '../lib/metrics/offline-report.js';
import { offlineReport, predictRatings } from '../lib/metrics/offline-report.js';
import type { PreparedAlgorithm } from '../lib/models/registry.js';
import { fitWithProgress } from './fit.js';
import type { Io } from './io.js';
import { gitCommit, packageVersion } from './version.js';

export interface TrainRequest {
  readonly prepared: PreparedAlgorithm;
  readonly table: Interactions;
  readonly scale: RatingScale;
  /** Fraction held out for offline metrics; 0 trains on everything and reports none. */
  readonly validation: number;
  readonly seed: number;
  readonly k: number;
  readonly sources: readonly string[];
  readonly contentHash: string;
  /** Models root: the bundle goes to `<out>/<algorithm>/<version>/`. */
  readonly out: string;
}

export interface TrainOutcome {
  readonly bundle: PublishedBundle;
  readonly path: string;
  readonly fitSeconds: number;
  readonly nTrain: number;
  readonly nValidation: number;
  readonly report: OfflineReport | null;
  readonly metrics: Record<string, number | null>;
}

/** Split, fit, evaluate on the held-out part, and publish a bundle. */
export async function trainModel(io: Io, request: TrainRequest): Promise<TrainOutcome> {
  const { prepared, table, scale } = request;
  let data: TrainData;
  let test: TestSet | undefined;
  if (request.validation > 0) {
    const split = randomHoldout(table, request.validation, request.seed);
    const both = buildTrainTest(table, scale, split.train, split.test);
    data = both;
    test = both.test;
  } else {
    data = buildTrainSet(table, scale);
  }
  const { model, fitSeconds } = await fitWithProgress(io, prepared, data.train);
  const report = test === undefined ? null : offlineReport(model, data.train, test, predictRatings(model, test), { k: request.k });
  const metrics: Record<string, number | null> = { fitSeconds };
  if (report !== null) {
    const k = report.ranking.k;
    Object.assign(metrics, {
      rmse: report.rmse,
      mae: report.mae,
      [`precisionAt${k}`]: nullIfNaN(report.ranking.precision),
      [`recallAt${k}`]: nullIfNaN(report.ranking.recall),
      [`ndcgAt${k}`]: nullIfNaN(report.ranking.ndcg),
      [`hitRateAt${k}`]: nullIfNaN(report.ranking.hitRate),
      [`coverageAt${k}`]: nullIfNaN(report.ranking.coverage),
    });
  }
  const bundle = await saveModel(request.out, {
    prepared,
    model,
    data,
    seen: seenMatrix(table, data.users, data.movies),
    snapshot: { sources: [...request.sources], contentHash: request.contentHash },
    code: { packageVersion: packageVersion(), gitCommit: gitCommit() },
    metrics,
  });
  return {
    bundle,
    path: bundle.store.location,
    fitSeconds,
    nTrain: test === undefined ? table.size : table.size - test.user.length,
    nValidation: test === undefined ? 0 : test.user.length,
    report,
    metrics,
  };
}

function nullIfNaN(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
