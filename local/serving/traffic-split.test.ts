import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/models/rng.js';
import { pickWeighted } from './traffic-split.js';

describe('pickWeighted', () => {
  it('picks each revision in proportion to its percent over many seeded draws', () => {
    const split = [
      { name: 'a', percent: 70 },
      { name: 'b', percent: 20 },
      { name: 'c', percent: 0 },
      { name: 'd', percent: 10 },
    ];
    const rng = new Rng(42);
    const counts = new Map<string, number>();
    const draws = 100_000;
    for (let i = 0; i < draws; i++) {
      const name = pickWeighted(split, () => rng.next())?.name ?? 'none';
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    // Binomial standard deviation at 100k draws is under 0.15 %: ±1 % is over 6 sigma.
    expect(Math.abs((counts.get('a') ?? 0) / draws - 0.7)).toBeLessThan(0.01);
    expect(Math.abs((counts.get('b') ?? 0) / draws - 0.2)).toBeLessThan(0.01);
    expect(Math.abs((counts.get('d') ?? 0) / draws - 0.1)).toBeLessThan(0.01);
    expect(counts.has('c')).toBe(false);
    expect(counts.has('none')).toBe(false);
  });

  it('renormalises over the candidates it is given', () => {
    const rng = new Rng(1);
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (pickWeighted([{ n: 'a', percent: 10 }, { n: 'b', percent: 10 }], () => rng.next())?.n === 'a') a++;
    expect(Math.abs(a / 10_000 - 0.5)).toBeLessThan(0.03);
  });

  it('gives the same sequence for the same seed', () => {
    const split = [{ percent: 50 }, { percent: 50 }];
    const run = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 50 }, () => split.indexOf(pickWeighted(split, () => rng.next()) ?? split[0]));
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
  });

  it('picks nothing when no candidate has a share', () => {
    expect(pickWeighted([], Math.random)).toBeUndefined();
    expect(pickWeighted([{ percent: 0 }], Math.random)).toBeUndefined();
  });

  it('stays inside the range at the top of [0, 1)', () => {
    const split = [{ percent: 30 }, { percent: 70 }];
    expect(pickWeighted(split, () => 0.9999999999999999)).toBe(split[1]);
    expect(pickWeighted(split, () => 0)).toBe(split[0]);
  });
});
