// Contract: the function as registered by index.ts, served by the framework's test server
// (index.ts reads its config at import, so the environment is set first).
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsEventsStorage } from '../../lib/events/fs-events-storage.js';
import { BATCH_CONTENT_TYPE, encodeBatch } from '../../lib/messaging/cloud-event-batch.js';
import { decodeEvent, encodeEvent } from '../../lib/messaging/cloud-event-codec.js';
import type { DataAppended } from '../../lib/messaging/events/data-appended.js';
import { DATA_APPENDED, DataAppendedSchema } from '../../lib/messaging/events/data-appended.js';
import type { Exposition } from '../../lib/ops/test-helpers/prom-text.js';
import { parsePromText, samplesOf, valueOf } from '../../lib/ops/test-helpers/prom-text.js';
import { withEnv } from './test-helpers/env.js';
import { MALFORMED, RATE, REQUEST, WATCH, kafkaEvent, servedEvent, storedRecords, tempFolder, until } from './test-helpers/ingest-fixtures.js';

let folder: { root: string; cleanup: () => Promise<void> };
let storage: FsEventsStorage;
let broker: Server;
const appended: DataAppended[] = [];
let restoreEnv: () => void;

beforeAll(async () => {
  folder = await tempFolder();
  storage = new FsEventsStorage(folder.root);
  broker = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const decoded = decodeEvent({ headers: req.headers, body: Buffer.concat(chunks) }, DataAppendedSchema, { type: DATA_APPENDED });
      if (decoded.ok) appended.push(decoded.data);
      res.writeHead(decoded.ok ? 202 : 400).end();
    });
  });
  await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
  restoreEnv = withEnv({
    EVENTS_URI: folder.root,
    K_SINK: `http://127.0.0.1:${(broker.address() as AddressInfo).port}/`,
    APPENDED_EVERY_MS: '20',
    K_REVISION: 'ingest-00002',
    LOG_LEVEL: 'OFF',
  });
  await import('./index.js');
});

afterAll(async () => {
  restoreEnv();
  await new Promise((resolve) => broker.close(resolve));
  await folder.cleanup();
});

const server = () => getTestServer('ingest');
const lines = async () => (await storedRecords(storage)).map((r) => ('line' in r ? r.line : r.kind));

