import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { precisionAtK } from './precision-at-k.js';

// One list used throughout: positions 1..5 hold movies 7 3 9 1 4;
// relevant = {3, 4, 8} → hits at positions 2 and 5; movie 8 is never shown.
const list = Int32Array.of(7, 3, 9, 1, 4);
const relevant = new Set([3, 4, 8]);

describe('precisionAtK', () => {
  it('counts relevant items among the first k, over k', () => {
    expect(precisionAtK(list, relevant, 1)).toBe(0); // [7]
    expect(precisionAtK(list, relevant, 2)).toBe(0.5); // [7 3] → 1 / 2
    expect(precisionAtK(list, relevant, 5)).toBe(0.4); // 2 / 5
  });

  it('divides by k when the list is shorter', () => {
    expect(precisionAtK(list, relevant, 10)).toBe(0.2); // 2 / 10
    expect(precisionAtK([], relevant, 3)).toBe(0);
  });

  it('is 0 with no relevant items and rejects a bad k', () => {
    expect(precisionAtK(list, new Set(), 3)).toBe(0);
    expect(() => precisionAtK(list, relevant, 0)).toThrow(InvalidArgumentError);
    expect(() => precisionAtK(list, relevant, 2.5)).toThrow(/k must be a whole number ≥ 1, got 2.5/);
  });
});
