import { describe, expect, it } from 'vitest';
import { bundleVersion, versionTime } from './bundle-version.js';
import { VERSION_PATTERN } from './manifest.js';

const recipe = {
  algorithm: 'svd' as const,
  params: { factors: 64, lr: 0.005 },
  shape: { nUsers: 10, nMovies: 5, scale: { min: 1, max: 5 } },
  data: { sources: ['a'], counts: { users: 10, movies: 5, ratings: 3, interactions: 9 }, contentHash: 'h' },
  code: { packageVersion: '0.1.0', gitCommit: 'abc1234' },
};

describe('bundleVersion', () => {
  it('is <algorithm>-<UTC stamp>-<8 hex> and parses back to its time', () => {
    const at = new Date('2024-03-18T06:12:47.123Z');
    const version = bundleVersion(recipe, at);
    expect(version).toMatch(/^svd-20240318T061247\.123Z-[0-9a-f]{8}$/);
    expect(version).toMatch(VERSION_PATTERN);
    expect(versionTime(version)).toEqual(at);
    expect(versionTime('svd-latest')).toBeUndefined();
  });

  it('sorts as a string by creation time', () => {
    const times = ['2023-12-31T23:59:59.999Z', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.001Z', '2024-10-02T00:00:00.000Z'];
    const versions = times.map((t) => bundleVersion(recipe, new Date(t)));
    expect(versions.slice().reverse().sort()).toEqual(versions);
  });

  it('depends on every part of the recipe but not on the order of hyper-parameters', () => {
    const at = new Date(0);
    const base = bundleVersion(recipe, at);
    expect(bundleVersion({ ...recipe, params: { lr: 0.005, factors: 64 } }, at)).toBe(base);
    expect(bundleVersion({ ...recipe, params: { factors: 32, lr: 0.005 } }, at)).not.toBe(base);
    expect(bundleVersion({ ...recipe, data: { ...recipe.data, contentHash: 'other' } }, at)).not.toBe(base);
    expect(bundleVersion({ ...recipe, code: { ...recipe.code, gitCommit: null } }, at)).not.toBe(base);
    expect(bundleVersion({ ...recipe, algorithm: 'als' }, at)).toMatch(/^als-/);
  });
});
