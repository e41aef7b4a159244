import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csrFromCoo, type Csr } from '../data/csr.js';
import { DEFAULT_SCALE } from '../data/records.js';
import { InvalidArgumentError } from '../errors.js';
import type { Model } from './model.js';
import { createRecommender, topN } from './top-n.js';

/** A model whose scores are given per user; it ranks and predicts nothing else. */
function fixedScores(rows: ReadonlyArray<ReadonlyArray<number>>): Model {
  const nMovies = rows[0]?.length ?? 0;
  return {
    algorithm: 'popularity',
    shape: { nUsers: rows.length, nMovies, scale: DEFAULT_SCALE },
    predictsRatings: false,
    predict: () => 0,
    scoreAll: (u, out) => out.set(rows[u]),
    parameters: () => ({}),
  };
}

function seenOf(nRows: number, nCols: number, pairs: ReadonlyArray<readonly [number, number]>): Csr {
  return csrFromCoo(
    nRows,
    nCols,
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
    pairs.map(() => 1),
  );
}

const model = fixedScores([
  [0.5, 0.9, 0.1, 0.7, 0.3, 0.8],
  [1, 2, 2, Number.NaN, 2, 0],
]);
const seen = seenOf(2, 6, [
  [0, 1],
  [0, 4],
  [1, 0],
]);
const popularity = Int32Array.of(4, 1, 0, 5, 2, 3);

describe('topN', () => {
  it('returns the best unseen movies, best first, at most n', () => {
    // user 0 unseen scores: 0→0.5, 2→0.1, 3→0.7, 5→0.8 (1 and 4 are seen)
    expect(Array.from(topN(model, 0, 3, { seen, popularity }).movies)).toEqual([5, 3, 0]);
    expect(Array.from(topN(model, 0, 1, { seen, popularity }).movies)).toEqual([5]);
    expect(topN(model, 0, 3, { seen, popularity }).fallback).toBe(false);
  });

  it('breaks ties by the lower index and ranks NaN last', () => {
    // user 1: movie 0 seen; 1, 2, 4 tie at 2; 3 is NaN; 5 scores 0
    expect(Array.from(topN(model, 1, 5, { seen, popularity }).movies)).toEqual([1, 2, 4, 5, 3]);
  });

  it('returns what remains when fewer than n movies are unseen, and nothing for n = 0', () => {
    expect(Array.from(topN(model, 0, 10, { seen, popularity }).movies)).toEqual([5, 3, 0, 2]);
    expect(topN(model, 0, 0, { seen, popularity }).movies).toHaveLength(0);
    const all = seenOf(2, 6, [0, 1, 2, 3, 4, 5].map((i) => [0, i] as const));
    expect(topN(model, 0, 3, { seen: all, popularity }).movies).toHaveLength(0);
  });

  it('falls back to popularity for unknown users, flagged', () => {
    for (const u of [-1, 2, 1e9, 0.5]) {
      const result = topN(model, u, 3, { seen, popularity });
      expect(result.fallback).toBe(true);
      expect(Array.from(result.movies)).toEqual([4, 1, 0]);
    }
  });

  it('leaves out what a user unknown to the model has seen', () => {
    // seen knows user 2, the model does not: skip 4 and 0, fill from the rest
    const wider = seenOf(3, 6, [
      [2, 4],
      [2, 0],
    ]);
    const result = topN(model, 2, 3, { seen: wider, popularity });
    expect(result.fallback).toBe(true);
    expect(Array.from(result.movies)).toEqual([1, 5, 2]);
  });

  it('rejects a bad n and a short scratch buffer', () => {
    expect(() => topN(model, 0, -1, { seen, popularity })).toThrow(InvalidArgumentError);
    expect(() => topN(model, 0, 1.5, { seen, popularity })).toThrow(/n must be a whole number/);
    expect(() => topN(model, 0, 1, { seen, popularity, scratch: new Float32Array(5) })).toThrow(/scratch holds 5 scores/);
  });
});

describe('createRecommender', () => {
  it('gives the same answers as topN across repeated calls with one scratch buffer', () => {
    const recommend = createRecommender(model, { seen, popularity, scratch: new Float32Array(6) });
    for (let round = 0; round < 3; round++) {
      expect(Array.from(recommend(0, 2).movies)).toEqual([5, 3]);
      expect(Array.from(recommend(1, 4).movies)).toEqual([1, 2, 4, 5]);
      expect(recommend(-1, 2)).toEqual({ movies: Int32Array.of(4, 1), fallback: true });
    }
  });

  it('agrees with a full sort on random scores, ties and seen sets', () => {
    const scoreArb = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1, max: 1, noNaN: true }));
    fc.assert(
      fc.property(
        fc.array(scoreArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.nat({ max: 45 }),
        (scores, seenRaw, n) => {
          const nMovies = scores.length;
          const seenCols = [...new Set(seenRaw.map((c) => c % nMovies))];
          const m = fixedScores([scores]);
          const s = seenOf(
            1,
            nMovies,
            seenCols.map((c) => [0, c] as const),
          );
          const expected = scores
            .map((score, i) => ({ score: Math.fround(score), i }))
            .filter(({ i }) => !seenCols.includes(i))
            .sort((a, b) => b.score - a.score || a.i - b.i)
            .slice(0, n)
            .map(({ i }) => i);
          const order = Int32Array.from(scores.keys());
          expect(Array.from(createRecommender(m, { seen: s, popularity: order })(0, n).movies)).toEqual(expected);
        },
      ),
    );
  });
});
