import { describe, expect, it } from 'vitest';
import { csrFromCoo } from '../data/csr.js';
import type { InteractionRecord } from '../data/records.js';
import { DEFAULT_SCALE } from '../data/records.js';
import { Vocabulary } from '../data/vocabulary.js';
import type { Model } from '../models/model.js';
import { scoreOnSlice } from './holdout-score.js';
import { holdoutSlice } from './holdout-slice.js';

// A bundle of users "1", "2" and movies a b c d; user 1 has seen a and c, user 2 has seen b.
const users = Vocabulary.from(['1', '2']);
const movies = Vocabulary.from(['a', 'b', 'c', 'd']);
const bundle = {
  users,
  movies,
  seen: csrFromCoo(2, 4, [0, 0, 1], [0, 2, 1], [10, 10, 10]),
  popularity: Int32Array.from([3, 2, 1, 0]),
};
const SCORES = [
  [0.9, 0.1, 0.8, 0.5],
  [0.1, 0.9, 0.5, 0.3],
];
/** Ranks by SCORES; predicts 4 for known users, 3 otherwise. */
const model: Model = {
  algorithm: 'svd',
  shape: { nUsers: 2, nMovies: 4, scale: DEFAULT_SCALE },
  predictsRatings: true,
  predict: (u) => (u >= 0 ? 4 : 3),
  scoreAll: (u, out) => out.set(SCORES[u]),
  parameters: () => ({}),
};

const T = Date.UTC(2026, 10, 25);
const rate = (user: string, movie: string, value: number): InteractionRecord => ({ user, movie, kind: 'rate', value, time: T });
const watch = (user: string, movie: string, value = 30): InteractionRecord => ({ user, movie, kind: 'watch', value, time: T });
const records = [watch('1', 'c'), rate('1', 'c', 5), rate('1', 'd', 2), watch('2', 'a'), rate('9', 'b', 4)];

describe('holdoutSlice', () => {
  it('keeps the held-out pairs, counts ratings and finds the relevant movies (rated ≥ 4 or only watched)', () => {
    const slice = holdoutSlice(records, null);
    expect(slice).toMatchObject({ dropped: 0, ratings: 3 });
    const named = [...slice.relevant].map(([u, set]) => [slice.table.users.idAt(u), [...set].map((i) => slice.table.movies.idAt(i))]);
    expect(named).toEqual([
      ['1', ['c']],
      ['2', ['a']],
      ['9', ['b']],
    ]);
  });

  it('drops the pairs the champion has seen', () => {
    const champion = { users, movies, seen: csrFromCoo(2, 4, [1], [0], [5]) }; // user 2 saw a
    const slice = holdoutSlice(records, champion);
    expect(slice.dropped).toBe(1);
    expect(slice.table.size).toBe(3);
    expect([...slice.relevant.keys()].map((u) => slice.table.users.idAt(u))).toEqual(['1', '9']);
  });

  it('sets the pairs recommended to their user apart: not relevant, withheld, still rated', () => {
    const exposure = { served: [{ user: '1', movies: ['c', 'a'], time: T - 60_000 }], since: T - 3_600_000 };
    const slice = holdoutSlice(records, null, { exposure });
    expect(slice).toMatchObject({ dropped: 0, recommended: 1, ratings: 3 });
    const ids = (sets: ReadonlyMap<number, ReadonlySet<number>>) => [...sets].map(([u, set]) => [slice.table.users.idAt(u), [...set].map((i) => slice.table.movies.idAt(i))]);
    expect(ids(slice.relevant)).toEqual([
      ['2', ['a']],
      ['9', ['b']],
    ]);
    expect(ids(slice.withheld)).toEqual([['1', ['c']]]);
  });
});

describe('scoreOnSlice', () => {
  it('scores RMSE over every rated pair and ranks as serving would, held-out pairs allowed back in', () => {
    // RMSE: (4 − 5)², (4 − 2)², (3 − 4)² → √(6/3).
    // Top 2: user 1 gets c, d (c is in its seen row, but it is a held-out pair) → NDCG 1;
    // user 2 gets c, d (b seen) → 0; unknown user 9 gets the popular d, c → 0.
    const scores = scoreOnSlice(bundle, model, holdoutSlice(records, null), 2);
    expect(scores.rmse).toBeCloseTo(Math.SQRT2, 6);
    expect(scores.ndcg).toBeCloseTo(1 / 3, 6);
    expect(scores.hitRate).toBeCloseTo(1 / 3, 6);
  });

  it('keeps withheld (recommended) pairs out of the top k, so they are neither hit nor miss, and still in RMSE', () => {
    // User 2 watched a and c, c after it was recommended; b is seen. Ranked c .5, d .3, a .1:
    // c is withheld, so the top 2 is d, a → NDCG 1/log2(3), hit 1. RMSE on the rating of c: |4 − 5|.
    const exposed = [watch('2', 'a'), watch('2', 'c'), rate('2', 'c', 5)];
    const slice = holdoutSlice(exposed, null, { exposure: { served: [{ user: '2', movies: ['c'], time: T - 60_000 }], since: T - 3_600_000 } });
    expect(slice).toMatchObject({ recommended: 1, ratings: 1 });
    const scores = scoreOnSlice(bundle, model, slice, 2);
    expect(scores.rmse).toBeCloseTo(1, 6);
    expect(scores.ndcg).toBeCloseTo(1 / Math.log2(3), 6);
    expect(scores.hitRate).toBe(1);
  });

  it('has no RMSE for a model that does not estimate ratings, and no ranking without relevant movies', () => {
    const ranker = { ...model, predictsRatings: false };
    expect(scoreOnSlice(bundle, ranker, holdoutSlice(records, null), 2).rmse).toBeNull();
    expect(scoreOnSlice(bundle, model, holdoutSlice([rate('1', 'd', 1)], null), 2)).toEqual({ rmse: 3, ndcg: null, hitRate: null });
  });
});
