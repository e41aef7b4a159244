import { aggregateInteractions } from '../data/interactions.js';
import { timeHoldout } from '../data/splits.js';
import { DataFileError, MovierecError } from '../errors.js';
import { FsEventsStorage } from '../events/fs-events-storage.js';
import { readInteractions } from '../events/read-interactions.js';
import type { TrainParams } from '../training/params.js';
import { splitData } from '../training/train-model.js';
import type { PreparedManifest } from './prepared-format.js';
import { writePrepared } from './prepared-io.js';
import { SNAPSHOT_FILE, readSnapshotManifest } from './snapshot.js';

/**
 * The `prepare` stage: read a snapshot folder's window exactly as a training
 * run reads the events store (lib/events' readInteractions with the params'
 * rating scale), aggregate into (user, movie) interactions, hold out the
 * newest `train.validation` share by time (the train function's split), and
 * build the train set, the seen matrix and the held-out set (lib/training's
 * splitData). The snapshot's content hash is checked against the bytes read,
 * so a snapshot edited after the fact is refused.
 */
export async function prepareSnapshot(snapshotDir: string, out: string, params: TrainParams): Promise<PreparedManifest> {
  const snapshot = await readSnapshotManifest(snapshotDir);
  const window = { from: Date.parse(snapshot.window.from), to: Date.parse(snapshot.window.to) };
  const read = await readInteractions(new FsEventsStorage(snapshotDir), window, { scale: params.scale });
  if (read.snapshot !== snapshot.contentHash) {
    throw new DataFileError(
      `${snapshotDir}/${SNAPSHOT_FILE}`,
      undefined,
      `content hash ${snapshot.contentHash.slice(0, 12)}… does not match the segments present (${read.snapshot.slice(0, 12)}…): the snapshot was changed`,
    );
  }
  const table = aggregateInteractions(read.records);
  if (table.size < params.minInteractions) {
    throw new MovierecError(`${snapshotDir}: ${table.size} interactions in the window, below train.min_interactions ${params.minInteractions}`);
  }
  const holdout = timeHoldout(table, params.validation);
  const split = splitData(table, params.scale, holdout.holdoutFrom === null ? null : holdout);
  const { train } = split.data;
  return writePrepared(out, split, {
    snapshot: { window: snapshot.window, segments: snapshot.segments, contentHash: snapshot.contentHash },
    split: { validation: params.validation, holdoutFrom: holdout.holdoutFrom === null ? null : new Date(holdout.holdoutFrom).toISOString() },
    scale: { ...params.scale },
    nUsers: train.nUsers,
    nMovies: train.nMovies,
    nTrain: split.nTrain,
    nValidation: split.nValidation,
    globalMean: Number.isNaN(train.globalMean) ? null : train.globalMean,
  });
}
