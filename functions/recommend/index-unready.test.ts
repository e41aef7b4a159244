// Contract: a corrupt bundle keeps the registered function unready (see index.test.ts for the set-up choice).
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBundle } from './test-helpers/bundle.js';
import { corruptBundle, writeTestBundle } from './test-helpers/bundle.js';
import { untilLoadSettles, withEnv } from './test-helpers/env.js';

let bundle: TestBundle;
let restoreEnv: () => void;

beforeAll(async () => {
  bundle = await writeTestBundle();
  await corruptBundle(bundle.dir);
  restoreEnv = withEnv({ MODEL_URI: bundle.dir, LOG_LEVEL: 'OFF' });
  await import('./index.js');
});

afterAll(async () => {
  restoreEnv();
  await bundle.remove();
});

describe('recommend with a corrupt bundle (contract)', () => {
  it('reports 503 on /healthz and /recommend after the load fails', async () => {
    const server = getTestServer('recommend');
    expect(await untilLoadSettles(server)).toEqual({ status: 503, text: 'failed' });
    const response = await request(server).get('/recommend/1');
    expect(response.status).toBe(503);
    expect(response.text).toBe('model unavailable');
  });
});
