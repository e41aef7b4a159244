import { describe, expect, it } from 'vitest';
import { aggregateInteractions } from '../data/interactions.js';
import type { Interactions } from '../data/interactions.js';
import { DEFAULT_SCALE } from '../data/records.js';
import type { InteractionRecord } from '../data/records.js';
import { timeHoldout } from '../data/splits.js';
import { InvalidArgumentError } from '../errors.js';
import { smallWorld } from './test-helpers/training-fixtures.js';
import { splitData } from './train-model.js';

const T0 = Date.UTC(2026, 10, 1);
const MIN = 60_000;

/**
 * n distinct (user, movie) pairs (user j mod 7, movie j mod 11), pair j's latest event at T0 + j minutes
 * (an early watch, then a later rating for odd j): every user and movie appears before the newest pairs.
 */
function minutePairs(n: number): Interactions {
  const records: InteractionRecord[] = [];
  for (let j = 0; j < n; j++) {
    const user = `u${j % 7}`;
    const movie = `m${j % 11}`;
    records.push({ user, movie, kind: 'watch', value: 10, time: T0 + j * MIN - 30 * MIN });
    records.push({ user, movie, kind: j % 2 === 1 ? 'rate' : 'watch', value: j % 2 === 1 ? 4 : 20, time: T0 + j * MIN });
  }
  return aggregateInteractions(records);
}

describe('timeHoldout', () => {
  it('holds out the newest fraction by latest event time, with the boundary at the oldest held-out entry', () => {
    const table = minutePairs(50);
    const split = timeHoldout(table, 0.1);
    expect(split.holdoutFrom).toBe(T0 + 45 * MIN);
    expect(Array.from(split.test, (e) => (table.time[e] - T0) / MIN)).toEqual([45, 46, 47, 48, 49]);
    expect(split.train).toHaveLength(45);
  });

  it('leaks nothing: every train entry is older than holdoutFrom, every test entry at or after it', () => {
    const world = smallWorld(T0);
    const table = world.interactions;
    for (const fraction of [0.05, 0.2, 0.5]) {
      const split = timeHoldout(table, fraction);
      const boundary = split.holdoutFrom ?? Number.NaN;
      expect(split.train.length + split.test.length).toBe(table.size);
      expect(Math.abs(split.test.length - fraction * table.size)).toBeLessThanOrEqual(table.size * 0.01 + 1);
      for (const e of split.train) expect(table.time[e]).toBeLessThan(boundary);
      for (const e of split.test) expect(table.time[e]).toBeGreaterThanOrEqual(boundary);
    }
  });

  it('puts entries tied at the boundary in the held-out slice, so it is exactly [holdoutFrom, …)', () => {
    const records: InteractionRecord[] = Array.from({ length: 10 }, (_, j) => ({
      user: `u${j}`,
      movie: 'm',
      kind: 'rate' as const,
      value: 3,
      time: j < 6 ? T0 : T0 + MIN,
    }));
    const split = timeHoldout(aggregateInteractions(records), 0.2);
    expect(split.holdoutFrom).toBe(T0 + MIN);
    expect(Array.from(split.test)).toEqual([6, 7, 8, 9]);
    // Ties that would swallow everything move the boundary up instead.
    const late = timeHoldout(aggregateInteractions(records), 0.6);
    expect(late.holdoutFrom).toBe(T0 + MIN);
    expect(late.train).toHaveLength(6);
  });

  it('holds out nothing for a zero fraction or when every entry has the same time', () => {
    expect(timeHoldout(minutePairs(20), 0)).toMatchObject({ holdoutFrom: null, test: new Int32Array(0) });
    const same = aggregateInteractions(['a', 'b', 'c'].map((user) => ({ user, movie: 'm', kind: 'watch' as const, value: 5, time: T0 })));
    expect(timeHoldout(same, 0.5)).toMatchObject({ holdoutFrom: null, train: new Int32Array([0, 1, 2]) });
  });

  it('refuses a fraction outside [0, 1)', () => {
    expect(() => timeHoldout(minutePairs(5), 1)).toThrow(InvalidArgumentError);
    expect(() => timeHoldout(minutePairs(5), -0.1)).toThrow('fraction -0.1 is outside [0, 1)');
  });

  it('keeps held-out movies in the seen matrix, so serving never recommends them', () => {
    const table = minutePairs(50);
    const split = splitData(table, DEFAULT_SCALE, timeHoldout(table, 0.2));
    expect(split.nValidation).toBe(10);
    expect(split.data.train.implicit.indptr[split.data.train.nUsers]).toBe(40);
    expect(split.seen.indptr[split.seen.nRows]).toBe(50);
  });
});
