// The function as registered by index.ts, with EVENTS_URI an s3:// prefix on a real S3-API server (s3rver):
// a 204 means the records are durable in object storage, where train reads them.
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalS3 } from '../../lib/artifacts/test-helpers/s3-server.js';
import { S3RVER_CREDENTIALS, startLocalS3 } from '../../lib/artifacts/test-helpers/s3-server.js';
import { readInteractions } from '../../lib/events/read-interactions.js';
import { S3EventsStorage } from '../../lib/events/s3-events-storage.js';
import { encodeBatch } from '../../lib/messaging/cloud-event-batch.js';
import { encodeEvent } from '../../lib/messaging/cloud-event-codec.js';
import { withEnv } from './test-helpers/env.js';
import { MALFORMED, RATE, WATCH, kafkaEvent, storedRecords } from './test-helpers/ingest-fixtures.js';

let s3: LocalS3;
let restoreEnv: () => void;

beforeAll(async () => {
  s3 = await startLocalS3(['events']);
  restoreEnv = withEnv({
    EVENTS_URI: 's3://events/movierec',
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    APPENDED_EVERY_MS: '0',
    LOG_LEVEL: 'OFF',
  });
  await import('./index.js');
});

afterAll(async () => {
  restoreEnv();
  await s3.close();
});

describe('ingest with EVENTS_URI=s3://… (s3rver)', () => {
  it('answers 204 only once the records are in object storage, rejects kept with their reason', async () => {
    const { headers, body } = encodeEvent(kafkaEvent(1, WATCH), 'binary');
    expect((await request(getTestServer('ingest')).post('/').set(headers).send(body)).status).toBe(204);
    const batch = encodeBatch([kafkaEvent(2, RATE), kafkaEvent(3, MALFORMED)]);
    expect((await request(getTestServer('ingest')).post('/').set(batch.headers).send(batch.body)).status).toBe(204);

    const storage = new S3EventsStorage('s3://events/movierec', s3.settings);
    const records = await storedRecords(storage);
    expect(records.map((record) => record.kind).sort()).toEqual(['rate', 'rejects', 'watch']);
    const read = await readInteractions(storage, {});
    expect(read.records.map((record) => record.kind).sort()).toEqual(['rate', 'watch']);
  });
});
