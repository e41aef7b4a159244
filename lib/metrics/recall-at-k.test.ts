import { describe, expect, it } from 'vitest';
import { recallAtK } from './recall-at-k.js';

// One list used throughout: positions 1..5 hold movies 7 3 9 1 4;
// relevant = {3, 4, 8} → hits at positions 2 and 5; movie 8 is never shown.
const list = Int32Array.of(7, 3, 9, 1, 4);
const relevant = new Set([3, 4, 8]);

describe('recallAtK', () => {
  it('counts relevant items found, over all relevant', () => {
    expect(recallAtK(list, relevant, 1)).toBe(0);
    expect(recallAtK(list, relevant, 2)).toBeCloseTo(1 / 3, 15);
    expect(recallAtK(list, relevant, 5)).toBeCloseTo(2 / 3, 15);
    expect(recallAtK(list, relevant, 50)).toBeCloseTo(2 / 3, 15);
  });

  it('is NaN with no relevant items', () => {
    expect(recallAtK(list, new Set(), 5)).toBeNaN();
  });
});
