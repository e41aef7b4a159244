import { describe, expect, it } from 'vitest';
import { hitRateAtK } from './hit-rate-at-k.js';

describe('hitRateAtK', () => {
  it('is the share of users with a hit in their top k', () => {
    const lists = [Int32Array.of(1, 2, 3), Int32Array.of(4, 5, 6), Int32Array.of(7, 8, 9)];
    const sets = [new Set([3]), new Set([9]), new Set([7])];
    // user 0 hits at position 3, user 1 never, user 2 at position 1
    expect(hitRateAtK(lists, sets, 3)).toBeCloseTo(2 / 3, 15);
    expect(hitRateAtK(lists, sets, 2)).toBeCloseTo(1 / 3, 15);
    expect(hitRateAtK(lists, sets, 100)).toBeCloseTo(2 / 3, 15);
  });

  it('is NaN with no users and refuses unpaired inputs', () => {
    expect(hitRateAtK([], [], 5)).toBeNaN();
    expect(() => hitRateAtK([[1]], [], 5)).toThrow(/1 recommendation lists but 0 relevant sets/);
  });
});
