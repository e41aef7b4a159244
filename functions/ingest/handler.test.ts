import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudEvent } from 'cloudevents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventsWriter } from '../../lib/events/events-writer.js';
import { FsEventsStorage } from '../../lib/events/fs-events-storage.js';
import type { StoredRecord } from '../../lib/events/stored-record.js';
import { encodeBatch } from '../../lib/messaging/cloud-event-batch.js';
import type { Encoding } from '../../lib/messaging/cloud-event-codec.js';
import { encodeEvent } from '../../lib/messaging/cloud-event-codec.js';
import { memoryLogger } from '../../lib/ops/logger.js';
import { createMetricsRegistry } from '../../lib/ops/metrics.js';
import { AppendedCounter } from './appended-report.js';
import { IngestMetrics } from './ingest-metrics.js';
import type { IngestDeps, IngestResponse } from './handler.js';
import { handleIngest, ingestHttp } from './handler.js';
import {
  GatedStorage,
  KAFKA_SOURCE,
  MALFORMED,
  RATE,
  REQUEST,
  WATCH,
  kafkaEvent,
  servedData,
  servedEvent,
  storedRecords,
  tempFolder,
  until,
} from './test-helpers/ingest-fixtures.js';

const RECEIVED = Date.parse('2026-11-26T10:15:01.000Z');

let root: string;
let cleanup: () => Promise<void>;
let storage: GatedStorage;
let writer: EventsWriter;
let counter: AppendedCounter;
let log: ReturnType<typeof memoryLogger>;
let deps: IngestDeps;

beforeEach(async () => {
  ({ root, cleanup } = await tempFolder());
  storage = new GatedStorage(new FsEventsStorage(root));
  writer = new EventsWriter(storage);
  counter = new AppendedCounter(() => new Date('2026-11-26T10:15:00.000Z'));
  log = memoryLogger('WARNING');
  deps = { writer, counter, metrics: new IngestMetrics(createMetricsRegistry({ defaults: false })), logger: log.logger, now: () => RECEIVED };
});

afterEach(async () => {
  storage.release();
  await writer.close();
  await cleanup();
});

const post = (message: { headers: Record<string, string>; body: string }, path = '/') =>
  handleIngest({ method: 'POST', path, headers: message.headers, body: message.body }, deps);
const send = (event: CloudEvent<unknown>, encoding: Encoding = 'binary', path = '/') => post(encodeEvent(event, encoding), path);

const lineOf = (record: StoredRecord) => ('line' in record ? record.line : undefined);
const durable: Partial<IngestResponse> = { status: 204, body: '' };

