import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '../errors.js';
import { EventsStoreError } from './events-store-error.js';
import type { EventsStorage, SegmentAppender } from './events-storage.js';
import { RecentKeys } from './recent-keys.js';
import { dayOf, formatSegmentKey, segmentName } from './segment-key.js';
import { encodeRecord, recordKey, type StoredKind, type StoredRecord } from './stored-record.js';

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_RECENT_KEYS = 1_000_000;
export const DEFAULT_MAX_OPEN_SEGMENTS = 32;
/** The largest instant a Date holds (±100,000,000 days). */
const MAX_TIME = 8.64e15;

export interface EventsWriterOptions {
  /** Start a new segment before one would grow past this many bytes (default 64 MiB). */
  readonly segmentBytes?: number;
  /** How many recently stored `(source, id)` keys the writer remembers to drop duplicates (default 1,000,000). */
  readonly recentKeys?: number;
  /** Open segments kept at most; the least recently used is closed first (default 32). */
  readonly maxOpenSegments?: number;
  /** Names this writer's segments (default: 8 random hex digits). */
  readonly writerId?: string;
  /** The clock that names new segments (default Date.now). */
  readonly now?: () => number;
}

/** What one `append` did: records newly stored, and records dropped as duplicates of stored (or in-flight) ones. */
export interface AppendResult {
  readonly stored: number;
  readonly duplicates: number;
}

export interface WriterStats {
  /** Durable writes (one write + fsync of one segment each), serving any number of appends. */
  readonly commits: number;
  readonly records: number;
  readonly duplicates: number;
  readonly bytes: number;
  /** Stored `rejects` records by reason, since this writer started. */
  readonly rejectsByReason: Readonly<Record<string, number>>;
}

interface Group {
  readonly target: string;
  readonly kind: StoredKind;
  readonly day: string;
  /** The records' `recordKey`s and their encoded lines, in the same order (the records themselves are not kept). */
  readonly keys: string[];
  readonly text: string[];
  /** The reasons of the `rejects` records among them. */
  readonly rejects: string[];
  readonly done: Promise<void>;
  settle(error?: Error): void;
}

/**
 * Appends records to the events store with group commit. `append` resolves
 * only once every record it brought is durable. While one commit is in
 * flight, the records of every `append` that arrives join the next batch,
 * which is written as one write + fsync per segment (kind, day): one fsync
 * serves many requests, so throughput grows with concurrency.
 *
 * Failure: when a write or fsync fails, every append waiting on that segment
 * rejects with a retriable EventsStoreError, the storage cuts the failed
 * bytes off where it can, and the next batch starts a fresh segment, so a
 * retry never lands after a torn line.
 *
 * Duplicates: a record whose `(source, id)` is among the last `recentKeys`
 * stored by this writer, or is in flight, is not written again (an append
 * holding an in-flight duplicate still waits for that record to be durable).
 * Across restarts, or further apart than `recentKeys`, a duplicate may be
 * stored twice; the EventsReader drops it (see there), so downstream counts
 * each `(source, id)` once.
 */
export class EventsWriter {
  private readonly segmentBytes: number;
  private readonly maxOpen: number;
  private readonly writerId: string;
  private readonly now: () => number;
  private readonly committed: RecentKeys;
  private readonly inflight = new Map<string, Promise<void>>();
  /** Segments by target (`kind/day`), in least-recently-used order. */
  private readonly open = new Map<string, SegmentAppender>();
  private readonly busy = new Set<string>();
  private next = new Map<string, Group>();
  private flushing: Promise<void> | undefined;
  private seq = 0;
  private closed = false;
  private readonly counts = { commits: 0, records: 0, duplicates: 0, bytes: 0 };
  private readonly rejects = new Map<string, number>();

  constructor(
    private readonly storage: EventsStorage,
    options: EventsWriterOptions = {},
  ) {
    this.segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.maxOpen = options.maxOpenSegments ?? DEFAULT_MAX_OPEN_SEGMENTS;
    this.writerId = options.writerId ?? randomBytes(4).toString('hex');
    this.now = options.now ?? Date.now;
    this.committed = new RecentKeys(options.recentKeys ?? DEFAULT_RECENT_KEYS);
    if (!(this.segmentBytes >= 1) || !(this.maxOpen >= 1) || !/^[0-9a-f]{1,32}$/.test(this.writerId)) {
      throw new InvalidArgumentError('segmentBytes and maxOpenSegments must be ≥ 1 and writerId 1–32 lower-case hex digits');
    }
  }

