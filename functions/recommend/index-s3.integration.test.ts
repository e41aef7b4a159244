// The function as registered by index.ts, with MODEL_URI an s3:// bundle on a real S3-API server (s3rver),
// configured only through the environment a Knative revision would get (credentials via the SDK's chain).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../lib/artifacts/s3-blob-store.js';
import type { LocalS3 } from '../../lib/artifacts/test-helpers/s3-server.js';
import { S3RVER_CREDENTIALS, startLocalS3 } from '../../lib/artifacts/test-helpers/s3-server.js';
import type { TestBundle } from './test-helpers/bundle.js';
import { writeTestBundle } from './test-helpers/bundle.js';
import { untilReady, withEnv } from './test-helpers/env.js';

let s3: LocalS3;
let bundle: TestBundle;
let restoreEnv: () => void;
const uri = () => `s3://models/svd/${bundle.version}`;

beforeAll(async () => {
  s3 = await startLocalS3(['models']);
  bundle = await writeTestBundle();
  const store = new S3BlobStore(uri(), s3.settings);
  for (const name of await readdir(bundle.dir)) await store.put(name, await readFile(join(bundle.dir, name)));
  restoreEnv = withEnv({
    MODEL_URI: uri(),
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    K_REVISION: 'recommend-00007',
    LOG_LEVEL: 'OFF',
  });
  await import('./index.js');
  await untilReady(getTestServer('recommend'));
});

afterAll(async () => {
  restoreEnv();
  await bundle.remove();
  await s3.close();
});

describe('recommend with MODEL_URI=s3://… (s3rver)', () => {
  it('loads the bundle from object storage and answers the course contract', async () => {
    const user = bundle.users[0];
    const response = await request(getTestServer('recommend')).get(`/recommend/${user}`);
    expect(response.status).toBe(200);
    const movies = response.text.split(',');
    expect(movies).toHaveLength(20);
    expect(movies.filter((movie) => bundle.seenBy(user).includes(movie))).toEqual([]);
  });
});
