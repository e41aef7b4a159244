import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveModel } from '../../../lib/artifacts/model-bundle.js';
import type { TrainData } from '../../../lib/data/build-train-set.js';
import { buildTrainSet, mapTestSet } from '../../../lib/data/build-train-set.js';
import { csrFromCoo } from '../../../lib/data/csr.js';
import { generateSynthetic, syntheticRecords } from '../../../lib/data/synthetic.js';
import { EventsWriter } from '../../../lib/events/events-writer.js';
import { FsEventsStorage } from '../../../lib/events/fs-events-storage.js';
import { courseRecord } from '../../../lib/events/stored-record.js';
import type { ModelTrained, TrainedModel } from '../../../lib/messaging/events/model-trained.js';
import { offlineReport, predictRatings } from '../../../lib/metrics/offline-report.js';
import { prepareAlgorithm } from '../../../lib/models/registry.js';
import { Rng } from '../../../lib/models/rng.js';
import { parseLine } from '../../../lib/stream/parse-line.js';
import { recordLine } from '../../../lib/stream/record-line.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 1);
const SOURCE = '/apis/v1/namespaces/movierec/kafkasources/movielog#movielog';

/** A trained bundle on disk, as a model.trained event names it. */
export type TestModel = TrainedModel;

export interface EvaluateWorld {
  readonly root: string;
  readonly eventsDir: string;
  readonly modelsDir: string;
  /** Held out of the candidates' fit: events at or after this, before `to`. */
  readonly holdoutFrom: Date;
  readonly to: Date;
  /** SVD (25 epochs) on the first 10 days: the first model, later the champion. */
  readonly first: TestModel;
  /** SVD (8 epochs) on the 24 days before the holdout: beats `first` on the slice (RMSE ≈ 0.975 vs 0.999, NDCG@20 ≈ 0.13 vs 0.09). */
  readonly good: TestModel;
  /** SVD (25 epochs) on the same 24 days with the ratings shuffled among the pairs: learns noise (RMSE ≈ 1.07, NDCG@20 ≈ 0.06). */
  readonly bad: TestModel;
  /** A model.trained event for these models (`holdout: false` → holdoutFrom null). */
  trained(models: readonly TestModel[], options?: { readonly runId?: string; readonly holdout?: boolean }): ModelTrained;
  remove(): Promise<void>;
}

/**
 * A seeded synthetic world of 30 days (400 users, 150 movies), written as
 * course log lines into a real events store, and three real SVD bundles
 * trained on parts of it (lib/models + lib/artifacts, as train does: the
 * seen matrix covers the held-out pairs too).
 */
export async function buildEvaluateWorld(): Promise<EvaluateWorld> {
  const root = await mkdtemp(join(tmpdir(), 'movierec-evaluate-'));
  const eventsDir = join(root, 'events');
  const modelsDir = join(root, 'models');
  await mkdir(modelsDir);
  const world = generateSynthetic({ seed: 11, users: 400, movies: 150, interactions: 12_000, ratings: 6_000, days: 30, start: START });

  const writer = new EventsWriter(new FsEventsStorage(eventsDir), { writerId: 'e7a1' });
  const lines = syntheticRecords(world).map((record, k) => {
    const parsed = parseLine(recordLine(record));
    if (!parsed.ok) throw new Error(`synthetic line rejected: ${parsed.detail}`);
    return courseRecord(SOURCE, `partition:0/offset:${k}`, parsed.event, record.time);
  });
  for (let k = 0; k < lines.length; k += 5000) await writer.append(lines.slice(k, k + 5000));
  await writer.close();

  const table = world.interactions;
  const scale = world.options.scale;
  const holdoutFrom = START + 24 * DAY;
  const to = START + 30 * DAY;
  const entries = (test: (time: number) => boolean) => Int32Array.from({ length: table.size }, (_, e) => e).filter((e) => test(table.time[e]));
  const early = entries((t) => t < START + 10 * DAY);
  const before = entries((t) => t < holdoutFrom);
  const after = entries((t) => t >= holdoutFrom);

  /** Train's convention: a bundle's seen matrix covers its whole window, held-out pairs included. */
  const seenOf = (data: TrainData, window: Int32Array) => {
    const test = mapTestSet(table, data.users, data.movies, window);
    const kept = Int32Array.from(test.user.keys()).filter((k) => test.user[k] >= 0 && test.movie[k] >= 0);
    return csrFromCoo(data.users.size, data.movies.size, Array.from(kept, (k) => test.user[k]), Array.from(kept, (k) => test.movie[k]), Array.from(kept, (k) => test.minutes[k]));
  };

  const save = async (data: TrainData, window: Int32Array, label: string, seed: number, epochs = 25): Promise<TestModel> => {
    const prepared = prepareAlgorithm('svd', { factors: 8, epochs, seed });
    const model = await prepared.fit(data.train);
    const test = mapTestSet(table, data.users, data.movies, after);
    const report = offlineReport(model, data.train, test, predictRatings(model, test));
    const metrics = { rmse: report.rmse, ndcgAt20: report.ranking.ndcg, hitRateAt20: report.ranking.hitRate };
    const published = await saveModel(modelsDir, {
      prepared,
      model,
      data,
      seen: seenOf(data, window),
      snapshot: { sources: ['synthetic'], contentHash: `synthetic-11-${label}` },
      code: { packageVersion: '0.0.0-test', gitCommit: null },
      metrics,
      createdAt: new Date(START + 30 * DAY + seed * 1000),
    });
    return { algorithm: 'svd', version: published.manifest.version, bundleUri: published.store.location, metrics, fitSeconds: 0.1 };
  };

  const all = entries(() => true);
  const first = await save(buildTrainSet(table, scale, early), early, 'first', 1);
  const good = await save(buildTrainSet(table, scale, before), all, 'good', 2, 8);
  const honest = buildTrainSet(table, scale, before);
  const shuffled = honest.train.ratings.values.slice();
  const rng = new Rng(5);
  for (let k = shuffled.length - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    [shuffled[k], shuffled[j]] = [shuffled[j], shuffled[k]];
  }
  const bad = await save({ ...honest, train: { ...honest.train, ratings: { ...honest.train.ratings, values: shuffled } } }, all, 'bad', 3);

  return {
    root,
    eventsDir,
    modelsDir,
    holdoutFrom: new Date(holdoutFrom),
    to: new Date(to),
    first,
    good,
    bad,
    trained(models, options = {}) {
      return {
        runId: options.runId ?? `run-${models.map((m) => m.version).join('+')}`,
        models: [...models],
        snapshot: {
          from: new Date(START).toISOString(),
          to: new Date(to).toISOString(),
          holdoutFrom: options.holdout === false ? null : new Date(holdoutFrom).toISOString(),
          contentHash: 'synthetic-11',
          segments: 30,
          interactions: table.size,
          users: table.users.size,
          movies: table.movies.size,
        },
        reason: 'test',
        trainedAt: new Date(to).toISOString(),
      };
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
