import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateInteractions } from '../data/interactions.js';
import { timeHoldout } from '../data/splits.js';
import { FsEventsStorage } from '../events/fs-events-storage.js';
import { readInteractions } from '../events/read-interactions.js';
import { tempDir } from '../training/test-helpers/training-fixtures.js';
import { splitData } from '../training/train-model.js';
import { prepareSnapshot } from './prepare.js';
import { readPrepared } from './prepared-io.js';
import { exportSnapshot, readSnapshotManifest, resolveWindow } from './snapshot.js';
import type { PipelineRun } from './test-helpers/pipeline-fixtures.js';
import { DAY_MS, START, WINDOW, runSmallPipeline, testParams } from './test-helpers/pipeline-fixtures.js';

let temp: Awaited<ReturnType<typeof tempDir>>;
let run: PipelineRun;

beforeAll(async () => {
  temp = await tempDir('pipeline');
  run = await runSmallPipeline(temp.dir);
});
afterAll(async () => temp.remove());

describe('snapshot', () => {
  it('copies the window and names the content hash a training run computes for the same window', async () => {
    const read = await readInteractions(run.events, WINDOW, { scale: testParams().scale });
    expect(run.snapshot.contentHash).toBe(read.snapshot);
    expect(run.snapshot.segments).toEqual(read.segments);
    expect(run.snapshot.counts.records.watch + run.snapshot.counts.records.rate).toBe(read.records.length);
    expect(await readSnapshotManifest(run.snapshotDir)).toEqual(run.snapshot);
  });

  it('takes only the days of a narrower window', async () => {
    const one = await exportSnapshot(run.events, join(temp.dir, 'one-day'), { from: START, to: START + DAY_MS });
    expect(one.segments.length).toBeGreaterThan(0);
    expect(one.segments.every((s) => s.key.includes('/2026-11-01/'))).toBe(true);
    expect(one.segments.length).toBeLessThan(run.snapshot.segments.length);
  });

  it('ends a latest window just after the newest stored event', async () => {
    const window = await resolveWindow(run.events, { days: 2, end: 'latest' });
    let newest = 0;
    await readInteractions(run.events, {}).then((read) => read.records.forEach((r) => (newest = Math.max(newest, r.time))));
    expect(window.to).toBe(newest + 1);
    expect(window.to - window.from).toBe(2 * DAY_MS);
    await expect(resolveWindow(new FsEventsStorage(join(temp.dir, 'empty')), { days: 1, end: 'latest' })).rejects.toThrow(/no watch or rate events/);
  });

  it('refuses a folder that already holds segments', async () => {
    await expect(exportSnapshot(run.events, run.snapshotDir, WINDOW)).rejects.toThrow(/already holds segments/);
  });
});

describe('prepare', () => {
  it('writes the split the train function would fit: the same train set, held-out set and seen matrix', async () => {
    const params = testParams();
    const read = await readInteractions(run.events, WINDOW, { scale: params.scale });
    const table = aggregateInteractions(read.records);
    const expected = splitData(table, params.scale, timeHoldout(table, params.validation));
    const { split, manifest } = await readPrepared(run.preparedDir);
    expect(manifest.nValidation).toBe(expected.nValidation);
    expect(manifest.nValidation).toBeGreaterThan(0);
    expect(split.data.users.toArray()).toEqual(expected.data.users.toArray());
    expect(split.data.movies.toArray()).toEqual(expected.data.movies.toArray());
    expect(split.data.train.ratings).toEqual(expected.data.train.ratings);
    expect(split.data.train.implicit).toEqual(expected.data.train.implicit);
    expect(split.data.train.globalMean).toBeCloseTo(expected.data.train.globalMean, 12);
    expect(split.seen).toEqual(expected.seen);
    expect(split.test).toEqual(expected.test);
  });

  it('refuses a prepared file whose bytes changed', async () => {
    const copy = join(temp.dir, 'prepared-copy');
    await prepareSnapshot(run.snapshotDir, copy, testParams());
    const file = join(copy, 'test-rating.f32');
    const bytes = await readFile(file);
    bytes[0] ^= 0xff;
    await writeFile(file, bytes);
    await expect(readPrepared(copy)).rejects.toThrow(/test-rating\.f32: sha256 mismatch/);
  });

  it('refuses a snapshot whose segments changed after the fact', async () => {
    const dir = join(temp.dir, 'edited');
    const snapshot = await exportSnapshot(run.events, dir, WINDOW);
    await appendFile(join(dir, snapshot.segments[0].key), '{"garbage":true}\n');
    await expect(prepareSnapshot(dir, join(temp.dir, 'edited-prepared'), testParams())).rejects.toThrow(/does not match the segments present/);
  });

  it('refuses a window below min_interactions', async () => {
    const dir = join(temp.dir, 'tiny');
    await exportSnapshot(run.events, dir, { from: START, to: START + 60_000 });
    await expect(prepareSnapshot(dir, join(temp.dir, 'tiny-prepared'), testParams())).rejects.toThrow(/below train\.min_interactions 200/);
  });
});
