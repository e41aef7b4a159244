import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../artifacts/read-bundle.js';
import { FsEventsStorage } from '../events/fs-events-storage.js';
import { readInteractions } from '../events/read-interactions.js';
import { ModelTrainedSchema } from '../messaging/events/model-trained.js';
import type { TrainParams } from './params.js';
import { parseParams } from './params.js';
import type { TrainingProgress } from './run-training.js';
import { runTraining } from './run-training.js';
import { DAY_MS, smallWorld, tempDir, testParamsYaml, writeWorld } from './test-helpers/training-fixtures.js';

const START = Date.UTC(2026, 10, 20);
const WINDOW = { from: START - DAY_MS, to: START + 5 * DAY_MS };
const code = { packageVersion: '0.0.0-test', gitCommit: null };
let tmp: Awaited<ReturnType<typeof tempDir>>;
let storage: FsEventsStorage;
const params: TrainParams = parseParams(testParamsYaml(), 'test-params.yaml');

beforeAll(async () => {
  tmp = await tempDir('run-training');
  await writeWorld(`${tmp.dir}/events`, smallWorld(START));
  storage = new FsEventsStorage(`${tmp.dir}/events`);
});
afterAll(async () => tmp.remove());

describe('runTraining', () => {
  it('trains every algorithm on the window and describes the run as model.trained data', async () => {
    const progress: TrainingProgress[] = [];
    const result = await runTraining(
      { runId: 'run-1', reason: 'manual', algorithms: ['svd', 'svdpp'], window: WINDOW },
      { storage, models: `${tmp.dir}/models`, params, code, onProgress: (p) => progress.push(p), now: () => new Date(START + 5 * DAY_MS) },
    );
    if (result.status !== 'trained') throw new Error(`expected a trained run, got ${result.reason}`);
    const trained = ModelTrainedSchema.parse(result.trained);
    const read = await readInteractions(storage, WINDOW);
    expect(trained).toMatchObject({
      runId: 'run-1',
      reason: 'manual',
      trainedAt: new Date(START + 5 * DAY_MS).toISOString(),
      snapshot: {
        from: new Date(WINDOW.from).toISOString(),
        to: new Date(WINDOW.to).toISOString(),
        contentHash: read.snapshot,
        segments: read.segments.length,
        interactions: 1200,
        users: 80,
      },
    });
    const holdoutFrom = Date.parse(trained.snapshot.holdoutFrom ?? '');
    expect(holdoutFrom).toBeGreaterThan(START);
    expect(holdoutFrom).toBeLessThan(START + 4 * DAY_MS);
    expect(trained.models.map((m) => m.algorithm)).toEqual(['svd', 'svdpp']);

    for (const model of trained.models) {
      const bundle = await readBundle(model.bundleUri);
      expect(bundle.manifest.version).toBe(model.version);
      expect(bundle.manifest.metrics).toEqual(model.metrics);
      expect(bundle.manifest.data).toMatchObject({ sources: read.segments.map((s) => s.key), contentHash: read.snapshot });
      expect(Number.isFinite(model.metrics.rmse)).toBe(true);
      expect(Number.isFinite(model.metrics.ndcgAt10)).toBe(true);
    }
    await expect(bundleParams(trained.models[0].bundleUri)).resolves.toMatchObject({ factors: 8, epochs: 6, seed: 7 });
    expect(progress.map((p) => p.step).filter((step) => step !== 'epoch')).toEqual(['read', 'split', 'saved', 'saved']);
    expect(progress.filter((p) => p.step === 'epoch')).toHaveLength(6 + 3);
  });

  it('reads only the window: a window of the first day sees fewer interactions', async () => {
    const result = await runTraining(
      { runId: 'run-2', reason: 'schedule', algorithms: ['svd'], window: { from: START, to: START + DAY_MS } },
      { storage, models: `${tmp.dir}/models`, params: parseParams(testParamsYaml({ min_interactions: '1' }), 'p.yaml'), code },
    );
    expect(result.status).toBe('trained');
    expect(result.interactions).toBeGreaterThan(0);
    expect(result.interactions).toBeLessThan(1200);
  });

  it('skips a window below min_interactions without writing a bundle', async () => {
    const result = await runTraining(
      { runId: 'run-3', reason: 'new-data', algorithms: ['svd'], window: WINDOW },
      { storage, models: `${tmp.dir}/none`, params: parseParams(testParamsYaml({ min_interactions: '5000' }), 'p.yaml'), code },
    );
    expect(result).toEqual({ status: 'skipped', interactions: 1200, reason: '1200 interactions in the window, below min_interactions 5000' });
  });

  it('publishes the algorithms that fit when another one fails, and throws when none does', async () => {
    const diverging = parseParams(testParamsYaml().replace('svd: {factors: 8, epochs: 6}', 'svd: {factors: 8, epochs: 2, lr: 0.99, reg: 0, initSd: 5}'), 'p.yaml');
    const failures: unknown[] = [];
    const onProgress = (p: TrainingProgress) => {
      if (p.step === 'failed') failures.push(p.error);
    };
    const deps = { storage, models: `${tmp.dir}/models`, params: diverging, code, onProgress };
    const result = await runTraining({ runId: 'run-4', reason: 'manual', algorithms: ['svd', 'svdpp'], window: WINDOW }, deps);
    expect(result.status === 'trained' && result.trained.models.map((m) => m.algorithm)).toEqual(['svdpp']);
    expect(String(failures[0])).toMatch(/svd: training diverged/);
    await expect(runTraining({ runId: 'run-5', reason: 'manual', algorithms: ['svd'], window: WINDOW }, deps)).rejects.toThrow(/diverged/);
  });
});

async function bundleParams(uri: string): Promise<Readonly<Record<string, number>>> {
  return (await readBundle(uri)).manifest.params;
}
