import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { mae } from './mae.js';

// Surprise tests/test_accuracy.py style: small arrays, values worked by hand.
describe('mae', () => {
  it('matches a hand computation', () => {
    // |1| + |−2| + |0| + |3| = 6 → 6 / 4 = 1.5
    expect(mae([4, 1, 3, 5], [3, 3, 3, 2])).toBe(1.5);
    // |0.5| + |−0.25| = 0.75 → 0.375
    expect(mae([3.5, 2.75], [3, 3])).toBe(0.375);
  });

  it('is NaN with no pairs and refuses unpaired arrays', () => {
    expect(mae([], [])).toBeNaN();
    expect(() => mae([1], [1, 2])).toThrow(InvalidArgumentError);
  });
});
