import type { BlobStore } from '../artifacts/blob-store.js';
import type { PublishedBundle } from '../artifacts/bundle-catalog.js';
import type { CodeVersion, DataSnapshot } from '../artifacts/manifest.js';
import { saveModel } from '../artifacts/model-bundle.js';
import type { TrainData } from '../data/build-train-set.js';
import { buildTrainSet, buildTrainTest } from '../data/build-train-set.js';
import type { Csr } from '../data/csr.js';
import type { Interactions } from '../data/interactions.js';
import type { RatingScale } from '../data/records.js';
import { seenMatrix } from '../data/seen-matrix.js';
import type { EntrySplit } from '../data/splits.js';
import type { TestSet, TrainSet } from '../data/train-set.js';
import type { OfflineReport } from '../metrics/offline-report.js';
import { offlineReport, predictRatings } from '../metrics/offline-report.js';
import type { EpochReport, Model } from '../models/model.js';
import type { PreparedAlgorithm } from '../models/registry.js';

/**
 * One model from a table: fit on the train part of a split, score the
 * held-out part (RMSE, MAE, ranking metrics at k), and publish a bundle whose
 * seen matrix is the whole table (serving excludes everything a user has
 * seen, held-out movies included). Touches no clock but the fit timer, and
 * prints nothing: progress goes to `onEpoch`.
 */

/** A table split for training: the train set, the held-out test set (null: none) and everything seen. */
export interface SplitData {
  readonly data: TrainData;
  readonly test: TestSet | null;
  /** Every (user, movie) of the table in the train set's index space. */
  readonly seen: Csr;
  readonly nTrain: number;
  readonly nValidation: number;
}

/**
 * Build the train and test sets of `table` for `split` (null: train on everything, no test set).
 * Built once per run and shared by every algorithm.
 */
export function splitData(table: Interactions, scale: RatingScale, split: EntrySplit | null): SplitData {
  let data: TrainData;
  let test: TestSet | null = null;
  if (split === null) data = buildTrainSet(table, scale);
  else {
    const both = buildTrainTest(table, scale, split.train, split.test);
    data = both;
    test = both.test;
  }
  const nValidation = test === null ? 0 : test.user.length;
  return { data, test, seen: seenMatrix(table, data.users, data.movies), nTrain: table.size - nValidation, nValidation };
}

export interface Fitted {
  readonly model: Model;
  readonly fitSeconds: number;
}

/** Fit, reporting each epoch; returns the model and the wall-clock fit time. */
export async function fitModel(prepared: PreparedAlgorithm, train: TrainSet, onEpoch?: (report: EpochReport) => void): Promise<Fitted> {
  const started = performance.now();
  const model = await prepared.fit(train, onEpoch === undefined ? {} : { onEpoch });
  return { model, fitSeconds: (performance.now() - started) / 1000 };
}

export interface TrainModelRequest {
  readonly prepared: PreparedAlgorithm;
  readonly split: SplitData;
  /** Ranking cutoff of the offline metrics. */
  readonly k: number;
  /** The data the table came from, for the manifest (the counts are derived). */
  readonly snapshot: Omit<DataSnapshot, 'counts'>;
  readonly code: CodeVersion;
  /** Models root: the bundle goes to `<out>/<algorithm>/<version>/`. */
  readonly out: string | BlobStore;
  readonly onEpoch?: (report: EpochReport) => void;
  readonly createdAt?: Date;
}

export interface TrainOutcome {
  readonly bundle: PublishedBundle;
  /** The bundle's folder (its store location). */
  readonly path: string;
  readonly fitSeconds: number;
  readonly nTrain: number;
  readonly nValidation: number;
  readonly report: OfflineReport | null;
  /** `fitSeconds`, and with a validation set `rmse`, `mae`, `precisionAt<k>`, `recallAt<k>`, `ndcgAt<k>`, `hitRateAt<k>`, `coverageAt<k>`. */
  readonly metrics: Record<string, number | null>;
}

/** Fit on the split's train part, evaluate on its test part, and publish a bundle. */
export async function trainModel(request: TrainModelRequest): Promise<TrainOutcome> {
  const { prepared, split } = request;
  const { model, fitSeconds } = await fitModel(prepared, split.data.train, request.onEpoch);
  const report =
    split.test === null ? null : offlineReport(model, split.data.train, split.test, predictRatings(model, split.test), { k: request.k });
  const metrics = offlineMetrics(report, fitSeconds);
  const bundle = await saveModel(request.out, {
    prepared,
    model,
    data: split.data,
    seen: split.seen,
    snapshot: request.snapshot,
    code: request.code,
    metrics,
    createdAt: request.createdAt,
  });
  return { bundle, path: bundle.store.location, fitSeconds, nTrain: split.nTrain, nValidation: split.nValidation, report, metrics };
}

/** The manifest's metrics: the fit time, and the offline report's figures (null where undefined). */
export function offlineMetrics(report: OfflineReport | null, fitSeconds: number): Record<string, number | null> {
  const metrics: Record<string, number | null> = { fitSeconds };
  if (report === null) return metrics;
  const { k } = report.ranking;
  return {
    ...metrics,
    rmse: report.rmse,
    mae: report.mae,
    [`precisionAt${k}`]: nullIfNaN(report.ranking.precision),
    [`recallAt${k}`]: nullIfNaN(report.ranking.recall),
    [`ndcgAt${k}`]: nullIfNaN(report.ranking.ndcg),
    [`hitRateAt${k}`]: nullIfNaN(report.ranking.hitRate),
    [`coverageAt${k}`]: nullIfNaN(report.ranking.coverage),
  };
}

function nullIfNaN(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
