import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { affinity } from './hidden-tastes.js';
import { aggregateInteractions, type Interactions } from './interactions.js';
import { generateSynthetic, syntheticRecords, type SyntheticWorld } from './synthetic.js';

const small = { users: 300, movies: 120, interactions: 6_000, ratings: 2_000 };

function pearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    sxy += (xs[k] - mx) * (ys[k] - my);
    sxx += (xs[k] - mx) ** 2;
    syy += (ys[k] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** (rating or minutes, true affinity) over the entries that have the value. */
function againstTruth(world: SyntheticWorld, column: 'rating' | 'minutes'): { values: number[]; truths: number[] } {
  const t = world.interactions;
  const values: number[] = [];
  const truths: number[] = [];
  for (let e = 0; e < t.size; e++) {
    if (Number.isNaN(t.rating[e]) && column === 'rating') continue;
    values.push(t[column][e]);
    truths.push(affinity(world.truth, t.user[e], t.movie[e]));
  }
  return { values, truths };
}

function pairsOf(t: Interactions): Map<string, [number, number, number]> {
  const out = new Map<string, [number, number, number]>();
  for (let e = 0; e < t.size; e++) out.set(`${t.users.idAt(t.user[e])}|${t.movies.idAt(t.movie[e])}`, [t.rating[e], t.minutes[e], t.time[e]]);
  return out;
}

describe('generateSynthetic', () => {
  const world = generateSynthetic({ ...small, seed: 11 });
  const t = world.interactions;

  it('gives the same world for the same seed and another for another seed', () => {
    expect(generateSynthetic({ ...small, seed: 11 })).toEqual(world);
    expect(Array.from(generateSynthetic({ ...small, seed: 12 }).interactions.movie)).not.toEqual(Array.from(t.movie));
  });

  it('makes exactly the requested distinct pairs and ratings, every user active', () => {
    expect(t.size).toBe(6_000);
    expect(pairsOf(t).size).toBe(6_000);
    expect(t.rating.filter((r) => !Number.isNaN(r))).toHaveLength(2_000);
    expect(t.minutes.every((m) => m >= 1)).toBe(true);
    expect(new Set(t.user).size).toBe(300);
    expect([t.users.size, t.movies.size]).toEqual([300, 120]);
  });

  it('rates on the scale and in whole steps', () => {
    const ratings = t.rating.filter((r) => !Number.isNaN(r));
    expect(ratings.every((r) => Number.isInteger(r) && r >= 1 && r <= 5)).toBe(true);
    expect(new Set(ratings).size).toBe(5);
    const half = generateSynthetic({ ...small, scale: { min: 0.5, max: 5 }, ratingStep: 0.5 }).interactions.rating;
    expect(half.filter((r) => !Number.isNaN(r)).every((r) => Number.isInteger(r * 2) && r >= 0.5 && r <= 5)).toBe(true);
  });

  it('rates and watches according to the hidden tastes, not at random', () => {
    const ratings = againstTruth(world, 'rating');
    expect(pearson(ratings.values, ratings.truths)).toBeGreaterThan(0.6);
    const minutes = againstTruth(world, 'minutes');
    expect(pearson(minutes.values, minutes.truths)).toBeGreaterThan(0.5);
  });

  it('skews popularity and activity', () => {
    const perMovie = new Array<number>(t.movies.size).fill(0);
    for (const i of t.movie) perMovie[i]++;
    perMovie.sort((a, b) => b - a);
    expect(perMovie[0]).toBeGreaterThan(5 * perMovie[60]);
    const perUser = new Array<number>(t.users.size).fill(0);
    for (const u of t.user) perUser[u]++;
    perUser.sort((a, b) => b - a);
    expect(perUser[0]).toBeGreaterThan(3 * perUser[150]);
  });

  it('comes back unchanged through records and aggregation', () => {
    const records = syntheticRecords(world);
    expect(records).toHaveLength(8_000);
    for (let k = 1; k < records.length; k++) expect(records[k].time).toBeGreaterThanOrEqual(records[k - 1].time);
    expect(pairsOf(aggregateInteractions(records))).toEqual(pairsOf(t));
  });

  it.each([
    [{ ratings: 7_000 }, 'ratings'],
    [{ interactions: 100 }, 'interactions'],
    [{ interactions: 300 * 61 }, 'interactions'],
    [{ scale: { min: 5, max: 1 } }, 'scale'],
    [{ users: 0 }, 'users'],
  ])('rejects %j naming %s', (override, field) => {
    expect(() => generateSynthetic({ ...small, ...override })).toThrow(InvalidArgumentError);
    expect(() => generateSynthetic({ ...small, ...override })).toThrow(field);
  });
});
