import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishBundle } from '../../lib/artifacts/bundle-catalog.js';
import { syntheticBundle } from '../../lib/artifacts/synthetic-bundle.js';
import type { Algorithm } from '../../lib/models/model.js';
import { trainingHistory } from './training-history.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'movierec-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const publish = async (algorithm: Algorithm, minute: number, rmse: number): Promise<string> => {
  const input = syntheticBundle({ nUsers: 6, nMovies: 5, factors: 2, seenPerUser: 2, seed: minute, algorithm, createdAt: new Date(Date.UTC(2026, 11, 4, 16, minute)) });
  const { manifest } = await publishBundle(dir, { ...input, metrics: { rmse, ndcgAt20: 0.3 } });
  return manifest.version;
};

describe('trainingHistory', () => {
  it('lists the models under the models folder from their manifests, newest first, across algorithms', async () => {
    const first = await publish('svd', 1, 0.95);
    const second = await publish('als', 2, 0.99);
    const third = await publish('svd', 3, 0.93);
    const entries = await trainingHistory(dir).read();
    expect(entries.map((e) => [e.version, e.algorithm, e.createdAt, e.metrics.rmse])).toEqual([
      [third, 'svd', '2026-12-04T16:03:00.000Z', 0.93],
      [second, 'als', '2026-12-04T16:02:00.000Z', 0.99],
      [first, 'svd', '2026-12-04T16:01:00.000Z', 0.95],
    ]);
    expect(entries[0].counts).toEqual({ users: 6, movies: 5, ratings: expect.any(Number), interactions: expect.any(Number) });
    expect((await trainingHistory(dir).read(2)).map((e) => e.version)).toEqual([third, second]);
  });

  it('is empty before the first model, and leaves out a manifest that does not pass its schema and folders that are no algorithm', async () => {
    expect(await trainingHistory(join(dir, 'absent')).read()).toEqual([]);
    const good = await publish('svd', 5, 0.9);
    const broken = join(dir, 'svd', 'svd-20261204T170000.000Z-00000000');
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, 'manifest.json'), JSON.stringify({ formatVersion: 1, algorithm: 'svd' }));
    await mkdir(join(dir, 'notes', 'svd-20261204T170000.000Z-00000000'), { recursive: true });
    expect((await trainingHistory(dir).read()).map((e) => e.version)).toEqual([good]);
  });
});
