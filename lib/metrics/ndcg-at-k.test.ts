import { describe, expect, it } from 'vitest';
import { ndcgAtK } from './ndcg-at-k.js';

// One list used throughout: positions 1..5 hold movies 7 3 9 1 4;
// relevant = {3, 4, 8} → hits at positions 2 and 5; movie 8 is never shown.
const list = Int32Array.of(7, 3, 9, 1, 4);
const relevant = new Set([3, 4, 8]);

describe('ndcgAtK', () => {
  it('discounts hits by log2(position + 1) against the ideal list', () => {
    // k = 5: DCG = 1/log2(3) + 1/log2(6) = 0.63093 + 0.38685 = 1.01778
    //        IDCG (3 relevant, capped at 5 → 3) = 1 + 1/log2(3) + 1/2 = 2.13093
    expect(ndcgAtK(list, relevant, 5)).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(6)) / (1 + 1 / Math.log2(3) + 0.5), 12);
    expect(ndcgAtK(list, relevant, 5)).toBeCloseTo(0.477625, 5);
    // k = 2: DCG = 1/log2(3) = 0.63093; IDCG = 1 + 0.63093 → 0.38685
    expect(ndcgAtK(list, relevant, 2)).toBeCloseTo(0.386853, 5);
  });

  it('caps the ideal at k and is 1 for a perfect list', () => {
    expect(ndcgAtK([3, 4], relevant, 2)).toBe(1);
    expect(ndcgAtK([8, 3, 4], relevant, 10)).toBe(1);
  });

  it('handles lists shorter than k, no hits and no relevant items', () => {
    // [7 3] at k = 10: DCG = 1/log2(3); IDCG = 1 + 1/log2(3) + 1/2
    expect(ndcgAtK([7, 3], relevant, 10)).toBeCloseTo(1 / Math.log2(3) / (1.5 + 1 / Math.log2(3)), 12);
    expect(ndcgAtK([1, 2], relevant, 2)).toBe(0);
    expect(ndcgAtK(list, new Set(), 5)).toBeNaN();
  });
});
