import { InvalidArgumentError } from '../errors.js';
import type { EventsStorage } from './events-storage.js';
import { EventsReader, type ReadWindow } from './events-reader.js';
import type { AppendResult, EventsWriter } from './events-writer.js';
import { REJECT_REASON_PATTERN, type RejectRecord } from './stored-record.js';

/** A line ingest could not accept: kept with its reason for inspection. */
export interface RejectInput {
  readonly source: string;
  readonly id: string;
  /** kebab-case: a RejectReason for course lines, or ingest's own (e.g. `bad-payload`). */
  readonly reason: string;
  readonly detail: string;
  /** The raw line (or payload text) exactly as received. */
  readonly line: string;
  /** When it was received, ms since the epoch: it also picks the day (a rejected line may have no valid time). */
  readonly receivedAt: number;
}

export const MAX_REJECT_DETAIL = 4096;

/** The stored form of a reject. */
export function rejectRecord(input: RejectInput): RejectRecord {
  if (!REJECT_REASON_PATTERN.test(input.reason)) throw new InvalidArgumentError(`reject reason must be kebab-case: ${JSON.stringify(input.reason)}`);
  return {
    source: input.source,
    id: input.id,
    kind: 'rejects',
    time: input.receivedAt,
    receivedAt: input.receivedAt,
    reason: input.reason,
    detail: input.detail.slice(0, MAX_REJECT_DETAIL),
    line: input.line,
  };
}

/** Stores a reject (durably, deduplicated like any record); the writer's `stats().rejectsByReason` counts it. */
export async function appendReject(writer: EventsWriter, input: RejectInput): Promise<AppendResult> {
  return writer.append([rejectRecord(input)]);
}

/** Rejects of a window counted by reason, from the store (each `(source, id)` once). */
export async function countRejects(storage: EventsStorage, window: Omit<ReadWindow, 'kinds'> = {}): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await new EventsReader(storage).scan({ ...window, kinds: ['rejects'] }, (record) => {
    if (record.kind === 'rejects') counts[record.reason] = (counts[record.reason] ?? 0) + 1;
  });
  return counts;
}
