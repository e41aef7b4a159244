import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildTrainSet, mapTestSet } from '../lib/data/build-train-set.js';
import { aggregateInteractions } from '../lib/data/interactions.js';
import { readMovieLens } from '../lib/data/readers/movielens.js';
import { DEFAULT_SCALE } from '../lib/data/records.js';
import type { TestSet } from '../lib/data/train-set.js';
import type { AlgorithmSpec, Model } from '../lib/models/model.js';
import { baselineAlgorithm } from '../lib/models/baseline.js';
import { svdAlgorithm } from '../lib/models/svd.js';
import { svdppAlgorithm } from '../lib/models/svdpp.js';
import { isMain } from './stats.js';

/** Accuracy and timings of one algorithm on one fold, or averaged over folds. */
export interface Ml100kResult {
  readonly algorithm: string;
  readonly rmse: number;
  readonly mae: number;
  readonly fitSeconds: number;
  readonly predictSeconds: number;
}

/** An averaged row with the folds it came from. */
export interface Ml100kRow extends Ml100kResult {
  readonly folds: readonly Ml100kResult[];
}

export interface Ml100kOptions {
  /** The folder holding u1.base … u5.test (default ../shared/datasets/ml-100k from the working directory). */
  readonly dir?: string;
  /** Which official folds to run (default 1–5). */
  readonly folds?: readonly number[];
  /** Where progress lines go (default console.log). */
  readonly log?: (line: string) => void;
}

export const DEFAULT_ML100K_DIR = resolve(process.cwd(), '../shared/datasets/ml-100k');

// Surprise's defaults (the schemas fill them in).
const SPECS: ReadonlyArray<AlgorithmSpec<Record<string, number>>> = [baselineAlgorithm, svdAlgorithm, svdppAlgorithm];

function accuracy(model: Model, test: TestSet): { rmse: number; mae: number; seconds: number } {
  const started = performance.now();
  let sse = 0;
  let sae = 0;
  let n = 0;
  for (let t = 0; t < test.user.length; t++) {
    const r = test.rating[t];
    if (Number.isNaN(r)) continue;
    const err = r - model.predict(test.user[t], test.movie[t]);
    sse += err * err;
    sae += Math.abs(err);
    n++;
  }
  return { rmse: Math.sqrt(sse / n), mae: sae / n, seconds: (performance.now() - started) / 1000 };
}

function mean(rows: readonly Ml100kResult[], key: 'rmse' | 'mae' | 'fitSeconds' | 'predictSeconds'): number {
  return rows.reduce((sum, row) => sum + row[key], 0) / rows.length;
}

/**
 * Baseline, SVD and SVD++ with Surprise's default hyper-parameters on the official
 * ML-100k folds u1–u5: RMSE, MAE, fit and predict seconds per fold and their
 * means (Surprise's benchmark table reports the same columns). Returns []
 * with a message when the dataset is absent.
 */
export async function benchMl100k(options: Ml100kOptions = {}): Promise<Ml100kRow[]> {
  const dir = options.dir ?? DEFAULT_ML100K_DIR;
  const folds = options.folds ?? [1, 2, 3, 4, 5];
  const log = options.log ?? ((line: string) => console.log(line));
  if (!folds.every((k) => existsSync(join(dir, `u${k}.base`)) && existsSync(join(dir, `u${k}.test`)))) {
    log(`ml100k: skipped, ${dir}/u{${folds.join(',')}}.{base,test} not found`);
    return [];
  }
  const perFold = new Map<string, Ml100kResult[]>(SPECS.map((spec) => [spec.name, []]));
  for (const k of folds) {
    const base = aggregateInteractions(await readMovieLens(join(dir, `u${k}.base`)));
    const { train, users, movies } = buildTrainSet(base, DEFAULT_SCALE);
    const test = mapTestSet(aggregateInteractions(await readMovieLens(join(dir, `u${k}.test`))), users, movies);
    for (const spec of SPECS) {
      const params = spec.paramsSchema.parse({});
      const started = performance.now();
      const model = await spec.fit(train, params);
      const fitSeconds = (performance.now() - started) / 1000;
      const { rmse, mae, seconds } = accuracy(model, test);
      const row = { algorithm: spec.name, rmse, mae, fitSeconds, predictSeconds: seconds };
      perFold.get(spec.name)?.push(row);
      log(`ml100k u${k} ${spec.name.padEnd(6)} rmse ${rmse.toFixed(4)} mae ${mae.toFixed(4)} fit ${fitSeconds.toFixed(3)} s predict ${seconds.toFixed(4)} s`);
    }
  }
  return [...perFold].map(([algorithm, rows]) => ({
    algorithm,
    rmse: mean(rows, 'rmse'),
    mae: mean(rows, 'mae'),
    fitSeconds: mean(rows, 'fitSeconds'),
    predictSeconds: mean(rows, 'predictSeconds'),
    folds: rows,
  }));
}

if (isMain(import.meta.url)) {
  const rows = await benchMl100k();
  for (const row of rows) {
    console.log(
      `ml100k mean  ${row.algorithm.padEnd(6)} rmse ${row.rmse.toFixed(4)} mae ${row.mae.toFixed(4)} fit ${row.fitSeconds.toFixed(3)} s predict ${row.predictSeconds.toFixed(4)} s`,
    );
  }
}
