import { join } from 'node:path';
import { FsEventsStorage } from '../../events/fs-events-storage.js';
import { prepareFromParams, parseParams } from '../../training/params.js';
import type { TrainParams } from '../../training/params.js';
import { smallWorld, testParamsYaml, writeWorld } from '../../training/test-helpers/training-fixtures.js';
import { trainModel } from '../../training/train-model.js';
import type { TrainOutcome } from '../../training/train-model.js';
import type { PreparedManifest } from '../prepared-format.js';
import { prepareSnapshot } from '../prepare.js';
import { readPrepared } from '../prepared-io.js';
import type { SnapshotManifest } from '../snapshot.js';
import { exportSnapshot } from '../snapshot.js';

export const START = Date.parse('2026-11-01T00:00:00.000Z');
export const DAY_MS = 86_400_000;
/** The small world's four days. */
export const WINDOW = { from: START, to: START + 4 * DAY_MS };

export const testParams = (): TrainParams => parseParams(testParamsYaml(), 'params.yaml');

export interface PipelineRun {
  readonly events: FsEventsStorage;
  readonly snapshotDir: string;
  readonly snapshot: SnapshotManifest;
  readonly preparedDir: string;
  readonly prepared: PreparedManifest;
  readonly outcome: TrainOutcome;
}

/** An events store at `<dir>/events`, its snapshot, the prepared split, and an SVD bundle trained on it under `<dir>/models`. */
export async function runSmallPipeline(dir: string): Promise<PipelineRun> {
  const params = testParams();
  await writeWorld(join(dir, 'events'), smallWorld(START));
  const events = new FsEventsStorage(join(dir, 'events'));
  const snapshotDir = join(dir, 'snapshot');
  const snapshot = await exportSnapshot(events, snapshotDir, WINDOW);
  const preparedDir = join(dir, 'prepared');
  const prepared = await prepareSnapshot(snapshotDir, preparedDir, params);
  const data = await readPrepared(preparedDir);
  const outcome = await trainModel({
    prepared: prepareFromParams(params, 'svd'),
    split: data.split,
    k: params.k,
    snapshot: { sources: snapshot.segments.map((s) => s.key), contentHash: snapshot.contentHash, window: snapshot.window, segments: snapshot.segments },
    code: { packageVersion: '0.1.0', gitCommit: null },
    out: join(dir, 'models'),
  });
  return { events, snapshotDir, snapshot, preparedDir, prepared, outcome };
}
