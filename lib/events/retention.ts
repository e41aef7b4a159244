import { InvalidArgumentError } from '../errors.js';
import type { EventsStorage } from './events-storage.js';
import { EventsReader, type ListedSegment } from './events-reader.js';
import { isDay } from './segment-key.js';

/** Every segment in the store with its kind, day and size, in key order. */
export async function listSegments(storage: EventsStorage): Promise<ListedSegment[]> {
  return new EventsReader(storage).segments();
}

export interface DeleteOptions {
  /** Segments for which this answers true are kept even though they are old enough to go. */
  readonly keep?: (segment: ListedSegment) => boolean;
}

/**
 * Deletes every segment whose day is strictly before `day` (`yyyy-mm-dd`,
 * UTC), except those `keep` spares, and answers what it deleted. The policy
 * (how many days, which kinds) is the caller's. A writer still appending to
 * a day older than `day` would lose those records: choose a cutoff older
 * than any event ingest still accepts.
 */
export async function deleteSegmentsBefore(storage: EventsStorage, day: string, options: DeleteOptions = {}): Promise<ListedSegment[]> {
  if (!isDay(day)) throw new InvalidArgumentError(`not a day (yyyy-mm-dd): ${JSON.stringify(day)}`);
  const deleted: ListedSegment[] = [];
  for (const segment of await listSegments(storage)) {
    if (segment.day >= day || options.keep?.(segment) === true) continue;
    await storage.delete(segment.key);
    deleted.push(segment);
  }
  return deleted;
}
