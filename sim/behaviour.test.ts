import { describe, expect, it } from 'vitest';
import { Rng } from '../lib/models/rng.js';
import { chooseMovie, drawRating, drawUser, followProbability, watchedMinutes, watchMinutes } from './behaviour.js';
import { createWorld } from './world.js';

const world = createWorld({ seed: 11, users: 400, movies: 2_000 });

/** How often a user picks from `list(u)`, over many sessions of the users 0…199. */
function followRate(list: (u: number, rng: Rng) => number[]): number {
  const rng = new Rng(3);
  let followed = 0;
  let n = 0;
  for (let round = 0; round < 10; round++) {
    for (let u = 0; u < 200; u++, n++) if (chooseMovie(world, rng, u, list(u, rng)).fromList) followed++;
  }
  return followed / n;
}

const topList = (u: number): number[] => world.topMovies(world.userId(u), 20).map((id) => world.movieIndex(id));
const randomList = (_u: number, rng: Rng): number[] => Array.from({ length: 20 }, () => rng.int(world.movies));

describe('choosing what to watch', () => {
  it('follows a list built from the hidden taste far more often than a random list', () => {
    const top = followRate(topList);
    const random = followRate(randomList);
    expect(top).toBeGreaterThan(0.6);
    expect(random).toBeLessThan(0.35);
    expect(top - random).toBeGreaterThan(0.4);
  });

  it('is more likely to follow a better list', () => {
    expect(followProbability(4)).toBeGreaterThan(followProbability(2));
    expect(followProbability(Number.NEGATIVE_INFINITY)).toBe(0);
  });

  it('picks a liked movie from the list, nearer the top, and browses the catalogue with no list', () => {
    const rng = new Rng(9);
    const list = topList(5);
    const picks = new Map<number, number>();
    for (let k = 0; k < 2_000; k++) {
      const choice = chooseMovie(world, rng, 5, list);
      if (choice.fromList) picks.set(choice.movie, (picks.get(choice.movie) ?? 0) + 1);
      expect(choice.affinity).toBe(world.affinityAt(5, choice.movie));
    }
    expect(picks.get(list[0]) ?? 0).toBeGreaterThan(picks.get(list[19]) ?? 0);
    for (let k = 0; k < 50; k++) expect(chooseMovie(world, rng, 5, []).fromList).toBe(false);
  });

  it('draws registered users only, the active ones more often', () => {
    const small = createWorld({ seed: 4, users: 1_000, movies: 10, newUserShare: 0.5 });
    const rng = new Rng(1);
    const counts = new Int32Array(1_000);
    for (let k = 0; k < 20_000; k++) counts[drawUser(small, rng)]++;
    expect(counts.slice(500).every((c) => c === 0)).toBe(true);
    const sorted = Array.from(counts.slice(0, 500)).sort((a, b) => b - a);
    expect(sorted[0]).toBeGreaterThan(5 * sorted[250]);
  });
});

describe('watching and rating', () => {
  it('watches further into movies the user likes more', () => {
    const rng = new Rng(2);
    let liked = 0;
    let disliked = 0;
    for (let k = 0; k < 1_000; k++) {
      liked += watchMinutes(rng, 120, 2);
      disliked += watchMinutes(rng, 120, -2);
    }
    expect(liked).toBeGreaterThan(2 * disliked);
  });

  it('writes minutes 0…m, stepped to at most maxLines, always ending at m', () => {
    expect(watchedMinutes(3, 30)).toEqual([0, 1, 2, 3]);
    expect(watchedMinutes(29, 30)).toHaveLength(30);
    for (const m of [30, 31, 57, 100, 169]) {
      const minutes = watchedMinutes(m, 30);
      expect(minutes.length).toBeLessThanOrEqual(30);
      expect(minutes[0]).toBe(0);
      expect(minutes[minutes.length - 1]).toBe(m);
      expect(minutes.every((x, k) => k === 0 || x > minutes[k - 1])).toBe(true);
    }
    expect(watchedMinutes(100, 1)).toEqual([100]);
  });

  it('rates on the scale, higher for liked movies', () => {
    const rng = new Rng(5);
    for (const scale of [{ min: 1, max: 5 }, { min: 1, max: 10 }]) {
      let high = 0;
      let low = 0;
      for (let k = 0; k < 500; k++) {
        const h = drawRating(rng, 1.5, scale, 0.5);
        const l = drawRating(rng, -1.5, scale, 0.5);
        for (const r of [h, l]) expect(Number.isInteger(r) && r >= scale.min && r <= scale.max).toBe(true);
        high += h;
        low += l;
      }
      expect(high).toBeGreaterThan(low);
    }
  });
});
