import { describe, expect, it } from 'vitest';
import { duplicateProblem, popularityProblem, seenProblem } from './bundle-checks.js';

const i32 = (...xs: number[]) => new Int32Array(xs);

describe('seenProblem', () => {
  it('accepts a valid CSR, empty rows included', () => {
    expect(seenProblem(i32(0, 2, 2, 3), i32(0, 4, 1), 3, 5)).toBeUndefined();
    expect(seenProblem(i32(0), i32(), 0, 0)).toBeUndefined();
  });

  it.each([
    ['a short indptr', i32(0, 2), i32(0, 1), 'indptr has 2 entries, expected nRows + 1 = 4'],
    ['a non-zero start', i32(1, 2, 2, 3), i32(0, 4, 1), 'indptr[0] is 1'],
    ['an end that is not nnz', i32(0, 2, 2, 2), i32(0, 4, 1), 'indptr[3] is 2, expected 3 entries'],
    ['a decreasing indptr', i32(0, 3, 2, 3), i32(0, 1, 4), 'indptr decreases at row 1'],
    ['a column out of range', i32(0, 2, 2, 3), i32(0, 5, 1), 'row 0: column 5 is outside 0..4'],
    ['a negative column', i32(0, 2, 2, 3), i32(-1, 4, 1), 'row 0: column -1 is outside 0..4'],
    ['unsorted columns', i32(0, 2, 2, 3), i32(4, 0, 1), 'row 0: columns are not strictly ascending at entry 1'],
    ['a repeated column', i32(0, 2, 2, 3), i32(4, 4, 1), 'not strictly ascending'],
  ])('names %s', (_, indptr, indices, message) => {
    expect(seenProblem(indptr, indices, 3, 5)).toContain(message);
  });
});

describe('popularityProblem', () => {
  it('accepts distinct movies, a partial ranking included', () => {
    expect(popularityProblem(i32(2, 0, 1), 3)).toBeUndefined();
    expect(popularityProblem(i32(2), 3)).toBeUndefined();
  });

  it('names out-of-range, repeated and too many movies', () => {
    expect(popularityProblem(i32(0, 3), 3)).toBe('entry 1 is 3, outside 0..2');
    expect(popularityProblem(i32(1, 1), 3)).toBe('movie 1 is ranked twice');
    expect(popularityProblem(i32(0, 1, 2, 0), 3)).toBe('ranks 4 movies, more than nMovies = 3');
  });
});

describe('duplicateProblem', () => {
  it('names the first repeated id', () => {
    expect(duplicateProblem(['a', 'b', 'c'])).toBeUndefined();
    expect(duplicateProblem(['a', 'b', 'a'])).toBe('"a" appears twice (again at 2)');
  });
});
