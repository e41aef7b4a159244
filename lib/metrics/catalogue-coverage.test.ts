import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { catalogueCoverage } from './catalogue-coverage.js';

describe('catalogueCoverage', () => {
  it('is the share of movies in any top-k list', () => {
    const lists = [Int32Array.of(0, 1, 2), Int32Array.of(1, 3, 4), Int32Array.of(0, 1, 5)];
    // k = 2: {0, 1, 3} → 3 / 10; k = 3: {0 1 2 3 4 5} → 6 / 10
    expect(catalogueCoverage(lists, 10, 2)).toBe(0.3);
    expect(catalogueCoverage(lists, 10, 3)).toBe(0.6);
    expect(catalogueCoverage(lists, 10, 50)).toBe(0.6);
  });

  it('is 0 with no lists, NaN for an empty catalogue, and refuses foreign movies', () => {
    expect(catalogueCoverage([], 10, 5)).toBe(0);
    expect(catalogueCoverage([], 0, 5)).toBeNaN();
    expect(() => catalogueCoverage([[10]], 10, 5)).toThrow(/movie 10 is outside a catalogue of 10/);
    expect(() => catalogueCoverage([[1]], -1, 5)).toThrow(InvalidArgumentError);
  });
});
