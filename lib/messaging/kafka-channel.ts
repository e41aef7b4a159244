// kafkajs is CommonJS: Node's ESM loader gives only its default export.
import kafkajs from 'kafkajs';
import type { Admin, logLevel as KafkaLogLevel, Message, Producer } from 'kafkajs';
import type { LogLevel } from '../ops/config.js';
import type { Logger } from '../ops/logger.js';
import type { Channel, ChannelRecord, ChannelStats, ProduceResult, SubscribeOptions, Subscription } from './channel.js';
import { ChannelError, isTopicName } from './channel.js';
import { kafkaLogCreator } from './kafka-logger.js';
import { OffsetBook } from './offset-book.js';
import { isRetriableKafkaError, subscribeKafka } from './kafka-subscription.js';
import { subscriptionRoundRobin } from './kafka-assigner.js';

const { Kafka, logLevel, Partitioners } = kafkajs;

/**
 * The channel in Kafka, through kafkajs. `produce` waits for acks from all
 * in-sync replicas (acks -1); each subscription is a consumer in the caller's
 * group (a KafkaSource's `consumerGroup`) whose offsets are committed
 * explicitly once `handle` resolved (`kafka-subscription.ts`). Topics are
 * created by the broker on first use (`allowAutoTopicCreation`), which is all
 * librdkafka's mock cluster offers (it has no CreateTopics).
 */

export interface KafkaChannelOptions {
  /** `host:port` of the bootstrap brokers. */
  readonly brokers: readonly string[];
  readonly logger: Logger;
  readonly clientId?: string;
  /** The lowest kafkajs level passed to `logger`. Default INFO. */
  readonly logLevel?: LogLevel;
  /** Partitions a subscription handles at once. Default 4. */
  readonly partitionsConsumedConcurrently?: number;
  readonly sessionTimeoutMs?: number;
  /** How long a fetch waits for new records; also bounds how long `close` waits for an idle fetch. Default 1000. */
  readonly maxWaitTimeMs?: number;
}

const KAFKA_LEVEL: Record<LogLevel, KafkaLogLevel> = {
  DEBUG: logLevel.DEBUG,
  INFO: logLevel.INFO,
  WARNING: logLevel.WARN,
  ERROR: logLevel.ERROR,
  OFF: logLevel.NOTHING,
};

export function createKafkaChannel(options: KafkaChannelOptions): Channel {
  const { logger } = options;
  const kafka = new Kafka({
    clientId: options.clientId ?? 'movierec',
    brokers: [...options.brokers],
    logLevel: KAFKA_LEVEL[options.logLevel ?? 'INFO'],
    logCreator: kafkaLogCreator(logger),
    retry: { initialRetryTime: 100, retries: 8 },
  });
  const book = new OffsetBook();
  /** Which partition kafkajs's partitioner chose for each message of a `produce` call. */
  const placed = new WeakMap<Message, number>();
  const createPartitioner = () => {
    const inner = Partitioners.DefaultPartitioner();
    return (args: Parameters<typeof inner>[0]) => {
      const partition = inner(args);
      placed.set(args.message, partition);
      return partition;
    };
  };
  const subscriptions = new Set<Subscription>();
  let producer: Promise<Producer> | undefined;
  let admin: Promise<Admin> | undefined;
  let closed = false;

  const connectProducer = () => {
    producer ??= (async () => {
      const created = kafka.producer({ allowAutoTopicCreation: true, createPartitioner });
      await created.connect();
      return created;
    })().catch((error: unknown) => {
      producer = undefined;
      throw error;
    });
    return producer;
  };
  const connectAdmin = () => {
    admin ??= (async () => {
      const created = kafka.admin();
      await created.connect();
      return created;
    })().catch((error: unknown) => {
      admin = undefined;
      throw error;
    });
    return admin;
  };

  async function produce(topic: string, records: readonly ChannelRecord[]): Promise<ProduceResult> {
    if (!isTopicName(topic)) throw new ChannelError(topic, 'not a valid topic name');
    if (closed) throw new ChannelError(topic, 'the channel is closed');
    if (records.length === 0) return { partition: 0, lastOffset: -1 };
    const messages: Message[] = records.map(({ key, value }) => ({ key, value }));
    try {
      const sent = await (await connectProducer()).send({ topic, acks: -1, messages });
      const counts = new Map<number, number>();
      for (const message of messages) {
        const partition = placed.get(message) ?? 0;
        counts.set(partition, (counts.get(partition) ?? 0) + 1);
      }
      const ends = new Map<number, number>();
      for (const entry of sent) {
        const end = Number(entry.baseOffset ?? '0') + (counts.get(entry.partition) ?? 0);
        ends.set(entry.partition, end);
        book.sawEnd(topic, entry.partition, end);
      }
      const partition = placed.get(messages[messages.length - 1]) ?? sent[0]?.partition ?? 0;
      return { partition, lastOffset: (ends.get(partition) ?? 0) - 1 };
    } catch (error) {
      throw new ChannelError(topic, `produce failed: ${error instanceof Error ? error.message : String(error)}`, {
        retriable: isRetriableKafkaError(error),
        cause: error,
      });
    }
  }

  /** Seed what `stats` knows from the cluster: the log ends and the group's committed offsets. Best effort. */
  async function seedStats(topic: string, group: string): Promise<void> {
    try {
      const client = await connectAdmin();
      for (const { partition, high } of await client.fetchTopicOffsets(topic)) book.sawEnd(topic, partition, Number(high));
      for (const entry of await client.fetchOffsets({ groupId: group, topics: [topic] })) {
        for (const { partition, offset } of entry.partitions) {
          if (Number(offset) >= 0) book.committed(group, topic, partition, Number(offset));
        }
      }
    } catch (error) {
      logger.debug('could not read offsets for channel stats', { topic, group, error });
    }
  }

  return {
    produce,
    async subscribe(subscription: SubscribeOptions): Promise<Subscription> {
      if (!isTopicName(subscription.topic)) throw new ChannelError(subscription.topic, 'not a valid topic name');
      if (closed) throw new ChannelError(subscription.topic, 'the channel is closed');
      const consumer = kafka.consumer({
        groupId: subscription.group,
        partitionAssigners: [subscriptionRoundRobin],
        allowAutoTopicCreation: true,
        sessionTimeout: options.sessionTimeoutMs ?? 30_000,
        maxWaitTimeInMs: options.maxWaitTimeMs ?? 1000,
        ...(options.sessionTimeoutMs === undefined ? {} : { heartbeatInterval: Math.max(100, Math.floor(options.sessionTimeoutMs / 10)) }),
      });
      const running = await subscribeKafka(consumer, subscription, {
        logger,
        book,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
      });
      await seedStats(subscription.topic, subscription.group);
      const handle: Subscription = {
        async close() {
          subscriptions.delete(handle);
          await running.close();
        },
      };
      subscriptions.add(handle);
      return handle;
    },
    stats(topic: string, group: string): ChannelStats {
      return book.stats(topic, group);
    },
    async close() {
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      const pending = [producer, admin];
      producer = undefined;
      admin = undefined;
      for (const client of pending) {
        if (client === undefined) continue;
        await client.then((connected) => connected.disconnect()).catch((error: unknown) => {
          logger.debug('kafka client did not disconnect cleanly', { error });
        });
      }
    },
  };
}