describe('ingest (contract)', () => {
  it('is healthy', async () => {
    const response = await request(server()).get('/healthz');
    expect([response.status, response.text]).toEqual([200, 'ok']);
  });

  it('stores a binary-mode KafkaSource record, as text or as bytes, answering 204', async () => {
    const { headers, body } = encodeEvent(kafkaEvent(1, WATCH), 'binary');
    expect((await request(server()).post('/').set(headers).send(body)).status).toBe(204);
    const { 'content-type': _type, ...untyped } = encodeEvent(kafkaEvent(2, RATE), 'binary').headers;
    expect((await request(server()).post('/').set(untyped).send(Buffer.from(RATE))).status).toBe(204);
    expect(await lines()).toEqual(expect.arrayContaining([WATCH, RATE]));
  });

  it('stores a KafkaSource batch, rejects kept with their reason', async () => {
    const { headers, body } = encodeBatch([kafkaEvent(3, REQUEST), kafkaEvent(4, MALFORMED)]);
    expect(headers['content-type']).toContain(BATCH_CONTENT_TYPE);
    const response = await request(server()).post('/').set(headers).send(body);
    expect([response.status, response.text]).toEqual([204, '']);
    const records = await storedRecords(storage);
    expect(records.find((r) => r.id === 'partition:0/offset:3')).toMatchObject({ kind: 'request', line: REQUEST });
    expect(records.find((r) => r.id === 'partition:0/offset:4')).toMatchObject({ kind: 'rejects', reason: 'bad-timestamp', line: MALFORMED });
  });

  it.each(['binary', 'structured'] as const)('stores a %s-mode served event from the Trigger', async (encoding) => {
    const { headers, body } = encodeEvent(servedEvent(`served-${encoding}`), encoding);
    expect((await request(server()).post('/').set(headers).send(body)).status).toBe(204);
    expect((await storedRecords(storage)).find((r) => r.id === `served-${encoding}`)).toMatchObject({ kind: 'served', data: { user: '326332' } });
  });

  it('stores what the Broker dead-letters', async () => {
    const { headers, body } = encodeEvent(servedEvent('lost-1').cloneWith({ knativeerrorcode: '500' }), 'binary');
    expect((await request(server()).post('/dead-letter').set(headers).send(body)).status).toBe(204);
    expect((await storedRecords(storage)).find((r) => r.id === 'lost-1')).toMatchObject({ kind: 'dead_letter' });
  });

  it('answers 400 to a request that is no CloudEvent', async () => {
    const response = await request(server()).post('/').set('content-type', 'text/plain').send(WATCH);
    expect([response.status, response.text]).toEqual([400, 'not a valid CloudEvent: no ce-specversion header']);
  });

  it('reports what it stored as io.movierec.data.appended.v1 events at K_SINK', async () => {
    await until(() => appended.reduce((sum, a) => sum + (a.stored.watch ?? 0), 0) >= 1, 'a data.appended event');
    const total = (pick: (a: DataAppended) => number) => appended.reduce((sum, a) => sum + pick(a), 0);
    await until(() => total((a) => a.stored.served ?? 0) === 2 && total((a) => a.rejected) === 1, 'every count reported');
    expect({ watch: total((a) => a.stored.watch), rate: total((a) => a.stored.rate), request: total((a) => a.stored.request) }).toEqual({ watch: 1, rate: 1, request: 1 });
  });

  it('exposes GET /metrics: process metrics, lines by kind and outcome, rejects by reason, commit latency and lag', async () => {
    const scrape = async (): Promise<Exposition> => {
      const response = await request(server()).get('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      return parsePromText(response.text);
    };
    const self = { function: 'ingest', revision: 'ingest-00002' };
    const lines = (m: Exposition, kind: string, outcome: string) => valueOf(m, 'movierec_ingest_lines_total', { ...self, kind, outcome });
    const before = await scrape();
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(samplesOf(before, name, self)).toHaveLength(1);
    }

    // A watch line, its redelivered copy, and a malformed line (bad-timestamp) in one batch; then the copy again alone.
    const watch = kafkaEvent(100, WATCH);
    const { headers, body } = encodeBatch([watch, kafkaEvent(101, MALFORMED)]);
    expect((await request(server()).post('/').set(headers).send(body)).status).toBe(204);
    const again = encodeEvent(watch, 'binary');
    expect((await request(server()).post('/').set(again.headers).send(again.body)).status).toBe(204);

    const after = await scrape();
    const moved = (kind: string, outcome: string) => lines(after, kind, outcome) - lines(before, kind, outcome);
    expect({ stored: moved('watch', 'stored'), duplicate: moved('watch', 'duplicate'), rejected: moved('rejects', 'rejected') }).toEqual({
      stored: 1,
      duplicate: 1,
      rejected: 1,
    });
    const rejects = (m: Exposition) => samplesOf(m, 'movierec_ingest_rejects_total', { ...self, reason: 'bad-timestamp' }).reduce((sum, s) => sum + s.value, 0);
    expect(rejects(after) - rejects(before)).toBe(1);
    const commits = (m: Exposition) => valueOf(m, 'movierec_ingest_commit_duration_seconds_count', self);
    expect(commits(after) - commits(before)).toBe(3); // two appends (watch, rejects) for the batch, one for the copy
    expect(valueOf(after, 'movierec_ingest_commit_duration_seconds_bucket', { ...self, le: '+Inf' })).toBe(commits(after));
    // The last stored data arrived now, and the newest record in the store is the WATCH line's 2022 instant.
    const stored = valueOf(after, 'movierec_ingest_last_stored_timestamp_seconds', self);
    expect(stored).toBeGreaterThanOrEqual(valueOf(before, 'movierec_ingest_last_stored_timestamp_seconds', self));
    expect(stored).toBeLessThanOrEqual(Date.now() / 1000);
    const newest = Math.max(...(await storedRecords(storage)).filter((r) => r.kind !== 'rejects' && r.kind !== 'dead_letter').map((r) => r.time));
    expect(valueOf(after, 'movierec_ingest_lag_seconds', self)).toBeCloseTo(stored - newest / 1000, 0);
  });
});
