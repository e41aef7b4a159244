import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../lib/messaging/channel.js';
import { createMemoryChannel } from '../../lib/messaging/memory-channel.js';
import { waitFor } from '../../lib/messaging/test-helpers/wait-for.js';
import { silentLogger } from '../../lib/ops/logger.js';
import type { Sleep } from './deliver.js';
import { createDeliverer } from './deliver.js';
import { BATCH_CONTENT_TYPE } from './event-message.js';
import type { KafkaSource, KafkaSourceOptions } from './kafka-source.js';
import { createKafkaSource } from './kafka-source.js';
import type { Answer, SubscriberServer } from './test-helpers/subscriber-server.js';
import { startSubscriber } from './test-helpers/subscriber-server.js';

const LINES = [
  '2022-03-18T06:12:47,326332,GET /data/m/ghostbusters+1984/54.mpg',
  '2022-03-18T05:53:29,326332,GET /rate/the+incredibles+2004=4',
  '2023-03-24T14:14:43.074025,326332,recommendation request 17645-team13.isri.cmu.edu:8082, status 200, result: the+shining+1980, 55 ms',
];

describe('createKafkaSource', () => {
  let dataDir: string;
  let channel: Channel;
  let source: KafkaSource | undefined;
  const servers: SubscriberServer[] = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'movierec-kafka-source-'));
    channel = createMemoryChannel({ logger: silentLogger, partitions: 2 });
  });
  afterEach(async () => {
    await source?.stop();
    source = undefined;
    await channel.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await rm(dataDir, { recursive: true, force: true });
  });

  const serve = async (answer?: (index: number) => Answer) => {
    const server = await startSubscriber(answer === undefined ? undefined : (_r, index) => answer(index));
    servers.push(server);
    return server;
  };
  const start = async (sink: SubscriberServer, extra: Partial<KafkaSourceOptions> = {}, sleep?: Sleep) => {
    source = createKafkaSource({
      namespace: 'movierec', name: 'movielog', topics: ['movielog'], consumerGroup: 'movierec-ingest', fromBeginning: true,
      sink: { name: 'ingest', url: () => sink.url }, policy: { retry: 3, backoffPolicy: 'exponential', backoffDelayMs: 1 },
      channel, deliverer: createDeliverer({ dataDir, logger: silentLogger, ...(sleep === undefined ? {} : { sleep }) }), logger: silentLogger,
      ...extra,
    });
    await source.start();
    return source;
  };
  const produce = () => channel.produce('movielog', LINES.map((value) => ({ key: value.split(',')[1], value })));

  it('sends each record as the binary-mode CloudEvent local/API.md documents', async () => {
    const sink = await serve();
    const { partition } = await produce();
    await start(sink);
    await waitFor('three events', () => sink.received.length === 3);
    const events = sink.events().sort((a, b) => a.id.localeCompare(b.id));
    events.forEach((event, offset) => {
      expect(event.toJSON()).toEqual({
        specversion: '1.0',
        id: `partition:${partition}/offset:${offset}`,
        type: 'dev.knative.kafka.event',
        source: '/apis/v1/namespaces/movierec/kafkasources/movielog#movielog',
        subject: `partition:${partition}#${offset}`,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        datacontenttype: 'text/plain',
        key: '326332',
        data: LINES[offset],
      });
    });
    expect(sink.received[0].headers).toMatchObject({ 'ce-type': 'dev.knative.kafka.event', 'ce-key': '326332', 'content-type': 'text/plain' });
    await waitFor('the commit', () => channel.stats('movielog', 'movierec-ingest').lag === 0);
    expect(source?.status()).toEqual([
      { kind: 'KafkaSource', name: 'movielog', topic: 'movielog', consumerGroup: 'movierec-ingest', produced: 3, delivered: 3, lag: 0, failures: 0 },
    ]);
  });

  it('sends up to batchSize records per CloudEvents batch, in offset order', async () => {
    const sink = await serve();
    await produce();
    await start(sink, { batchSize: 2 });
    await waitFor('three events', () => sink.events().length === 3);
    expect(sink.received.map((r) => r.headers['content-type'])).toEqual([BATCH_CONTENT_TYPE, BATCH_CONTENT_TYPE]);
    expect(sink.events().map((e) => e.data)).toEqual(LINES);
    expect(sink.events().map((e) => e.subject?.split('#')[1])).toEqual(['0', '1', '2']);
  });

  it.each([
    ['one event per request', { concurrency: 1 }],
    ['batches', { batchSize: 2 }],
  ])('at least once (%s): a subscriber failing twice then OK gets every record in order; offsets move only after success', async (_mode, extra) => {
    const sink = await serve((index) => ({ status: index < 2 ? 503 : 202 }));
    const committedDuringRetries: number[] = [];
    await produce();
    await start(sink, extra, async () => void committedDuringRetries.push(channel.stats('movielog', 'movierec-ingest').committed));
    await waitFor('the commit', () => channel.stats('movielog', 'movierec-ingest').lag === 0);
    expect(committedDuringRetries).toEqual([0, 0]);
    const firsts = new Map<string, unknown>();
    for (const event of sink.events()) if (!firsts.has(event.id)) firsts.set(event.id, event.data);
    expect([...firsts.values()]).toEqual(LINES);
    expect(source?.status()[0]).toMatchObject({ delivered: 3, failures: 0 });
  });

  it('moves on past a record once it is dead-lettered, as Knative does', async () => {
    const sink = await serve(() => ({ status: 422, body: 'unparseable' }));
    const dead = await serve();
    await produce();
    await start(sink, { concurrency: 1, deadLetterSink: { name: 'ingest/dead-letter', url: () => `${dead.url}/dead-letter` } });
    await waitFor('the commit', () => channel.stats('movielog', 'movierec-ingest').lag === 0);
    expect(dead.events().map((e) => [e.data, e.knativeerrorcode])).toEqual(LINES.map((line) => [line, '422']));
    expect(source?.status()[0]).toMatchObject({ delivered: 0, failures: 3 });
  });
});
