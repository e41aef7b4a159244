import type { EventsStorage } from './events-storage.js';
import { EventsReader } from './events-reader.js';
import { dayStart } from './segment-key.js';
import type { StoredKind, StoredRecord } from './stored-record.js';

const DAY = 86_400_000;

/**
 * The newest `limit` records of one kind, oldest first (by `time`, then as
 * read). Days are read newest first and reading stops once `limit` records
 * are in hand, so a short history is cheap however old the store is. For
 * small series such as evaluate's `online` and `canary` records.
 */
export async function readLatest(storage: EventsStorage, kind: StoredKind, limit: number): Promise<StoredRecord[]> {
  if (limit <= 0) return [];
  const reader = new EventsReader(storage);
  const days = (await reader.days(kind)).reverse();
  const kept: StoredRecord[] = [];
  for (const day of days) {
    const from = dayStart(day);
    const records: StoredRecord[] = [];
    await reader.scan({ from, to: from + DAY, kinds: [kind] }, (record) => records.push(record));
    kept.unshift(...records.sort((a, b) => a.time - b.time));
    if (kept.length >= limit) break;
  }
  return kept.slice(-limit);
}
