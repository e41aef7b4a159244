import type { TestSet, TrainSet } from '../data/train-set.js';
import type { Model } from '../models/model.js';
import { mae } from './mae.js';
import type { RankingEvaluation } from './ranking-evaluation.js';
import { evaluateRanking } from './ranking-evaluation.js';
import { DEFAULT_RELEVANCE_THRESHOLD } from './relevant-items.js';
import { rmse } from './rmse.js';

/** Predicted and actual ratings of the rated test entries, in test order. */
export interface RatingPredictions {
  readonly predicted: Float32Array;
  readonly actual: Float32Array;
  /** How many of them had a user or movie the model has never seen (their estimate drops those terms). */
  readonly impossible: number;
}

/** Predict every rated test entry (watch-only entries have no rating to compare with). */
export function predictRatings(model: Model, test: TestSet): RatingPredictions {
  let n = 0;
  for (let e = 0; e < test.rating.length; e++) if (!Number.isNaN(test.rating[e])) n++;
  const predicted = new Float32Array(n);
  const actual = new Float32Array(n);
  const { nUsers, nMovies } = model.shape;
  let impossible = 0;
  let w = 0;
  for (let e = 0; e < test.rating.length; e++) {
    const r = test.rating[e];
    if (Number.isNaN(r)) continue;
    const u = test.user[e];
    const i = test.movie[e];
    if (u < 0 || u >= nUsers || i < 0 || i >= nMovies) impossible++;
    predicted[w] = model.predict(u, i);
    actual[w] = r;
    w++;
  }
  return { predicted, actual, impossible };
}

/** Offline metrics of a model on held-out data. */
export interface OfflineReport {
  /** null for models that rank rather than estimate ratings (implicit ALS), or when the test set holds no rating. */
  readonly rmse: number | null;
  readonly mae: number | null;
  readonly nTest: number;
  readonly nRated: number;
  readonly impossible: number;
  readonly ranking: RankingEvaluation;
}

export interface OfflineOptions {
  readonly k?: number;
  readonly threshold?: number;
}

/** RMSE and MAE on the rated test entries, and ranking metrics at k over the test users. */
export function offlineReport(
  model: Model,
  train: TrainSet,
  test: TestSet,
  predictions: RatingPredictions,
  options: OfflineOptions = {},
): OfflineReport {
  const scored = model.predictsRatings && predictions.actual.length > 0;
  return {
    rmse: scored ? rmse(predictions.predicted, predictions.actual) : null,
    mae: scored ? mae(predictions.predicted, predictions.actual) : null,
    nTest: test.user.length,
    nRated: predictions.actual.length,
    impossible: predictions.impossible,
    ranking: evaluateRanking(model, train, test, {
      k: options.k ?? 20,
      threshold: options.threshold ?? DEFAULT_RELEVANCE_THRESHOLD,
    }),
  };
}
