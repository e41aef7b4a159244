import { MovierecError } from '../errors.js';

/**
 * The channel port: topics of records split into partitions, each an ordered
 * log addressed by offsets, read by consumer groups — Kafka's model, which the
 * local runtime runs in memory (`memory-channel.ts`, Knative's InMemoryChannel
 * is the precedent) or in Kafka through kafkajs (`kafka-channel.ts`).
 *
 * Delivery is at-least-once: a group's offset for a partition is committed
 * only after `handle` resolved for the records below it. A rejected `handle`
 * is called again with the same records after `retryDelayMs(attempt)`, until it
 * resolves or the subscription closes; records are never skipped silently.
 */

/** A record as produced: the key decides the partition (null: spread). */
export interface ChannelRecord {
  readonly key: string | null;
  readonly value: string;
}

/** A record as consumed: where it sits in the log, and when it was appended (ms since the epoch). */
export interface ConsumedRecord extends ChannelRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
}

/** Where the last record of a `produce` call landed. */
export interface ProduceResult {
  readonly partition: number;
  readonly lastOffset: number;
}

export interface SubscribeOptions {
  readonly topic: string;
  readonly group: string;
  /** A group with no committed offset starts at the log's start (true) or its end (false). */
  readonly fromBeginning: boolean;
  /** The most records one `handle` call gets; all of them from one partition, in offset order. */
  readonly batchSize: number;
  readonly handle: (batch: readonly ConsumedRecord[]) => Promise<void>;
  /** Wait before calling `handle` again after its `attempt`-th rejection (1-based). Default `defaultRetryDelayMs`. */
  readonly retryDelayMs?: (attempt: number) => number;
}

export interface Subscription {
  /** Stop fetching; wait for the `handle` in flight, whose records stay uncommitted if it has not resolved. */
  close(): Promise<void>;
}

/**
 * A group's position on a topic, summed over partitions: `produced` is the
 * end of the log (the high watermark), `committed` the group's offsets, `lag`
 * what is left. The Kafka channel reports what this process has seen (its own
 * produce acknowledgements and the high watermarks of fetched batches).
 */
export interface ChannelStats {
  readonly produced: number;
  readonly committed: number;
  readonly lag: number;
}

export interface Channel {
  /** Append records; resolves once the channel holds them (in memory at once; in Kafka once acknowledged by all replicas). */
  produce(topic: string, records: readonly ChannelRecord[]): Promise<ProduceResult>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  stats(topic: string, group: string): ChannelStats;
  /** Close every subscription and connection. */
  close(): Promise<void>;
}

/** A channel operation that failed: `retriable` says whether trying again later can help. */
export class ChannelError extends MovierecError {
  readonly topic: string;
  readonly partition: number | undefined;

  constructor(topic: string, what: string, options: { retriable?: boolean; cause?: unknown; partition?: number } = {}) {
    super(`topic ${topic}${options.partition === undefined ? '' : ` partition ${options.partition}`}: ${what}`, options);
    this.topic = topic;
    this.partition = options.partition;
  }
}

/** 100 ms doubling per failed attempt, capped at 5 s. */
export function defaultRetryDelayMs(attempt: number): number {
  return Math.min(5000, 100 * 2 ** Math.max(0, attempt - 1));
}

/** Split `records` into runs of at most `size`, in order. */
export function chunksOf<T>(records: readonly T[], size: number): T[][] {
  const step = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let start = 0; start < records.length; start += step) out.push(records.slice(start, start + step));
  return out;
}

/** Topic names as Kafka allows them: 1–249 of `[a-zA-Z0-9._-]`, not `.` or `..`. */
export function isTopicName(name: string): boolean {
  return /^[a-zA-Z0-9._-]{1,249}$/.test(name) && name !== '.' && name !== '..';
}
