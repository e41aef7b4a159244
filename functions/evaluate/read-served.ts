import type { EventsStorage } from '../../lib/events/events-storage.js';
import { EventsReader } from '../../lib/events/events-reader.js';
import { RecommendationServedSchema } from '../../lib/messaging/events/recommendation-served.js';
import type { Logger } from '../../lib/ops/logger.js';
import type { ServedList } from '../../lib/rollout/recommended-pairs.js';

/**
 * The recommendation lists served with from ≤ servedAt < to (ms): the
 * events store's `served` records (a record's `time` is its `servedAt`).
 * Ingest validated each payload before storing it; one that fails the
 * schema now is skipped, counted and logged once, never thrown.
 */
export async function readServedLists(
  storage: EventsStorage,
  window: { readonly from: number; readonly to: number },
  logger?: Logger,
): Promise<ServedList[]> {
  const lists: ServedList[] = [];
  const skipped: string[] = [];
  await new EventsReader(storage).scan({ from: window.from, to: window.to, kinds: ['served'] }, (record) => {
    if (record.kind !== 'served') return;
    const served = RecommendationServedSchema.safeParse(record.data);
    if (served.success) lists.push({ user: served.data.user, movies: served.data.movies, time: record.time });
    else skipped.push(record.id);
  });
  if (skipped.length > 0) logger?.warning('skipped served records that break the schema', { count: skipped.length, eventIds: skipped.slice(0, 10) });
  return lists;
}
