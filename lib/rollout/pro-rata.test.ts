import { describe, expect, it } from 'vitest';
import { scaleProRata } from './pro-rata.js';

describe('scaleProRata', () => {
  it('scales shares to a new total that they sum to exactly', () => {
    expect(scaleProRata([100], 90)).toEqual([90]);
    expect(scaleProRata([50, 50], 90)).toEqual([45, 45]);
    expect(scaleProRata([90, 10], 50)).toEqual([45, 5]);
    // 30.6, 29.7, 29.7 → floors 30, 29, 29; the two largest fractions (.7, .7) take the 2 left over.
    expect(scaleProRata([34, 33, 33], 90)).toEqual([30, 30, 30]);
  });

  it('hands the rounding remainder to the largest fractions, earlier first on ties', () => {
    const out = scaleProRata([1, 1, 1], 10);
    expect(out).toEqual([4, 3, 3]);
    expect(scaleProRata([33, 33, 34], 50).reduce((a, b) => a + b, 0)).toBe(50);
  });

  it('keeps zero shares at zero', () => {
    expect(scaleProRata([0, 100, 0], 80)).toEqual([0, 80, 0]);
    expect(scaleProRata([0, 0], 80)).toEqual([0, 0]);
    expect(scaleProRata([60, 40], 0)).toEqual([0, 0]);
  });
});
