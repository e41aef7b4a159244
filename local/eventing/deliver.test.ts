import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/ops/logger.js';
import { deadLetterPath } from './dead-letter-file.js';
import type { DeliveryTarget, Sleep } from './deliver.js';
import { createDeliverer } from './deliver.js';
import type { RetryPolicy } from './delivery-spec.js';
import { BATCH_CONTENT_TYPE } from './event-message.js';
import { sampleEvent } from './test-helpers/events.js';
import type { Answer, SubscriberServer } from './test-helpers/subscriber-server.js';
import { startSubscriber } from './test-helpers/subscriber-server.js';

const policy: RetryPolicy = { retry: 5, backoffPolicy: 'exponential', backoffDelayMs: 200 };
const target = (server: SubscriberServer, path = '/'): DeliveryTarget => ({ name: `test${path}`, url: () => `${server.url}${path}` });

describe('createDeliverer', () => {
  let dataDir: string;
  const servers: SubscriberServer[] = [];
  const sleeps: number[] = [];
  const sleep: Sleep = async (ms) => void sleeps.push(ms);
  const serve = async (answer?: (index: number) => Answer) => {
    const server = await startSubscriber(answer === undefined ? undefined : (_request, index) => answer(index));
    servers.push(server);
    return server;
  };
  const deliverer = () => createDeliverer({ dataDir, logger: silentLogger, sleep });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'movierec-deliver-'));
    sleeps.length = 0;
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('retries a 500 and delivers on the 200: two attempts, one backoff of backoffDelay', async () => {
    const subscriber = await serve((i) => ({ status: i === 0 ? 500 : 200 }));
    const d = deliverer();
    const result = await d.deliver({ events: [sampleEvent()], batch: false, subscriber: target(subscriber), policy });
    expect(result).toEqual({ outcome: 'delivered', attempts: 2, status: 200 });
    expect(sleeps).toEqual([200]);
    expect(subscriber.received).toHaveLength(2);
    expect(subscriber.received[1].headers).toMatchObject({ 'ce-id': 'e-1', 'ce-type': 'io.movierec.model.trained.v1', 'content-type': 'application/json' });
    expect(d.log.snapshot()).toMatchObject({ delivered: 1, retried: 1, deadLettered: 0, last: [{ id: 'e-1', status: 200, attempts: 2, outcome: 'delivered' }] });
  });

  it('does not retry a 400 and dead-letters the event with knativeerror* extensions', async () => {
    const subscriber = await serve(() => ({ status: 400, body: 'bad movie id' }));
    const sink = await serve();
    const d = deliverer();
    const result = await d.deliver({ events: [sampleEvent()], batch: false, subscriber: target(subscriber, '/in'), deadLetterSink: target(sink, '/dead-letter'), policy });
    expect(result).toEqual({ outcome: 'dead-lettered', attempts: 1, status: 400 });
    expect(sleeps).toEqual([]);
    const [dead] = sink.events();
    expect(sink.received[0].path).toBe('/dead-letter');
    expect(dead).toMatchObject({ id: 'e-1', knativeerrorcode: '400', knativeerrordest: `${subscriber.url}/in` });
    expect(Buffer.from(String(dead.knativeerrordata), 'base64').toString()).toBe('bad movie id');
    expect(d.log.snapshot()).toMatchObject({ delivered: 0, deadLettered: 1 });
  });

  it.each([404, 408, 409, 429, 503])('retries %i until the retries run out', async (status) => {
    const subscriber = await serve(() => ({ status }));
    const sink = await serve();
    const result = await deliverer().deliver({ events: [sampleEvent()], batch: false, subscriber: target(subscriber), deadLetterSink: target(sink), policy: { ...policy, retry: 2 } });
    expect(result).toEqual({ outcome: 'dead-lettered', attempts: 3, status });
    expect(sleeps).toEqual([200, 400]);
  });

  it('appends to dead-letter.jsonl what the dead-letter sink refuses too, and what has no sink', async () => {
    const subscriber = await serve(() => ({ status: 500 }));
    const sink = await serve(() => ({ status: 400 }));
    const d = deliverer();
    const one = await d.deliver({ events: [sampleEvent()], batch: false, subscriber: target(subscriber), deadLetterSink: target(sink), policy: { retry: 1 } });
    const two = await d.deliver({ events: [sampleEvent({ id: 'e-2' })], batch: false, subscriber: target(subscriber), policy: { retry: 0 } });
    expect([one.outcome, two.outcome]).toEqual(['dead-letter-file', 'dead-letter-file']);
    const lines = (await readFile(deadLetterPath(dataDir), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { reason: expect.stringMatching(/^dead-letter sink .* answered 400/), status: 500, attempts: 2, event: { id: 'e-1', knativeerrorcode: '500' } },
      { reason: expect.stringMatching(/^no dead-letter sink/), status: 500, attempts: 1, event: { id: 'e-2' } },
    ]);
  });

  it('counts no answer as status 0, retried, and dead-letters it as code 500 with the dispatch error', async () => {
    const sink = await serve();
    const gone = { name: 'gone', url: () => 'http://127.0.0.1:1/' };
    const result = await deliverer().deliver({ events: [sampleEvent()], batch: false, subscriber: gone, deadLetterSink: target(sink), policy: { retry: 1 } });
    expect(result).toMatchObject({ outcome: 'dead-lettered', attempts: 2, status: 0 });
    const [dead] = sink.events();
    expect(dead.knativeerrorcode).toBe('500');
    expect(Buffer.from(String(dead.knativeerrordata), 'base64').toString()).toMatch(/^dispatch error: /);
  });

  it('sends a batch as one application/cloudevents-batch+json request', async () => {
    const subscriber = await serve();
    const events = [sampleEvent({ id: 'a' }), sampleEvent({ id: 'b', datacontenttype: 'text/plain', data: 'a line' })];
    const d = deliverer();
    await d.deliver({ events, batch: true, subscriber: target(subscriber), policy });
    expect(subscriber.received).toHaveLength(1);
    expect(subscriber.received[0].headers['content-type']).toBe(BATCH_CONTENT_TYPE);
    expect(subscriber.events().map((e) => [e.id, e.data])).toEqual([['a', { version: 'svd-1' }], ['b', 'a line']]);
    expect(d.log.snapshot()).toMatchObject({ delivered: 2, last: [{ id: 'a', count: 2 }] });
  });

  it('stops retrying once stopped: the outcome is aborted and nothing is dead-lettered', async () => {
    const subscriber = await serve(() => ({ status: 503 }));
    const stop = new AbortController();
    const d = createDeliverer({ dataDir, logger: silentLogger, signal: stop.signal, sleep: async () => stop.abort() });
    const result = await d.deliver({ events: [sampleEvent()], batch: false, subscriber: target(subscriber), policy });
    expect(result).toEqual({ outcome: 'aborted', attempts: 1, status: 503 });
    expect(d.log.snapshot()).toMatchObject({ delivered: 0, deadLettered: 0 });
  });

  it('waits for a subscriber without an address, as for a failed attempt', async () => {
    let url: string | undefined;
    const subscriber = await serve();
    const late = { name: 'late', url: () => url };
    const d = createDeliverer({ dataDir, logger: silentLogger, sleep: async () => void (url = subscriber.url) });
    await expect(d.deliver({ events: [sampleEvent()], batch: false, subscriber: late, policy })).resolves.toMatchObject({ outcome: 'delivered', attempts: 2 });
  });
});