describe('ingest: the KafkaSource stream', () => {
  it('stores a course line durably, then answers 204 with no body', async () => {
    expect(await send(kafkaEvent(1, WATCH))).toMatchObject(durable);
    expect(await storedRecords(storage)).toEqual([
      { source: KAFKA_SOURCE, id: 'partition:0/offset:1', kind: 'watch', time: Date.parse('2022-03-18T06:12:47Z'), receivedAt: RECEIVED, line: WATCH },
    ]);
    expect(counter.take()).toMatchObject({ stored: { watch: 1, rate: 0, request: 0, create_account: 0, served: 0 }, duplicates: 0, rejected: 0 });
  });

  it('does not answer before the records are durable', async () => {
    storage.hold();
    let answered = false;
    const answer = send(kafkaEvent(1, WATCH)).then((response) => {
      answered = true;
      return response;
    });
    await until(() => storage.waiting === 1);
    expect(answered).toBe(false);
    storage.release();
    expect(await answer).toMatchObject(durable);
  });

  it('stores ids in their canonical spelling', async () => {
    await send(kafkaEvent(1, '2022-03-18T06:12:47,00326332,GET /data/m/howl%27s+moving+castle+2004/054.mpg'));
    expect((await storedRecords(storage)).map(lineOf)).toEqual(["2022-03-18T06:12:47,326332,GET /data/m/howl's+moving+castle+2004/54.mpg"]);
  });

  it('keeps a malformed line with its reason, logs it with the event id, and acknowledges it', async () => {
    expect(await send(kafkaEvent(9, MALFORMED))).toMatchObject(durable);
    expect(await storedRecords(storage)).toMatchObject([
      { kind: 'rejects', id: 'partition:0/offset:9', source: KAFKA_SOURCE, reason: 'bad-timestamp', line: MALFORMED, time: RECEIVED },
    ]);
    expect(log.lines).toMatchObject([{ severity: 'WARNING', message: 'rejected an event; kept with its reason', id: 'partition:0/offset:9', reason: 'bad-timestamp' }]);
    expect(counter.take()).toMatchObject({ rejected: 1, stored: { watch: 0 } });
  });

  it('keeps 2026-edition ratings (1–10) and rejects a rating past 10', async () => {
    await send(kafkaEvent(1, '2026-01-05T10:00:00,7,GET /rate/heat+1995=9'));
    await send(kafkaEvent(2, '2026-01-05T10:00:00,7,GET /rate/heat+1995=15'));
    expect((await storedRecords(storage)).map((r) => [r.kind, 'reason' in r ? r.reason : lineOf(r)])).toEqual([
      ['rate', '2026-01-05T10:00:00,7,GET /rate/heat+1995=9'],
      ['rejects', 'rating-out-of-range'],
    ]);
  });

  it('stores a redelivered record once and counts the copy as a duplicate', async () => {
    await send(kafkaEvent(1, WATCH));
    expect(await send(kafkaEvent(1, WATCH), 'structured')).toMatchObject(durable);
    expect(await storedRecords(storage)).toHaveLength(1);
    expect(counter.take()).toMatchObject({ stored: { watch: 1 }, duplicates: 1 });
  });

  it('takes a batch: every kind to its own segment, a bad element rejected alone, a redelivered batch adding nothing', async () => {
    const good = [kafkaEvent(1, WATCH), kafkaEvent(2, RATE), kafkaEvent(3, REQUEST), kafkaEvent(4, MALFORMED)];
    const message = encodeBatch(good);
    const body = JSON.stringify([...(JSON.parse(message.body) as unknown[]), { type: 'dev.knative.kafka.event', data: WATCH }]);
    const batch = { headers: message.headers, body };
    expect(await post(batch)).toMatchObject(durable);
    expect(await post(batch)).toMatchObject(durable);
    const records = await storedRecords(storage);
    expect(records.map((r) => [r.kind, r.id])).toEqual([
      ['watch', 'partition:0/offset:1'],
      ['rate', 'partition:0/offset:2'],
      ['request', 'partition:0/offset:3'],
      ['rejects', 'partition:0/offset:4'],
      ['rejects', expect.stringMatching(/^sha256:[0-9a-f]{64}$/)],
    ]);
    expect(records[4]).toMatchObject({ source: '/movierec/ingest', reason: 'bad-envelope', detail: 'not a valid CloudEvent: specversion: required; id: required; source: required' });
    expect(counter.take()).toMatchObject({ stored: { watch: 1, rate: 1, request: 1 }, rejected: 2, duplicates: 5 });
  });
});

describe('ingest: served recommendations', () => {
  it.each(['binary', 'structured'] as const)('stores a %s-mode served event under the day it was served', async (encoding) => {
    expect(await send(servedEvent('s-1'), encoding)).toMatchObject(durable);
    expect(await storedRecords(storage)).toEqual([
      { source: '/movierec/recommend', id: 's-1', kind: 'served', time: Date.parse('2026-11-26T10:15:00.000Z'), receivedAt: RECEIVED, data: servedData() },
    ]);
  });

  it('keeps served data that fails its schema as a bad-payload reject', async () => {
    await send(servedEvent('s-2', { ...servedData(), user: 'abc' }));
    expect(await storedRecords(storage)).toMatchObject([
      { kind: 'rejects', id: 's-2', reason: 'bad-payload', detail: 'user: expected 1 to 12 decimal digits', line: expect.stringContaining('"user":"abc"') },
    ]);
  });

  it('keeps an event of a type it does not take as unexpected-type', async () => {
    const other = servedEvent('t-1');
    await send(other.cloneWith({ type: 'io.movierec.model.trained.v1' }));
    expect(await storedRecords(storage)).toMatchObject([{ kind: 'rejects', id: 't-1', reason: 'unexpected-type' }]);
  });
});

