import { createHash } from 'node:crypto';
import type { InteractionRecord } from '../data/records.js';
import { emptyReasonCounts, type RejectReason } from '../stream/reject-reason.js';
import { parseLine, type ParseOptions } from '../stream/parse-line.js';
import type { EventsStorage } from './events-storage.js';
import { EventsReader, type EventsReaderOptions, type SegmentRef } from './events-reader.js';
import { interactionOf } from '../stream/interaction-of.js';

export interface ReadInteractionsOptions extends EventsReaderOptions, ParseOptions {}

/** The interactions of a time window, and the data snapshot they came from. */
export interface InteractionsRead {
  readonly records: InteractionRecord[];
  /** The watch and rate segments read, in order, each with its size and sha256. */
  readonly segments: SegmentRef[];
  /** sha256 (hex) over the segment list (`key bytes sha256` lines): names the snapshot in a model manifest. */
  readonly snapshot: string;
  readonly duplicates: number;
  readonly corrupt: number;
  /** Stored lines the parser now rejects (e.g. a rating outside `scale`), by reason. */
  readonly unparsable: Record<RejectReason, number>;
}

/**
 * Reads the watch and rate records with `from ≤ time < to` as
 * InteractionRecords (each stored line goes through parseLine again, with
 * the caller's rating scale), once per `(source, id)`. Train feeds them to
 * an InteractionsBuilder; `segments` and `snapshot` go into the bundle
 * manifest.
 */
export async function readInteractions(
  storage: EventsStorage,
  window: { readonly from?: number; readonly to?: number },
  options: ReadInteractionsOptions = {},
): Promise<InteractionsRead> {
  const records: InteractionRecord[] = [];
  const unparsable = emptyReasonCounts();
  const reader = new EventsReader(storage, options);
  const scanned = await reader.scan({ ...window, kinds: ['rate', 'watch'] }, (record) => {
    if (record.kind !== 'watch' && record.kind !== 'rate') return;
    const parsed = parseLine(record.line, options);
    if (!parsed.ok) {
      unparsable[parsed.reason] += 1;
      return;
    }
    const interaction = interactionOf(parsed.event);
    if (interaction !== undefined) records.push(interaction);
  });
  return {
    records,
    segments: scanned.segments,
    snapshot: snapshotHash(scanned.segments),
    duplicates: scanned.duplicates,
    corrupt: scanned.corrupt,
    unparsable,
  };
}

/** One hash for a list of segments as read: equal exactly when the same bytes were read under the same keys. */
export function snapshotHash(segments: readonly SegmentRef[]): string {
  const hash = createHash('sha256');
  for (const segment of segments) hash.update(`${segment.key} ${segment.bytes} ${segment.sha256}\n`);
  return hash.digest('hex');
}
