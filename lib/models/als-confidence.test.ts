import { describe, expect, it } from 'vitest';
import { DEFAULT_SCALE } from '../data/records.js';
import { smallTrainSet } from '../test-helpers/small-train-set.js';
import { FULL_WATCH_MINUTES, confidenceMatrix, interactionStrength } from './als-confidence.js';

describe('interactionStrength', () => {
  it('log-damps minutes up to a full watch', () => {
    expect(interactionStrength(FULL_WATCH_MINUTES, Number.NaN, DEFAULT_SCALE)).toBe(1);
    expect(interactionStrength(500, Number.NaN, DEFAULT_SCALE)).toBe(1);
    expect(interactionStrength(9, Number.NaN, DEFAULT_SCALE)).toBeCloseTo(Math.log(10) / Math.log(91), 15);
    expect(interactionStrength(0, Number.NaN, DEFAULT_SCALE)).toBe(0);
  });

  it('places a rating on the scale, 1 of 5 → 0.2, 5 of 5 → 1, and keeps the stronger signal', () => {
    expect(interactionStrength(0, 1, DEFAULT_SCALE)).toBeCloseTo(0.2, 15);
    expect(interactionStrength(0, 4, DEFAULT_SCALE)).toBeCloseTo(0.8, 15);
    expect(interactionStrength(0, 5, DEFAULT_SCALE)).toBe(1);
    expect(interactionStrength(0, 7, { min: 1, max: 10 })).toBeCloseTo(0.7, 15);
    expect(interactionStrength(90, 1, DEFAULT_SCALE)).toBe(1);
    expect(interactionStrength(1, 3, DEFAULT_SCALE)).toBeCloseTo(0.6, 15);
  });
});

describe('confidenceMatrix', () => {
  it('holds α·s_ui on the implicit entries, matching ratings by movie', () => {
    const train = smallTrainSet(2, 3, [
      [0, 0, 5],
      [0, 2, Number.NaN, 90],
      [1, 1, 1, 0],
      [1, 2, 3, 9],
    ]);
    const c = confidenceMatrix(train, 10);
    expect(c.indices).toBe(train.implicit.indices);
    const expected = [10, 10, 2, 10 * Math.max(0.6, Math.log(10) / Math.log(91))];
    expected.forEach((v, p) => expect(c.values[p]).toBeCloseTo(v, 5));
  });
});
