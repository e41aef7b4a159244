import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { NO_DATASETS, sharedDataset } from '../test-helpers/datasets.js';
import { aggregateInteractions } from './interactions.js';
import { DEFAULT_SCALE, type InteractionRecord } from './records.js';
import { type EntrySplit, lastPerUser, loadGivenSplit, randomHoldout, splitEntries } from './splits.js';

/** 30 users; user k has k + 1 pairs with shuffled-looking times. */
function table() {
  const records: InteractionRecord[] = [];
  for (let u = 0; u < 30; u++) {
    for (let j = 0; j <= u; j++) records.push({ user: `u${u}`, movie: `m${j}`, kind: 'rate', value: 1 + (j % 5), time: ((j * 7919) % 31) * 1000 });
  }
  return aggregateInteractions(records);
}

function expectPartition(split: EntrySplit, size: number): void {
  const all = [...split.train, ...split.test].sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: size }, (_, e) => e));
  for (const part of [split.train, split.test]) for (let k = 1; k < part.length; k++) expect(part[k]).toBeGreaterThan(part[k - 1]);
}

describe('randomHoldout', () => {
  const t = table();

  it('holds out the requested fraction and covers every entry once', () => {
    const split = randomHoldout(t, 0.2, 7);
    expect(t.size).toBe(465);
    expect(split.test).toHaveLength(93);
    expectPartition(split, t.size);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(randomHoldout(t, 0.2, 7)).toEqual(randomHoldout(t, 0.2, 7));
    expect(Array.from(randomHoldout(t, 0.2, 8).test)).not.toEqual(Array.from(randomHoldout(t, 0.2, 7).test));
  });

  it('rejects a fraction outside [0, 1]', () => {
    expect(() => randomHoldout(t, 1.5, 1)).toThrow(InvalidArgumentError);
  });
});

describe('lastPerUser', () => {
  const t = table();

  it('holds out exactly the k latest entries of every user with more than k', () => {
    const split = lastPerUser(t, 2);
    expectPartition(split, t.size);
    const test = new Set(split.test);
    for (let u = 0; u < t.users.size; u++) {
      const mine = Array.from({ length: t.size }, (_, e) => e).filter((e) => t.user[e] === u);
      const held = mine.filter((e) => test.has(e));
      if (mine.length <= 2) {
        expect(held).toEqual([]);
        continue;
      }
      expect(held).toHaveLength(2);
      const latestKept = Math.max(...mine.filter((e) => !test.has(e)).map((e) => t.time[e]));
      for (const e of held) expect(t.time[e]).toBeGreaterThanOrEqual(latestKept);
    }
  });

  it('breaks equal times by entry order', () => {
    const tied = aggregateInteractions(
      ['a', 'b', 'c'].map((movie) => ({ user: 'u', movie, kind: 'watch' as const, value: 1, time: 5 })),
    );
    expect(Array.from(lastPerUser(tied, 1).test)).toEqual([2]);
  });
});

describe('splitEntries', () => {
  const t = table();

  it('validates a spec and dispatches', () => {
    expect(splitEntries(t, { kind: 'random', fraction: 0.1, seed: 3 })).toEqual(randomHoldout(t, 0.1, 3));
    expect(splitEntries(t, { kind: 'last', k: 1 })).toEqual(lastPerUser(t, 1));
  });

  it.each([
    [{ kind: 'random', fraction: 0 }, 'fraction'],
    [{ kind: 'random', fraction: 1 }, 'fraction'],
    [{ kind: 'last', k: 0 }, 'k'],
  ] as const)('rejects %j naming %s', (spec, field) => {
    expect(() => splitEntries(t, spec)).toThrow(InvalidArgumentError);
    expect(() => splitEntries(t, spec)).toThrow(field);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'given-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadGivenSplit', () => {
  it('builds train from the base file and maps the test file by raw id', async () => {
    const base = join(dir, 'x.base');
    const test = join(dir, 'x.test');
    writeFileSync(base, '10\t100\t4\t1\n20\t200\t2\t2\n10\t200\t5\t3\n');
    writeFileSync(test, '20\t100\t3\t4\n30\t100\t1\t5\n10\t300\t2\t6\n');
    const { train, test: held, users, movies } = await loadGivenSplit(base, test, DEFAULT_SCALE);
    expect([train.nUsers, train.nMovies]).toEqual([2, 2]);
    expect(train.globalMean).toBeCloseTo(11 / 3, 6);
    expect(Array.from(held.user)).toEqual([users.indexOf('20'), -1, users.indexOf('10')]);
    expect(Array.from(held.movie)).toEqual([movies.indexOf('100'), movies.indexOf('100'), -1]);
    expect(Array.from(held.rating)).toEqual([3, 1, 2]);
  });

  it('reads a CSV pair by extension', async () => {
    const base = join(dir, 'train.csv');
    const test = join(dir, 'test.csv');
    writeFileSync(base, 'userId,movieId,rating,timestamp\n1,2,4.5,10\n');
    writeFileSync(test, 'userId,movieId,rating,timestamp\n1,2,3.5,20\n');
    const { train, test: held } = await loadGivenSplit(base, test, { min: 0.5, max: 5 });
    expect(train.globalMean).toBe(4.5);
    expect(Array.from(held.user)).toEqual([0]);
  });

  const u1base = sharedDataset('ml-100k', 'u1.base');
  const u1test = sharedDataset('ml-100k', 'u1.test');
  const title = u1base === undefined || u1test === undefined ? NO_DATASETS : 'loads the ML-100k official fold u1';
  it.skipIf(u1base === undefined || u1test === undefined)(title, async () => {
    const { train, test } = await loadGivenSplit(u1base ?? '', u1test ?? '', DEFAULT_SCALE);
    expect(train.ratings.indptr[train.nUsers]).toBe(80_000);
    expect(train.implicit.indptr[train.nUsers]).toBe(80_000);
    expect(train.nUsers).toBe(943);
    expect(train.nMovies).toBe(1650);
    expect(train.globalMean).toBeCloseTo(3.5284, 4);
    expect(test.user).toHaveLength(20_000);
    expect(test.user.every((u) => u >= 0)).toBe(true);
    expect(test.movie.filter((i) => i < 0)).toHaveLength(32);
  });
});
