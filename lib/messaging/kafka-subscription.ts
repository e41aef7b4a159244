// kafkajs is CommonJS: Node's ESM loader gives only its default export.
import kafkajs from 'kafkajs';
import type { Batch, Consumer, EachBatchPayload } from 'kafkajs';
import type { Logger } from '../ops/logger.js';
import type { ConsumedRecord, SubscribeOptions } from './channel.js';
import { ChannelError, chunksOf, defaultRetryDelayMs } from './channel.js';
import type { OffsetBook } from './offset-book.js';
import { Latch, sleepUnless } from './signals.js';

const { KafkaJSError } = kafkajs;

/**
 * One channel subscription as a kafkajs consumer. `eachBatch` cuts the fetched
 * batch into runs of `batchSize`; after `handle` resolves for a run, its last
 * offset is resolved and the next offset committed explicitly (autoCommit is
 * off, so nothing is committed any other way). A rejected `handle` is called
 * again with the same run after the subscription's delay, heartbeating
 * meanwhile, until it resolves or the subscription closes; on close the run
 * stays uncommitted and the group's next member reads it again.
 */

export interface KafkaSubscriptionDeps {
  readonly logger: Logger;
  readonly book: OffsetBook;
  readonly partitionsConsumedConcurrently: number;
  /** Attempts to join and subscribe while the broker is still creating the topic. Default 20. */
  readonly startAttempts?: number;
}

export interface RunningSubscription {
  close(): Promise<void>;
}

/** Errors a fresh topic answers with while the mock (or a real) broker creates it. */
const TRANSIENT_AT_START = /leader not available|unknown topic|does not host this topic|not available|coordinator/i;

export function isRetriableKafkaError(error: unknown): boolean {
  return error instanceof KafkaJSError ? error.retriable : false;
}

function recordsOf(batch: Batch): ConsumedRecord[] {
  return batch.messages.map((message) => ({
    topic: batch.topic,
    partition: batch.partition,
    offset: Number(message.offset),
    key: message.key === null ? null : message.key.toString('utf8'),
    value: message.value === null ? '' : message.value.toString('utf8'),
    timestamp: Number(message.timestamp),
  }));
}

export async function subscribeKafka(consumer: Consumer, options: SubscribeOptions, deps: KafkaSubscriptionDeps): Promise<RunningSubscription> {
  const { topic, group } = options;
  const logger = deps.logger.child({ topic, group });
  const stopping = new Latch();
  const retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;

  /** Call `handle` until it resolves (true) or the subscription closes (false); heartbeat meanwhile. */
  async function handleUntilDone(run: readonly ConsumedRecord[], payload: EachBatchPayload): Promise<boolean> {
    const beat = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => logger.debug('heartbeat failed during a handler', { error }));
    }, 1000);
    beat.unref();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await options.handle(run);
          return true;
        } catch (error) {
          if (stopping.isSet) return false;
          const delayMs = retryDelayMs(attempt);
          logger.warning('channel handler failed; the same records will be handled again', {
            partition: run[0].partition, offset: run[0].offset, records: run.length, attempt, delayMs, error,
          });
          if (!(await sleepUnless(delayMs, stopping)) || !payload.isRunning()) return false;
        }
      }
    } finally {
      clearInterval(beat);
    }
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    deps.book.sawEnd(batch.topic, batch.partition, Number(batch.highWatermark));
    for (const run of chunksOf(recordsOf(batch), options.batchSize)) {
      if (stopping.isSet || !payload.isRunning() || payload.isStale()) return;
      if (!(await handleUntilDone(run, payload))) return;
      const last = run[run.length - 1].offset;
      payload.resolveOffset(String(last));
      await payload.commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(last + 1) }] }] });
      deps.book.committed(group, batch.topic, batch.partition, last + 1);
    }
  }

  const attempts = deps.startAttempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning });
      break;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= attempts || !(isRetriableKafkaError(error) || TRANSIENT_AT_START.test(message))) {
        await consumer.disconnect().catch(() => undefined);
        throw new ChannelError(topic, `cannot subscribe group ${group}: ${message}`, { retriable: isRetriableKafkaError(error), cause: error });
      }
      logger.info('topic not ready yet; subscribing again', { attempt, error: message });
      await sleepUnless(defaultRetryDelayMs(attempt), stopping);
    }
  }
  consumer.on(consumer.events.CRASH, (event) => {
    logger.error('kafka consumer crashed', { error: event.payload.error, restart: event.payload.restart });
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: Math.max(1, deps.partitionsConsumedConcurrently),
    eachBatch,
  });
  return {
    async close() {
      stopping.set();
      await consumer.disconnect();
    },
  };
}