  /**
   * Stores `records` (already validated); resolves once all of them are durable.
   * Not an async function on purpose: a caller on the hot path pays one promise
   * for its wait, not one per step.
   */
  append(records: readonly StoredRecord[]): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventsStoreError(this.storage.location, undefined, 'the writer is closed'));
    const bad = records.find((record) => !Number.isSafeInteger(record.time) || Math.abs(record.time) > MAX_TIME);
    if (bad !== undefined) return Promise.reject(new InvalidArgumentError(`record ${bad.id} has no valid time: ${bad.time}`));
    const waits = new Set<Promise<void>>();
    let stored = 0;
    let duplicates = 0;
    for (const record of records) {
      const key = recordKey(record);
      const pending = this.inflight.get(key);
      if (pending !== undefined) waits.add(pending);
      if (pending !== undefined || this.committed.has(key)) {
        duplicates += 1;
        continue;
      }
      const group = this.groupFor(record);
      group.keys.push(key);
      group.text.push(encodeRecord(record));
      if (record.kind === 'rejects') group.rejects.push(record.reason);
      this.inflight.set(key, group.done);
      waits.add(group.done);
      stored += 1;
    }
    this.counts.duplicates += duplicates;
    if (stored > 0 && this.flushing === undefined) this.flushing = this.drain();
    const result: AppendResult = { stored, duplicates };
    if (waits.size === 0) return Promise.resolve(result);
    const [first] = waits;
    return (waits.size === 1 ? first : Promise.all(waits)).then(() => result);
  }

  stats(): WriterStats {
    return { ...this.counts, rejectsByReason: Object.fromEntries(this.rejects) };
  }

  /** Waits for every accepted append, then closes the open segments. Later appends reject. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing !== undefined) await this.flushing;
    const open = [...this.open.values()];
    this.open.clear();
    await Promise.all(open.map((appender) => appender.close()));
  }

  private groupFor(record: StoredRecord): Group {
    const day = dayOf(record.time);
    const target = `${record.kind}/${day}`;
    const existing = this.next.get(target);
    if (existing !== undefined) return existing;
    let settle: (error?: Error) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    done.catch(() => undefined); // every appender awaits it; this only keeps a lone rejection from going unhandled
    const group: Group = { target, kind: record.kind, day, keys: [], text: [], rejects: [], done, settle };
    this.next.set(target, group);
    return group;
  }

  /**
   * Commits batches until none is waiting. `flushing` is cleared in the same
   * synchronous step that finds the queue empty, so an append either joins a
   * batch this loop will take or starts a new loop.
   */
  private async drain(): Promise<void> {
    try {
      await Promise.resolve(); // appends made in the same tick join the first batch
      while (this.next.size > 0) {
        const batch = [...this.next.values()];
        this.next = new Map();
        for (const group of batch) this.busy.add(group.target);
        await (batch.length === 1 ? this.commit(batch[0]) : Promise.all(batch.map((group) => this.commit(group))));
        this.busy.clear();
        if (this.open.size > this.maxOpen) await this.trimOpen(this.maxOpen); // a batch may have opened past the cap
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** Writes one group as one durable append; settles its waiters, never throws. */
  private async commit(group: Group): Promise<void> {
    const bytes = Buffer.from(group.text.join(''), 'utf8');
    let appender: SegmentAppender | undefined;
    try {
      appender = this.openAppender(group, bytes.length) ?? (await this.newAppender(group));
      await appender.append(bytes);
    } catch (cause) {
      if (appender !== undefined && this.open.get(group.target) === appender) this.open.delete(group.target);
      for (const key of group.keys) this.inflight.delete(key);
      const what = `could not store ${group.keys.length} ${group.kind} records`;
      group.settle(new EventsStoreError(this.storage.location, appender?.key, what, { cause }));
      return;
    }
    this.counts.commits += 1;
    this.counts.records += group.keys.length;
    this.counts.bytes += bytes.length;
    for (const key of group.keys) {
      this.committed.add(key);
      this.inflight.delete(key);
    }
    for (const reason of group.rejects) this.rejects.set(reason, (this.rejects.get(reason) ?? 0) + 1);
    group.settle();
  }

  /** The target's open segment when the bytes still fit in it (now the most recently used); otherwise undefined. */
  private openAppender(group: Group, length: number): SegmentAppender | undefined {
    const current = this.open.get(group.target);
    if (current === undefined) return undefined;
    if (current.size !== 0 && current.size + length > this.segmentBytes) return undefined;
    this.open.delete(group.target);
    this.open.set(group.target, current);
    return current;
  }

  /** A fresh segment for the target, closing its full one (rotation) and the least recently used past the cap. */
  private async newAppender(group: Group): Promise<SegmentAppender> {
    const full = this.open.get(group.target);
    if (full !== undefined) {
      this.open.delete(group.target);
      await closeQuietly(full);
    }
    await this.trimOpen(this.maxOpen - 1);
    this.seq += 1;
    const key = formatSegmentKey({ kind: group.kind, day: group.day, name: segmentName(this.now(), this.writerId, this.seq) });
    const appender = await this.storage.create(key);
    this.open.set(group.target, appender);
    return appender;
  }

  /** Closes least recently used segments not being written until at most `limit` stay open. */
  private async trimOpen(limit: number): Promise<void> {
    for (const [target, appender] of this.open) {
      if (this.open.size <= limit) return;
      if (this.busy.has(target)) continue;
      this.open.delete(target);
      await closeQuietly(appender);
    }
  }
}

/** Closing a segment whose every append is already durable: a failure loses nothing, so it is not reported. */
async function closeQuietly(appender: SegmentAppender): Promise<void> {
  await appender.close().catch(() => undefined);
}
