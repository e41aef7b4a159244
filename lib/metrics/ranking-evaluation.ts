import type { TestSet, TrainSet } from '../data/train-set.js';
import type { Model } from '../models/model.js';
import { popularityRanking } from '../models/popularity.js';
import { createRecommender } from '../models/top-n.js';
import { catalogueCoverage } from './catalogue-coverage.js';
import { checkCutoff } from './cutoff.js';
import { hitRateAtK } from './hit-rate-at-k.js';
import { ndcgAtK } from './ndcg-at-k.js';
import { precisionAtK } from './precision-at-k.js';
import { recallAtK } from './recall-at-k.js';
import { DEFAULT_RELEVANCE_THRESHOLD, relevantByUser } from './relevant-items.js';

export interface RankingEvaluationOptions {
  /** List length k. */
  readonly k: number;
  /** Test ratings at or above this are relevant (default 4); watch-only entries are relevant. */
  readonly threshold?: number;
}

/** Ranking quality at k, averaged over the evaluated users (NaN when there are none). */
export interface RankingEvaluation {
  readonly k: number;
  /** Test users with at least one relevant movie: the users averaged over. */
  readonly users: number;
  readonly precision: number;
  readonly recall: number;
  readonly ndcg: number;
  readonly hitRate: number;
  /** Share of the catalogue in at least one evaluated user's top k. */
  readonly coverage: number;
}

/**
 * Rank the top k for every test user with at least one relevant held-out
 * movie (see `relevantByUser` for what counts), excluding what the user has
 * in `train.implicit`, and average precision@k, recall@k and NDCG@k over
 * those users; also the hit rate@k and catalogue coverage of their lists.
 * Users unknown to the train set are not evaluated (they would all get the
 * same popularity list).
 */
export function evaluateRanking(model: Model, train: TrainSet, test: TestSet, options: RankingEvaluationOptions): RankingEvaluation {
  const { k } = options;
  checkCutoff('evaluateRanking', k);
  const relevant = relevantByUser(test, train.implicit, options.threshold ?? DEFAULT_RELEVANCE_THRESHOLD);
  const recommend = createRecommender(model, { seen: train.implicit, popularity: popularityRanking(train.implicit) });
  const lists: Int32Array[] = [];
  const sets: Set<number>[] = [];
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  for (const [u, set] of relevant) {
    const list = recommend(u, k).movies;
    lists.push(list);
    sets.push(set);
    precision += precisionAtK(list, set, k);
    recall += recallAtK(list, set, k);
    ndcg += ndcgAtK(list, set, k);
  }
  const users = lists.length;
  return {
    k,
    users,
    precision: users > 0 ? precision / users : Number.NaN,
    recall: users > 0 ? recall / users : Number.NaN,
    ndcg: users > 0 ? ndcg / users : Number.NaN,
    hitRate: hitRateAtK(lists, sets, k),
    coverage: users > 0 ? catalogueCoverage(lists, train.nMovies, k) : Number.NaN,
  };
}
