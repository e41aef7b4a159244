import { describe, expect, it } from 'vitest';
import { buildTrainSet, buildTrainTest, mapTestSet } from './build-train-set.js';
import type { Csr } from './csr.js';
import { aggregateInteractions } from './interactions.js';
import { DEFAULT_SCALE, type InteractionRecord } from './records.js';

const ev = (user: string, movie: string, kind: 'rate' | 'watch', value: number, time = 0): InteractionRecord => ({
  user,
  movie,
  kind,
  value,
  time,
});

/** Rows as { movie id: value } with raw ids, so tests read like the data. */
function rowsOf(m: Csr, userIds: string[], movieIds: string[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (let r = 0; r < m.nRows; r++) {
    const row: Record<string, number> = {};
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) row[movieIds[m.indices[p]]] = m.values[p];
    out[userIds[r]] = row;
  }
  return out;
}

// u1 rates a, watches b; u2 watches a then rates it; u3 rates c.
const table = aggregateInteractions([
  ev('u1', 'a', 'rate', 4),
  ev('u1', 'b', 'watch', 30),
  ev('u2', 'a', 'watch', 12),
  ev('u2', 'a', 'rate', 2),
  ev('u3', 'c', 'rate', 5),
]);

describe('buildTrainSet', () => {
  it('puts rated entries in ratings and every entry in implicit', () => {
    const { train, users, movies } = buildTrainSet(table, DEFAULT_SCALE);
    expect([train.nUsers, train.nMovies]).toEqual([3, 3]);
    expect(users).toBe(table.users);
    expect(rowsOf(train.ratings, users.toArray(), movies.toArray())).toEqual({ u1: { a: 4 }, u2: { a: 2 }, u3: { c: 5 } });
    expect(rowsOf(train.implicit, users.toArray(), movies.toArray())).toEqual({
      u1: { a: 0, b: 30 },
      u2: { a: 12 },
      u3: { c: 0 },
    });
    expect(Array.from(train.ratings.indptr)).toEqual([0, 1, 2, 3]);
    expect(train.globalMean).toBeCloseTo(11 / 3, 6);
    expect(train.scale).toBe(DEFAULT_SCALE);
  });

  it('numbers a subset densely with only the ids it touches', () => {
    // entries: 0 u1/a, 1 u1/b, 2 u2/a, 3 u3/c → keep u1/b and u3/c
    const { train, users, movies } = buildTrainSet(table, DEFAULT_SCALE, Int32Array.of(3, 1));
    expect(users.toArray()).toEqual(['u1', 'u3']);
    expect(movies.toArray()).toEqual(['b', 'c']);
    expect(rowsOf(train.implicit, users.toArray(), movies.toArray())).toEqual({ u1: { b: 30 }, u3: { c: 0 } });
    expect(train.globalMean).toBe(5);
  });

  it('gives NaN as the mean when nothing is rated', () => {
    expect(buildTrainSet(table, DEFAULT_SCALE, Int32Array.of(1)).train.globalMean).toBeNaN();
  });
});

describe('buildTrainTest and mapTestSet', () => {
  it('maps held-out entries into the train index space, -1 for unseen ids', () => {
    const { train, test, users, movies } = buildTrainTest(table, DEFAULT_SCALE, Int32Array.of(0, 1), Int32Array.of(2, 3));
    expect([train.nUsers, train.nMovies]).toEqual([1, 2]);
    expect(users.toArray()).toEqual(['u1']);
    expect(Array.from(test.user)).toEqual([-1, -1]);
    expect(Array.from(test.movie)).toEqual([movies.indexOf('a'), -1]);
    expect(Array.from(test.rating)).toEqual([2, 5]);
    expect(Array.from(test.minutes)).toEqual([12, 0]);
  });

  it('maps a separate table by raw id', () => {
    const { users, movies } = buildTrainSet(table, DEFAULT_SCALE);
    const other = aggregateInteractions([ev('u3', 'a', 'rate', 3), ev('new', 'c', 'watch', 9), ev('u1', 'zz', 'rate', 1)]);
    const test = mapTestSet(other, users, movies);
    expect(Array.from(test.user)).toEqual([users.indexOf('u3'), -1, users.indexOf('u1')]);
    expect(Array.from(test.movie)).toEqual([movies.indexOf('a'), movies.indexOf('c'), -1]);
    expect(Array.from(test.rating)).toEqual([3, Number.NaN, 1]);
  });
});
