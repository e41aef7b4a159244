import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger, silentLogger } from '../ops/logger.js';
import { buildEvent, decodeEvent } from './cloud-event-codec.js';
import { eventSource } from './event-types.js';
import type { RecommendationServed } from './events/recommendation-served.js';
import { RECOMMENDATION_SERVED, RecommendationServedSchema } from './events/recommendation-served.js';
import type { EventSender } from './event-sender.js';
import { createEventSender } from './event-sender.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A real HTTP receiver on 127.0.0.1 that answers each request with the next status of `script` (then 202). */
async function receiver(script: number[] = []): Promise<{ url: string; received: Received[]; statuses: number[]; server: Server }> {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = script.shift() ?? 202;
      statuses.push(status);
      if (status < 300) received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/movierec/default`, received, statuses, server };
}

const served = (user: string): RecommendationServed => ({
  user,
  movies: ['a+1999', 'b+2001'],
  modelVersion: 'svd-20261126T101500.000Z-1a2b3c4d',
  revision: 'recommend-00001',
  latencyMs: 0.3,
  fallback: false,
  servedAt: '2026-11-26T10:15:00.000Z',
});
const event = (user: string) => buildEvent({ type: RECOMMENDATION_SERVED, source: eventSource('recommend'), data: served(user) });

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setUp(script: number[], options: { batchSize?: number; flushMs?: number; maxAttempts?: number } = {}) {
  const sink = await receiver(script);
  const log = memoryLogger('WARNING');
  const sender: EventSender = createEventSender({
    sink: sink.url,
    batchSize: options.batchSize ?? 3,
    flushMs: options.flushMs ?? 3_600_000,
    logger: log.logger,
    baseDelayMs: 1,
    maxDelayMs: 5,
    maxAttempts: options.maxAttempts ?? 4,
  });
  cleanups.push(async () => {
    await sender.close();
    await new Promise((resolve) => sink.server.close(resolve));
  });
  return { ...sink, sender, lines: log.lines };
}

describe('createEventSender', () => {
  it('posts binary-mode served CloudEvents that decode with valid data', async () => {
    const { sender, received } = await setUp([]);
    sender.enqueue(event('1'));
    await sender.flush();
    expect(received).toHaveLength(1);
    expect(received[0].headers['ce-type']).toBe(RECOMMENDATION_SERVED);
    expect(received[0].headers['content-type']).toBe('application/json');
    const decoded = decodeEvent(received[0], RecommendationServedSchema, { type: RECOMMENDATION_SERVED });
    expect(decoded).toMatchObject({ ok: true, data: served('1'), event: { source: '/movierec/recommend' } });
  });

  it('holds events until a batch is full, then sends the batch', async () => {
    const { sender, received } = await setUp([], { batchSize: 3 });
    sender.enqueue(event('1'));
    sender.enqueue(event('2'));
    expect(sender.stats().queued).toBe(2);
    sender.enqueue(event('3'));
    expect(sender.stats().queued).toBe(0);
    await until(() => received.length === 3);
    expect(received.map((r) => (JSON.parse(r.body) as RecommendationServed).user).sort()).toEqual(['1', '2', '3']);
  });

  it('flushes a partial batch on its timer', async () => {
    const { sender, received } = await setUp([], { batchSize: 100, flushMs: 20 });
    sender.enqueue(event('7'));
    await until(() => received.length === 1);
    expect(sender.stats()).toMatchObject({ sent: 1, queued: 0 });
  });

  it('retries 5xx until a 2xx', async () => {
    const { sender, received, statuses } = await setUp([503, 500]);
    sender.enqueue(event('1'));
    await sender.flush();
    expect(statuses).toEqual([503, 500, 202]);
    expect(received).toHaveLength(1);
    expect(sender.stats()).toMatchObject({ sent: 1, retried: 2, dropped: 0 });
  });

  it('drops after the last attempt, and a 4xx at once, counting and logging once per flush', async () => {
    const { sender, statuses, lines } = await setUp([500, 500, 400], { maxAttempts: 2 });
    sender.enqueue(event('1'));
    await sender.flush();
    sender.enqueue(event('2'));
    await sender.flush();
    expect(statuses).toEqual([500, 500, 400]);
    expect(sender.stats()).toMatchObject({ sent: 0, retried: 1, dropped: 2 });
    expect(lines.map((l) => [l.severity, l.message, l.reasons])).toEqual([
      ['WARNING', 'dropped 1 event(s)', { 'HTTP 500 after 2 attempts': 1 }],
      ['WARNING', 'dropped 1 event(s)', { 'HTTP 400': 1 }],
    ]);
  });

  it('retries network failures', async () => {
    const sink = await receiver();
    await new Promise((resolve) => sink.server.close(resolve)); // nothing listens there any more
    const sender = createEventSender({ sink: sink.url, batchSize: 10, flushMs: 3_600_000, logger: silentLogger, baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 });
    sender.enqueue(event('1'));
    await sender.close();
    expect(sender.stats()).toMatchObject({ sent: 0, retried: 2, dropped: 1 });
  });

  it('flushes on close, and drops what comes after', async () => {
    const { sender, received } = await setUp([], { batchSize: 100 });
    sender.enqueue(event('1'));
    sender.enqueue(event('2'));
    await sender.close();
    expect(received).toHaveLength(2);
    sender.enqueue(event('3'));
    expect(sender.stats()).toMatchObject({ sent: 2, dropped: 1, queued: 0 });
  });

  it('never throws from enqueue, even with nowhere to send', () => {
    const log = memoryLogger();
    const sender = createEventSender({ sink: undefined, batchSize: 1, flushMs: 10, logger: log.logger });
    sender.enqueue(event('1'));
    sender.enqueue(event('2'));
    expect(sender.stats()).toMatchObject({ dropped: 2, sent: 0 });
    expect(log.lines.map((l) => l.message)).toEqual(['no event sink (K_SINK is not set): emitted events are dropped']);
  });
});
