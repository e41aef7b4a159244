import { httpPost } from '../../lib/messaging/http-post.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HTTP } from 'cloudevents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/ops/logger.js';
import { waitFor } from '../../lib/messaging/test-helpers/wait-for.js';
import type { Broker, TriggerRoute } from './broker.js';
import { createBroker, decodeIncoming } from './broker.js';
import { createDeliverer } from './deliver.js';
import { binaryMessage } from './event-message.js';
import { sampleEvent } from './test-helpers/events.js';
import { serveRoutes } from './test-helpers/route-server.js';
import type { Answer, SubscriberServer } from './test-helpers/subscriber-server.js';
import { startSubscriber } from './test-helpers/subscriber-server.js';

describe('the Broker', () => {
  let dataDir: string;
  const closers: Array<() => Promise<void>> = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'movierec-broker-'));
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
    await rm(dataDir, { recursive: true, force: true });
  });

  const subscriber = async (answer?: () => Answer) => {
    const server = await startSubscriber(answer);
    closers.push(() => server.close());
    return server;
  };
  const trigger = (name: string, server: SubscriberServer, filter: Record<string, string>): TriggerRoute => ({
    name, filter, subscriber: { name, url: () => server.url }, policy: { retry: 2 },
  });
  const start = async (triggers: TriggerRoute[], queueLimit?: number): Promise<{ broker: Broker; url: string }> => {
    const deliverer = createDeliverer({ dataDir, logger: silentLogger, sleep: async () => undefined });
    const broker = createBroker({ namespace: 'movierec', name: 'default', triggers, deliverer, logger: silentLogger, ...(queueLimit === undefined ? {} : { queueLimit }) });
    const server = await serveRoutes([broker.route]);
    closers.push(() => server.close());
    return { broker, url: `${server.url}${broker.path}` };
  };
  const post = (url: string, headers: Record<string, string>, body: string) => fetch(url, { method: 'POST', headers, body });

  it('answers 202 and delivers to every matching Trigger, none to the others', async () => {
    const [evaluate, train, other] = await Promise.all([subscriber(), subscriber(), subscriber()]);
    const { broker, url } = await start([
      trigger('evaluate-model-trained', evaluate, { type: 'io.movierec.model.trained.v1' }),
      trigger('audit-trained', train, { type: 'io.movierec.model.trained.v1', source: '/movierec/train' }),
      trigger('train-new-data', other, { type: 'io.movierec.data.appended.v1' }),
    ]);
    expect(broker.path).toBe('/movierec/default');
    const message = HTTP.structured(sampleEvent({ id: 'trained-1' }));
    const response = await post(url, { 'content-type': 'application/cloudevents+json' }, String(message.body));
    expect(response.status).toBe(202);
    await waitFor('both deliveries', () => evaluate.received.length === 1 && train.received.length === 1);
    await broker.idle();
    expect(other.received).toHaveLength(0);
    for (const server of [evaluate, train]) {
      expect(server.received[0].headers['ce-id']).toBe('trained-1');
      expect(server.events()[0].data).toEqual({ version: 'svd-1' });
    }
  });

  it('delivers independently: one failing subscriber does not hold back another', async () => {
    const down = await subscriber(() => ({ status: 500 }));
    const up = await subscriber();
    const { broker, url } = await start([trigger('down', down, {}), trigger('up', up, {})]);
    const { headers, body } = binaryMessage(sampleEvent());
    expect((await post(url, { ...headers }, String(body))).status).toBe(202);
    await broker.idle();
    expect(up.received).toHaveLength(1);
    expect(down.received).toHaveLength(3);
  });

  it.each([
    ['no CloudEvent at all', { 'content-type': 'application/json' }, '{"a":1}'],
    ['a binary event without a source', { 'ce-specversion': '1.0', 'ce-id': 'x', 'ce-type': 't', 'content-type': 'application/json' }, '{}'],
    ['a structured event that is not JSON', { 'content-type': 'application/cloudevents+json' }, '{"id":'],
    ['a batch', { 'content-type': 'application/cloudevents-batch+json' }, JSON.stringify([sampleEvent().toJSON()])],
  ])('answers 400 with reasons for %s', async (_what, headers, body) => {
    const { url } = await start([]);
    const response = await post(url, headers, body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { reasons: string[] };
    expect(answer.reasons.length).toBeGreaterThan(0);
  });

  it('answers 503 and queues nothing when a matching Trigger queue is full', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = await subscriber();
    const deliverer = createDeliverer({ dataDir, logger: silentLogger, post: async (url, message, options) => (await gate, httpPost(url, message, options)) });
    const broker = createBroker({ namespace: 'movierec', name: 'default', triggers: [trigger('slow', slow, {})], deliverer, logger: silentLogger, queueLimit: 1 });
    expect(broker.publish(sampleEvent({ id: 'a' }))).toBe(true);
    expect(broker.publish(sampleEvent({ id: 'b' }))).toBe(false);
    expect(broker.pending()).toBe(1);
    release();
    await broker.idle();
    expect(slow.received.map((r) => r.headers['ce-id'])).toEqual(['a']);
  });

  it('leaves other paths and methods alone', async () => {
    const { url } = await start([]);
    expect((await fetch(url)).status).toBe(405);
    expect((await post(url.replace('/default', '/other'), {}, '')).status).toBe(404);
  });
});

describe('decodeIncoming', () => {
  it('keeps extensions and text data of a binary event', () => {
    const { headers, body } = binaryMessage(sampleEvent({ datacontenttype: 'text/plain', data: 'a line', key: '42' }));
    const decoded = decodeIncoming(headers, Buffer.from(body));
    expect(decoded).toMatchObject({ ok: true, event: { key: '42', data: 'a line' } });
  });
});
