import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServingModel } from '../artifacts/model-bundle.js';
import { readBundle } from '../artifacts/read-bundle.js';
import { aggregateInteractions } from '../data/interactions.js';
import { randomHoldout, timeHoldout } from '../data/splits.js';
import { syntheticRecords } from '../data/synthetic.js';
import type { EpochReport } from '../models/model.js';
import { prepareAlgorithm } from '../models/registry.js';
import { smallWorld, tempDir } from './test-helpers/training-fixtures.js';
import { splitData, trainModel } from './train-model.js';

const world = smallWorld(Date.UTC(2026, 10, 1));
const table = aggregateInteractions(syntheticRecords(world));
const code = { packageVersion: '0.0.0-test', gitCommit: 'abc1234' };
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  tmp = await tempDir('train-model');
});
afterAll(async () => tmp.remove());

describe('trainModel', () => {
  it('writes a bundle that loads and serves, with finite offline metrics on the held-out slice', async () => {
    const epochs: EpochReport[] = [];
    const outcome = await trainModel({
      prepared: prepareAlgorithm('svd', { factors: 8, epochs: 5, seed: 3 }),
      split: splitData(table, world.options.scale, timeHoldout(table, 0.2)),
      k: 10,
      snapshot: { sources: ['watch/2026-11-01/a.jsonl'], contentHash: 'f'.repeat(64) },
      code,
      out: tmp.dir,
      onEpoch: (report) => epochs.push(report),
    });
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(outcome.nTrain + outcome.nValidation).toBe(table.size);
    expect(outcome.nValidation).toBe(Math.round(0.2 * table.size));
    for (const name of ['fitSeconds', 'rmse', 'mae', 'precisionAt10', 'recallAt10', 'ndcgAt10', 'hitRateAt10', 'coverageAt10']) {
      expect(Number.isFinite(outcome.metrics[name]), name).toBe(true);
    }
    // A fitted SVD beats guessing the middle of the scale.
    expect(outcome.metrics.rmse).toBeLessThan(1.5);

    const bundle = await readBundle(outcome.path);
    expect(bundle.manifest).toMatchObject({
      algorithm: 'svd',
      params: { factors: 8, epochs: 5, seed: 3 },
      code,
      metrics: outcome.metrics,
      data: { sources: ['watch/2026-11-01/a.jsonl'], contentHash: 'f'.repeat(64) },
    });
    // The seen matrix is the whole table, held-out pairs included.
    expect(bundle.seen.indptr[bundle.seen.nRows]).toBeGreaterThan(outcome.nTrain);

    const serving = await loadServingModel(outcome.path);
    const user = table.users.idAt(table.user[0]);
    const answer = serving.recommend(user, 10);
    expect(answer.fallback).toBe(false);
    expect(answer.movies).toHaveLength(10);
    const seenByUser = new Set<string>();
    for (let e = 0; e < table.size; e++) if (table.users.idAt(table.user[e]) === user) seenByUser.add(table.movies.idAt(table.movie[e]));
    expect(answer.movies.filter((movie) => seenByUser.has(movie))).toEqual([]);
  });

  it('trains on everything and reports only the fit time without a split', async () => {
    const outcome = await trainModel({
      prepared: prepareAlgorithm('svdpp', { factors: 4, epochs: 2 }),
      split: splitData(table, world.options.scale, null),
      k: 10,
      snapshot: { sources: ['synthetic'], contentHash: 'synthetic' },
      code,
      out: tmp.dir,
    });
    expect(outcome).toMatchObject({ nTrain: table.size, nValidation: 0, report: null });
    expect(Object.keys(outcome.metrics)).toEqual(['fitSeconds']);
    expect((await readBundle(outcome.path)).manifest.data.counts.interactions).toBe(table.size);
  });

  it('gives the same metrics for the same seed and split (the CLI random holdout too)', async () => {
    const run = async (out: string) =>
      trainModel({
        prepared: prepareAlgorithm('svd', { factors: 4, epochs: 3, seed: 5 }),
        split: splitData(table, world.options.scale, randomHoldout(table, 0.1, 5)),
        k: 10,
        snapshot: { sources: ['synthetic'], contentHash: 'synthetic' },
        code,
        out: join(tmp.dir, out),
      });
    const [a, b] = [await run('a'), await run('b')];
    expect({ ...a.metrics, fitSeconds: 0 }).toEqual({ ...b.metrics, fitSeconds: 0 });
  });
});
