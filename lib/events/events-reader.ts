import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../errors.js';
import type { EventsStorage, SegmentInfo } from './events-storage.js';
import { RecentKeys } from './recent-keys.js';
import { dayOf, parseSegmentKey, type SegmentKey } from './segment-key.js';
import { STORED_KINDS, decodeRecord, recordKey, type StoredKind, type StoredRecord } from './stored-record.js';

export const DEFAULT_DEDUPE_WINDOW = 1_000_000;

/** Which records to read: `from ≤ time < to` (ms since the epoch, either end open), of these kinds (default all). */
export interface ReadWindow {
  readonly from?: number;
  readonly to?: number;
  readonly kinds?: readonly StoredKind[];
}

/** A segment as it was read: its key, size and the sha256 of exactly the bytes read (hex). */
export interface SegmentRef {
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface ScanResult {
  /** Records handed to the visitor. */
  readonly records: number;
  /** Records skipped because their `(source, id)` was already read. */
  readonly duplicates: number;
  /** Lines skipped because they are not a valid record: torn last lines, garbage, schema failures. */
  readonly corrupt: number;
  /** Every segment read, in reading order: the data snapshot. */
  readonly segments: SegmentRef[];
}

export interface EventsReaderOptions {
  /** How many distinct recent keys of one (kind, day) are remembered to drop duplicates (default 1,000,000). */
  readonly dedupeWindow?: number;
}

export type ListedSegment = SegmentInfo & SegmentKey;

/**
 * Reads the events store. Segments are read kind by kind, day by day, in
 * name order (creation order within a writer). A line counts only when it
 * ends in `\n` and decodes with StoredRecordSchema; anything else (a torn
 * last line after a crash, a segment still being written, garbage) is
 * skipped and counted as corrupt, never thrown.
 *
 * Deduplication guarantee: a record's day folder comes from its own `time`,
 * so every copy of a `(source, id)` lands in the same (kind, day). Within a
 * (kind, day), a record is skipped when its key is among the last
 * `dedupeWindow` distinct keys read there. Redelivery (a restart, a retried
 * request) repeats records near the end of what was stored, well inside
 * that window, so downstream sees each `(source, id)` once; two copies more
 * than `dedupeWindow` records apart would both be read (for watch and rate
 * that changes nothing either: InteractionsBuilder ignores exact repeats).
 */
export class EventsReader {
  private readonly dedupeWindow: number;

  constructor(
    private readonly storage: EventsStorage,
    options: EventsReaderOptions = {},
  ) {
    this.dedupeWindow = options.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW;
  }

  /** Every segment of the given kinds (default all), with its kind and day, in reading order. */
  async segments(kinds: readonly StoredKind[] = STORED_KINDS): Promise<ListedSegment[]> {
    const out: ListedSegment[] = [];
    for (const kind of kinds) {
      for (const info of await this.storage.list(`${kind}/`)) {
        const key = parseSegmentKey(info.key);
        if (key !== undefined) out.push({ ...info, ...key });
      }
    }
    return out;
  }

  /** The kinds that have at least one segment. */
  async kinds(): Promise<StoredKind[]> {
    return [...new Set((await this.segments()).map((segment) => segment.kind))];
  }

  /** The days that have at least one segment of `kind` (default any kind), ascending. */
  async days(kind?: StoredKind): Promise<string[]> {
    const segments = await this.segments(kind === undefined ? STORED_KINDS : [kind]);
    return [...new Set(segments.map((segment) => segment.day))].sort();
  }

  /** Hands every record of the window to `visit`, once per `(source, id)`, and reports what it read. */
  async scan(window: ReadWindow, visit: (record: StoredRecord) => void): Promise<ScanResult> {
    const from = window.from ?? Number.NEGATIVE_INFINITY;
    const to = window.to ?? Number.POSITIVE_INFINITY;
    if (Number.isNaN(from) || Number.isNaN(to)) throw new InvalidArgumentError('a read window needs numeric from and to');
    const firstDay = Number.isFinite(from) ? dayOf(from) : '';
    const lastDay = Number.isFinite(to) ? dayOf(to - 1) : '\uffff';
    const counts = { records: 0, duplicates: 0, corrupt: 0 };
    const segments: SegmentRef[] = [];
    let group = '';
    let seen = new RecentKeys(this.dedupeWindow);
    for (const segment of await this.segments(window.kinds)) {
      if (segment.day < firstDay || segment.day > lastDay) continue;
      const bytes = await this.storage.read(segment.key);
      if (bytes === undefined) continue; // deleted since it was listed
      segments.push({ key: segment.key, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
      if (`${segment.kind}/${segment.day}` !== group) {
        group = `${segment.kind}/${segment.day}`;
        seen = new RecentKeys(this.dedupeWindow);
      }
      const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8').split('\n');
      const torn = lines.pop() ?? '';
      if (torn.length > 0) counts.corrupt += 1;
      for (const line of lines) {
        if (line.length === 0) continue;
        const record = decodeRecord(line);
        if (record === undefined || record.kind !== segment.kind) {
          counts.corrupt += 1;
          continue;
        }
        if (record.time < from || record.time >= to) continue;
        if (seen.seen(recordKey(record))) {
          counts.duplicates += 1;
          continue;
        }
        counts.records += 1;
        visit(record);
      }
    }
    return { ...counts, segments };
  }
}
