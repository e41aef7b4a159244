import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { servingModel } from '../../../lib/artifacts/model-bundle.js';
import { readBundle } from '../../../lib/artifacts/read-bundle.js';
import { EventsWriter } from '../../../lib/events/events-writer.js';
import { FsEventsStorage } from '../../../lib/events/fs-events-storage.js';
import type { StoredRecord } from '../../../lib/events/stored-record.js';
import { courseRecord, dataRecord } from '../../../lib/events/stored-record.js';
import type { RecommendationServed } from '../../../lib/messaging/events/recommendation-served.js';
import { Rng } from '../../../lib/models/rng.js';
import { parseLine } from '../../../lib/stream/parse-line.js';
import { recordLine } from '../../../lib/stream/record-line.js';
import type { EvaluateWorld, TestModel } from './world.js';

const MINUTE = 60_000;
const SERVED_SOURCE = '/apis/v1/namespaces/movierec/triggers/served';
const WATCH_SOURCE = '/apis/v1/namespaces/movierec/kafkasources/movielog#exposed';

export interface ExposedStore {
  /** A copy of the world's events store with the served lists and the watches they caused. */
  readonly eventsDir: string;
  /** Lists served (one per user). */
  readonly lists: number;
  /** Distinct (user, movie) pairs watched off a served list. */
  readonly watched: number;
}

/**
 * The world's events as `movierec up` logs them under a serving `champion`:
 * every user asks it once for 20 movies, at a seeded time from 30 minutes
 * before holdoutFrom (inside the default lookback) to a day before `to`,
 * and within the next minutes watches `perUser` movies of that list — the
 * slice then mostly holds watches the champion caused. Lists and watches
 * are written as ingest stores them (`served` records keyed by servedAt,
 * course watch lines) into a copy of the store under the world's root.
 */
export async function exposeToChampion(world: EvaluateWorld, champion: TestModel, perUser: number, seed = 7): Promise<ExposedStore> {
  const eventsDir = join(world.root, `events-exposed-${seed}`);
  await cp(world.eventsDir, eventsDir, { recursive: true });
  const bundle = await readBundle(champion.bundleUri);
  const serving = servingModel(bundle);
  const rng = new Rng(seed);
  const from = world.holdoutFrom.getTime() - 30 * MINUTE;
  const span = world.to.getTime() - 24 * 60 * MINUTE - from;
  const records: StoredRecord[] = [];
  let watched = 0;
  for (let u = 0; u < bundle.users.size; u++) {
    const user = bundle.users.idAt(u);
    const servedAt = from + Math.floor(rng.next() * span);
    const { movies, fallback } = serving.recommend(user, 20);
    const data: RecommendationServed = {
      user,
      movies,
      modelVersion: champion.version,
      revision: 'recommend-00001',
      latencyMs: 3,
      fallback,
      servedAt: new Date(servedAt).toISOString(),
    };
    records.push(dataRecord(SERVED_SOURCE, `served-${u}`, 'served', servedAt, data, servedAt));
    const picks = new Set<string>();
    while (picks.size < Math.min(perUser, movies.length)) picks.add(movies[rng.int(movies.length)]);
    let k = 0;
    for (const movie of picks) {
      const time = servedAt + (2 + 3 * k++) * MINUTE;
      const parsed = parseLine(recordLine({ user, movie, kind: 'watch', value: 20, time }));
      if (!parsed.ok) throw new Error(`exposed watch line rejected: ${parsed.detail}`);
      records.push(courseRecord(WATCH_SOURCE, `${user}/${movie}`, parsed.event, time));
      watched++;
    }
  }
  const writer = new EventsWriter(new FsEventsStorage(eventsDir), { writerId: 'e7a2' });
  await writer.append(records);
  await writer.close();
  return { eventsDir, lists: records.filter((r) => r.kind === 'served').length, watched };
}
