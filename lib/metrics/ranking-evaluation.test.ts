import { describe, expect, it } from 'vitest';
import { DEFAULT_SCALE } from '../data/records.js';
import { InvalidArgumentError } from '../errors.js';
import { popularityAlgorithm } from '../models/popularity.js';
import { smallTestSet, smallTrainSet } from '../test-helpers/small-train-set.js';
import { evaluateRanking } from './ranking-evaluation.js';
import { relevantByUser } from './relevant-items.js';

// 3 users × 6 movies. Train: u0 has seen 0; u1 has seen 1 and 2; u2 nothing.
const train = smallTrainSet(3, 6, [
  [0, 0, 4],
  [1, 1, Number.NaN, 20],
  [1, 2, 3],
]);
// A model that ranks movies 0 > 1 > 2 > … for everyone (popularity counts 6 … 1).
const model = popularityAlgorithm.restore(
  { shrinkage: 0 },
  { counts: Float64Array.of(6, 5, 4, 3, 2, 1), estimate: new Float64Array(6).fill(3), mu: Float64Array.of(3) },
  { nUsers: 3, nMovies: 6, scale: DEFAULT_SCALE },
);
const test = smallTestSet([
  [0, 2, 5], // relevant (rated ≥ 4)
  [0, 4, 3], // rated below 4: not relevant
  [0, 5, Number.NaN, 30], // only watched: relevant
  [1, 1, 5], // already seen in train: left out
  [1, 4, 4], // relevant
  [1, -1, 5], // movie unknown to train: left out
  [2, 0, Number.NaN, 0], // neither rated nor watched: not relevant
  [2, 1, 4, 10], // relevant
  [-1, 3, 5], // user unknown to train: left out
]);

describe('relevantByUser', () => {
  it('keeps high ratings and plain watches the ranking can be judged on', () => {
    const relevant = relevantByUser(test, train.implicit);
    expect([...relevant.keys()]).toEqual([0, 1, 2]);
    expect([...relevant.get(0) ?? []]).toEqual([2, 5]);
    expect([...relevant.get(1) ?? []]).toEqual([4]);
    expect([...relevant.get(2) ?? []]).toEqual([1]);
  });

  it('honours the threshold', () => {
    const strict = relevantByUser(test, train.implicit, 5);
    expect([...strict.keys()]).toEqual([0]);
    expect([...(strict.get(0) ?? [])]).toEqual([2, 5]);
  });
});

describe('evaluateRanking', () => {
  it('averages hand-computed ranking metrics over users with relevant movies', () => {
    // top 2 without seen: u0 [1 2] vs {2 5}; u1 [0 3] vs {4}; u2 [0 1] vs {1}
    //   precision (1/2 + 0 + 1/2) / 3 = 1/3      recall (1/2 + 0 + 1) / 3 = 1/2
    //   ndcg: u0 (1/log2 3) / (1 + 1/log2 3), u1 0, u2 (1/log2 3) / 1
    //   hit rate 2/3; coverage {0 1 2 3} of 6 = 2/3
    const result = evaluateRanking(model, train, test, { k: 2 });
    const d = 1 / Math.log2(3);
    expect(result.k).toBe(2);
    expect(result.users).toBe(3);
    expect(result.precision).toBeCloseTo(1 / 3, 12);
    expect(result.recall).toBeCloseTo(1 / 2, 12);
    expect(result.ndcg).toBeCloseTo((d / (1 + d) + d) / 3, 12);
    expect(result.hitRate).toBeCloseTo(2 / 3, 12);
    expect(result.coverage).toBeCloseTo(2 / 3, 12);
  });

  it('is NaN everywhere when no user has a relevant movie', () => {
    const none = evaluateRanking(model, train, smallTestSet([[0, 4, 2]]), { k: 5 });
    expect(none.users).toBe(0);
    for (const value of [none.precision, none.recall, none.ndcg, none.hitRate, none.coverage]) expect(value).toBeNaN();
  });

  it('rejects a bad k', () => {
    expect(() => evaluateRanking(model, train, test, { k: 0 })).toThrow(InvalidArgumentError);
  });
});
