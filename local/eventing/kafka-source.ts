import type { Channel, ConsumedRecord, Subscription } from '../../lib/messaging/channel.js';
import type { Logger } from '../../lib/ops/logger.js';
import type { Deliverer, DeliveryResult, DeliveryTarget } from './deliver.js';
import type { RetryPolicy } from './delivery-spec.js';
import { kafkaRecordEvent } from './kafka-event.js';

/**
 * A KafkaSource's dispatcher: one channel subscription per topic in the
 * source's `consumerGroup`; each record becomes a CloudEvent
 * (`kafka-event.ts`) delivered to the sink per `spec.delivery`. With a batch
 * size (the `movierec.io/local-batch-size` annotation) up to that many records
 * go as one CloudEvents batch; otherwise one event per request, up to
 * `concurrency` at once within a partition's run. The run's offsets are
 * committed once every record in it was delivered or dead-lettered (Knative
 * moves on once an event is dead-lettered); if the runtime stops first, the run
 * stays uncommitted and is delivered again.
 */

export interface KafkaSourceOptions {
  readonly namespace: string;
  readonly name: string;
  readonly topics: readonly string[];
  readonly consumerGroup: string;
  /** `initialOffset: earliest`. */
  readonly fromBeginning: boolean;
  /** Records per CloudEvents batch; undefined sends one event per request. */
  readonly batchSize?: number;
  readonly sink: DeliveryTarget;
  readonly deadLetterSink?: DeliveryTarget;
  readonly policy: RetryPolicy;
  readonly channel: Channel;
  readonly deliverer: Deliverer;
  readonly logger: Logger;
  /** Requests in flight per partition without batches. Default 16. */
  readonly concurrency?: number;
  /** Records per committed run without batches. Default 64. */
  readonly runSize?: number;
}

export interface KafkaSourceStatus {
  readonly kind: 'KafkaSource';
  readonly name: string;
  readonly topic: string;
  readonly consumerGroup: string;
  /** Records in the topic (its log end). */
  readonly produced: number;
  /** Records the sink took. */
  readonly delivered: number;
  /** Records not yet committed by the group. */
  readonly lag: number;
  /** Records the sink refused to the end (dead-lettered). */
  readonly failures: number;
}

export interface KafkaSource {
  start(): Promise<void>;
  /** Close the subscriptions; waits for the runs in flight (whose deliveries stop when the deliverer's signal aborts). */
  stop(): Promise<void>;
  status(): KafkaSourceStatus[];
}

/** The run was not finished (the runtime is stopping): leave it uncommitted. */
class RunAborted extends Error {}

export function createKafkaSource(options: KafkaSourceOptions): KafkaSource {
  const { channel, deliverer, logger } = options;
  const counts = new Map(options.topics.map((topic) => [topic, { delivered: 0, failures: 0 }]));
  const subscriptions: Subscription[] = [];
  const concurrency = Math.max(1, options.concurrency ?? 16);

  const count = (topic: string, events: number, result: DeliveryResult) => {
    const entry = counts.get(topic);
    if (entry === undefined) return;
    if (result.outcome === 'delivered') entry.delivered += events;
    else if (result.outcome !== 'aborted') entry.failures += events;
  };

  const send = (records: readonly ConsumedRecord[], batch: boolean) =>
    deliverer.deliver({
      events: records.map((record) => kafkaRecordEvent(options.namespace, options.name, record)),
      batch,
      subscriber: options.sink,
      policy: options.policy,
      ...(options.deadLetterSink === undefined ? {} : { deadLetterSink: options.deadLetterSink }),
    });

  async function handle(records: readonly ConsumedRecord[]): Promise<void> {
    const topic = records[0].topic;
    if (options.batchSize !== undefined) {
      const result = await send(records, true);
      count(topic, records.length, result);
      if (result.outcome === 'aborted') throw new RunAborted('stopped before the batch was delivered');
      return;
    }
    let next = 0;
    let aborted = false;
    const worker = async () => {
      while (next < records.length && !aborted) {
        const result = await send([records[next++]], false);
        count(topic, 1, result);
        if (result.outcome === 'aborted') aborted = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, records.length) }, worker));
    if (aborted) throw new RunAborted('stopped before the run was delivered');
  }

  return {
    async start() {
      for (const topic of options.topics) {
        subscriptions.push(
          await channel.subscribe({
            topic,
            group: options.consumerGroup,
            fromBeginning: options.fromBeginning,
            batchSize: options.batchSize ?? options.runSize ?? 64,
            handle,
          }),
        );
      }
      logger.info('kafka source started', { kafkaSource: options.name, topics: options.topics, group: options.consumerGroup, batchSize: options.batchSize });
    },
    async stop() {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.close()));
    },
    status() {
      return options.topics.map((topic) => {
        const { produced, lag } = channel.stats(topic, options.consumerGroup);
        const entry = counts.get(topic) ?? { delivered: 0, failures: 0 };
        return { kind: 'KafkaSource', name: options.name, topic, consumerGroup: options.consumerGroup, produced, lag, ...entry };
      });
    },
  };
}