describe('ingest: the dead-letter sink', () => {
  it('stores the whole undelivered event with the error Knative attached, and logs it', async () => {
    const failed = servedEvent('s-9').cloneWith({ knativeerrorcode: '503', knativeerrordest: 'http://ingest.movierec.svc.cluster.local', knativeerrordata: 'dW5hdmFpbGFibGU=' });
    expect(await send(failed, 'binary', '/dead-letter/')).toMatchObject(durable);
    const [record] = await storedRecords(storage);
    expect(record).toMatchObject({ kind: 'dead_letter', source: '/movierec/recommend', id: 's-9', type: 'io.movierec.recommendation.served.v1', time: Date.parse('2026-11-26T10:15:00.010Z') });
    expect(record.kind === 'dead_letter' ? record.event : {}).toMatchObject({ data: servedData(), knativeerrorcode: '503', knativeerrordata: 'dW5hdmFpbGFibGU=' });
    expect(log.lines).toMatchObject([{ message: 'stored a dead letter', id: 's-9', errorCode: '503', errorDestination: 'http://ingest.movierec.svc.cluster.local' }]);
    expect(counter.take()).toBeUndefined(); // dead letters are not data
  });
});

describe('ingest: failures', () => {
  it('answers 503 while the store fails, counts nothing, and stores the redelivery once it recovers', async () => {
    storage.failing = true;
    const response = await send(kafkaEvent(1, WATCH));
    expect(response).toMatchObject({ status: 503, body: 'events store unavailable' });
    expect(response.body).not.toContain('EIO');
    expect(log.lines).toMatchObject([{ severity: 'ERROR', message: 'events store unavailable; answering 503 for redelivery' }]);
    expect(counter.take()).toBeUndefined();
    storage.failing = false;
    expect(await send(kafkaEvent(1, WATCH))).toMatchObject(durable);
    expect((await storedRecords(storage)).map(lineOf)).toEqual([WATCH]);
  });

  it('answers 400 with the reason when nothing in the request is a CloudEvent, storing nothing', async () => {
    const response = await post({ headers: { 'content-type': 'text/plain' }, body: WATCH });
    expect(response).toMatchObject({ status: 400, body: 'not a valid CloudEvent: no ce-specversion header' });
    expect(await storedRecords(storage)).toEqual([]);
  });

  it.each([
    ['GET', '/healthz', 200, 'ok'],
    ['HEAD', '/healthz/', 200, 'ok'],
    ['POST', '/healthz', 405, 'method not allowed'],
    ['GET', '/', 405, 'method not allowed'],
    ['PUT', '/dead-letter', 405, 'method not allowed'],
    ['POST', '/events', 404, 'not found'],
    ['POST', '/constructor', 404, 'not found'],
  ])('%s %s → %i', async (method, path, status, body) => {
    expect(await handleIngest({ method, path, headers: {}, body: '' }, deps)).toMatchObject({ status, body });
  });
});

describe('GET /stats', () => {
  it('counts what this process stored, its duplicates and its rejects by reason', async () => {
    const withStats: IngestDeps = { ...deps, stats: () => writer.stats() };
    await handleIngest({ method: 'POST', path: '/', ...encodeEvent(kafkaEvent(1, WATCH), 'binary') }, withStats);
    await handleIngest({ method: 'POST', path: '/', ...encodeEvent(kafkaEvent(1, WATCH), 'binary') }, withStats);
    await handleIngest({ method: 'POST', path: '/', ...encodeEvent(kafkaEvent(2, MALFORMED), 'binary') }, withStats);
    const response = await handleIngest({ method: 'GET', path: '/stats', headers: {}, body: '' }, withStats);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ records: 2, duplicates: 1, rejected: 1, rejectsByReason: { 'bad-timestamp': 1 } });
    expect((await handleIngest({ method: 'POST', path: '/stats', headers: {}, body: '' }, withStats)).status).toBe(405);
    expect((await handleIngest({ method: 'GET', path: '/stats', headers: {}, body: '' }, deps)).status).toBe(404);
  });
});

describe('ingestHttp on a plain Node server (no framework has read the body)', () => {
  it('reads the body itself: 204 once durable, 413 past the limit, storing nothing of it', async () => {
    const server = createServer(ingestHttp(deps, { maxBodyBytes: 1024 }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const { headers, body } = encodeEvent(kafkaEvent(1, WATCH), 'binary');
      const stored = await fetch(url, { method: 'POST', headers, body });
      expect([stored.status, await stored.text()]).toEqual([204, '']);
      const large = await fetch(url, { method: 'POST', headers, body: WATCH.repeat(20) });
      expect([large.status, await large.text()]).toEqual([413, 'request body over 1024 bytes']);
      expect((await storedRecords(storage)).map(lineOf)).toEqual([WATCH]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
