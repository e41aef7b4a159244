import { describe, expect, it } from 'vitest';
import { drawFrom } from '../lib/data/hidden-tastes.js';
import { generateSynthetic } from '../lib/data/synthetic.js';
import { Rng } from '../lib/models/rng.js';
import { isCanonicalMovieId } from '../lib/stream/fields.js';
import { aliasTable } from './alias-table.js';
import { movieSlug } from './movie-slugs.js';
import { createWorld } from './world.js';

describe('movie slugs', () => {
  it('are course-style: canonical slugs with a year suffix', () => {
    for (const i of [0, 1, 94, 95, 26_999, 583_679, 583_680, 1_000_000]) {
      const slug = movieSlug(i);
      expect(isCanonicalMovieId(slug)).toBe(true);
      expect(slug).toMatch(/^[a-z]+(\+[a-z0-9]+)*\+(19[3-9]\d|20[0-2]\d)$/);
    }
    expect(movieSlug(0)).toBe('the+silent+river+1930');
  });

  it('are distinct, within and beyond the titles available per year', () => {
    const n = 700_000;
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) seen.add(movieSlug(i));
    expect(seen.size).toBe(n);
  });
});

describe('alias table', () => {
  it('draws indices in proportion to their weights', () => {
    const table = aliasTable(new Float64Array([1, 0, 3, 6]));
    const rng = new Rng(7);
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 100_000; k++) counts[drawFrom(table, rng)]++;
    expect(counts[1]).toBe(0);
    expect(counts[0] / 100_000).toBeCloseTo(0.1, 2);
    expect(counts[2] / 100_000).toBeCloseTo(0.3, 2);
    expect(counts[3] / 100_000).toBeCloseTo(0.6, 2);
  });

  it('refuses weights that cannot be drawn from', () => {
    expect(() => aliasTable(new Float64Array([]))).toThrow(RangeError);
    expect(() => aliasTable(new Float64Array([0, 0]))).toThrow(/sum to 0/);
    expect(() => aliasTable(new Float64Array([1, Number.NaN]))).toThrow(/weight 1/);
  });
});

describe('the audience world', () => {
  it('has the tastes and popularity of lib/data’s synthetic world with the same seed', () => {
    const world = createWorld({ seed: 5, users: 300, movies: 80 });
    const synthetic = generateSynthetic({ seed: 5, users: 300, movies: 80, interactions: 3000, ratings: 100 });
    expect(world.truth.userFactors).toEqual(synthetic.truth.userFactors);
    expect(world.truth.movieBias).toEqual(synthetic.truth.movieBias);
  });

  it('maps ids both ways and answers the hidden affinity by id', () => {
    const world = createWorld({ seed: 2, users: 50, movies: 40 });
    expect(world.userId(0)).toBe('1');
    expect(world.userIndex('50')).toBe(49);
    for (const id of ['0', '51', '007', 'x', '']) expect(world.userIndex(id)).toBe(-1);
    expect(world.movieIndex(world.movieId(17))).toBe(17);
    expect(world.movieIndex('the+shining+1980')).toBe(-1);
    expect(world.affinity('3', world.movieId(4))).toBe(world.affinityAt(2, 4));
    expect(world.affinity('999', world.movieId(4))).toBeNaN();
  });

  it('ranks a user’s top movies by hidden affinity, best first', () => {
    const world = createWorld({ seed: 3, users: 20, movies: 300 });
    const top = world.topMovies('7', 20);
    const all = Array.from({ length: 300 }, (_, i) => world.affinityAt(6, i)).sort((a, b) => b - a);
    expect(top.map((id) => world.affinity('7', id))).toEqual(all.slice(0, 20));
    expect(world.topMovies('7', 0)).toEqual([]);
    expect(world.topMovies('unknown', 5)).toEqual([]);
  });

  it('signs up the users without an account in order, then none', () => {
    const world = createWorld({ seed: 1, users: 10, movies: 5, newUserShare: 0.2 });
    expect(world.registered()).toBe(8);
    expect([world.register(), world.register(), world.register()]).toEqual([8, 9, -1]);
    expect(world.registered()).toBe(10);
  });

  it('holds the course scale (1M users × 27k movies) in typed arrays of about 80 MB', () => {
    const world = createWorld({ seed: 1, users: 1_000_000, movies: 27_000 });
    const t = world.truth;
    const bytes = [t.userFactors, t.movieFactors, t.userBias, t.movieBias, world.popularity.prob, world.popularity.alias]
      .concat([world.activity.prob, world.activity.alias, world.length])
      .reduce((sum, array) => sum + array.byteLength, 0);
    expect(bytes).toBeLessThan(80 * 2 ** 20);
    expect(world.userIndex('1000000')).toBe(999_999);
  });
});
