import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../lib/messaging/channel.js';
import { createKafkaChannel } from '../../lib/messaging/kafka-channel.js';
import type { MockKafkaCluster } from '../../lib/messaging/test-helpers/mock-kafka-cluster.js';
import { startMockKafkaCluster } from '../../lib/messaging/test-helpers/mock-kafka-cluster.js';
import { waitFor } from '../../lib/messaging/test-helpers/wait-for.js';
import { silentLogger } from '../../lib/ops/logger.js';
import { createDeliverer } from './deliver.js';
import type { KafkaSource } from './kafka-source.js';
import { createKafkaSource } from './kafka-source.js';
import type { SubscriberServer } from './test-helpers/subscriber-server.js';
import { startSubscriber } from './test-helpers/subscriber-server.js';

// A KafkaSource over the Kafka channel (kafkajs ↔ librdkafka's mock cluster) delivering to a local HTTP subscriber.

let cluster: MockKafkaCluster;
beforeAll(async () => {
  cluster = await startMockKafkaCluster();
});
afterAll(async () => {
  await cluster.stop();
});

describe('KafkaSource over Kafka', () => {
  let channel: Channel | undefined;
  let source: KafkaSource | undefined;
  let sink: SubscriberServer | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await source?.stop();
    await channel?.close();
    await sink?.close();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers every line as a CloudEvent, retrying a failing subscriber, and commits the consumer group', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'movierec-kafka-source-'));
    dataDir = dir;
    const kafka = createKafkaChannel({ brokers: [cluster.bootstrap], logger: silentLogger, logLevel: 'OFF', sessionTimeoutMs: 6000, maxWaitTimeMs: 200 });
    channel = kafka;
    const subscriber = await startSubscriber((_request, index) => ({ status: index < 2 ? 503 : 202 }));
    sink = subscriber;
    const topic = `movielog-${randomUUID()}`;
    const group = `ingest-${randomUUID()}`;
    const lines = Array.from({ length: 7 }, (_, i) => `2026-11-26T10:00:0${i},4242,GET /data/m/movie+${i}+2001/${i}.mpg`);
    await kafka.produce(topic, lines.map((value) => ({ key: '4242', value })));
    const dispatcher = createKafkaSource({
      namespace: 'movierec', name: 'movielog', topics: [topic], consumerGroup: group, fromBeginning: true, batchSize: 3,
      sink: { name: 'ingest', url: () => subscriber.url }, policy: { retry: 4, backoffPolicy: 'exponential', backoffDelayMs: 5 },
      channel: kafka, deliverer: createDeliverer({ dataDir: dir, logger: silentLogger }), logger: silentLogger,
    });
    source = dispatcher;
    await dispatcher.start();
    await waitFor('the group to commit every record', () => kafka.stats(topic, group).committed === 7 && kafka.stats(topic, group).lag === 0);
    const firsts = new Map<string, unknown>();
    for (const event of subscriber.events()) if (!firsts.has(event.id)) firsts.set(event.id, event.data);
    expect([...firsts.values()]).toEqual(lines);
    const [first] = subscriber.events();
    expect(first).toMatchObject({ type: 'dev.knative.kafka.event', source: `/apis/v1/namespaces/movierec/kafkasources/movielog#${topic}`, key: '4242', datacontenttype: 'text/plain' });
    expect(first.id).toMatch(/^partition:\d+\/offset:0$/);
    expect(dispatcher.status()[0]).toMatchObject({ topic, produced: 7, delivered: 7, lag: 0, failures: 0 });
  });
});
