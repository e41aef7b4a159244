import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { rmse } from './rmse.js';

// Surprise tests/test_accuracy.py style: small arrays, values worked by hand.
describe('rmse', () => {
  it('matches a hand computation', () => {
    // errors 1, −2, 0, 3 → squares 1 + 4 + 0 + 9 = 14 → √(14 / 4) = √3.5
    expect(rmse([4, 1, 3, 5], [3, 3, 3, 2])).toBeCloseTo(Math.sqrt(3.5), 12);
  });

  it('is 0 for perfect predictions and works on typed arrays', () => {
    expect(rmse(Float32Array.of(1, 2.5), Float64Array.of(1, 2.5))).toBe(0);
  });

  it('is NaN with no pairs and refuses unpaired arrays', () => {
    expect(rmse([], [])).toBeNaN();
    expect(() => rmse([1, 2], [1])).toThrow(InvalidArgumentError);
    expect(() => rmse([1, 2], [1])).toThrow(/2 predictions but 1 actual/);
  });
});
