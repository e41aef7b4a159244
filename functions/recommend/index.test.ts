// Contract: the function as registered by index.ts, served by the framework's test server.
// index.ts reads its config at import, so each file sets the environment and then imports it
// (vitest runs each test file in its own module graph); the corrupt-bundle case is in
// index-unready.test.ts for the same reason.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent } from '../../lib/messaging/cloud-event-codec.js';
import type { RecommendationServed } from '../../lib/messaging/events/recommendation-served.js';
import { RECOMMENDATION_SERVED, RecommendationServedSchema } from '../../lib/messaging/events/recommendation-served.js';
import type { TestBundle } from './test-helpers/bundle.js';
import { writeTestBundle } from './test-helpers/bundle.js';
import type { Exposition } from '../../lib/ops/test-helpers/prom-text.js';
import { parsePromText, samplesOf, valueOf } from '../../lib/ops/test-helpers/prom-text.js';
import { untilReady, withEnv } from './test-helpers/env.js';

let bundle: TestBundle;
let broker: Server;
const served: RecommendationServed[] = [];
const undecodable: string[] = [];
let restoreEnv: () => void;

beforeAll(async () => {
  bundle = await writeTestBundle();
  broker = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const decoded = decodeEvent({ headers: req.headers, body: Buffer.concat(chunks) }, RecommendationServedSchema, { type: RECOMMENDATION_SERVED });
      if (decoded.ok) served.push(decoded.data);
      else undecodable.push(...decoded.reasons);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
  restoreEnv = withEnv({
    MODEL_URI: bundle.dir,
    K_SINK: `http://127.0.0.1:${(broker.address() as AddressInfo).port}/`,
    K_REVISION: 'recommend-00001',
    SERVED_FLUSH_MS: '20',
    LOG_LEVEL: 'OFF',
  });
  await import('./index.js');
  await untilReady(getTestServer('recommend'));
});

afterAll(async () => {
  restoreEnv();
  await new Promise((resolve) => broker.close(resolve));
  await bundle.remove();
});

describe('recommend (contract)', () => {
  it('answers up to 20 unique unseen ids as text/plain, naming the model version and revision', async () => {
    const user = bundle.users[0];
    const response = await request(getTestServer('recommend')).get(`/recommend/${user}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['x-model-version']).toBe(bundle.version);
    expect(response.headers['x-revision']).toBe('recommend-00001');
    expect(response.headers['x-fallback']).toBeUndefined();
    expect(response.text).toMatch(/^[^,\s]+(,[^,\s]+){0,19}$/);
    const ids = response.text.split(',');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => bundle.seenBy(user).includes(id))).toEqual([]);
  });

  it('gives an unknown user the popular movies with X-Fallback', async () => {
    const response = await request(getTestServer('recommend')).get('/recommend/999999999999');
    expect(response.status).toBe(200);
    expect(response.headers['x-fallback']).toBe('true');
    expect(response.text).toBe(bundle.popular.slice(0, 20).join(','));
  });

  it.each([
    ['/recommend/abc', 400, 'user id must be decimal digits (got "abc")'],
    ['/recommend/-1', 400, 'user id must be decimal digits (got "-1")'],
    ['/recommend/1234567890123', 400, 'user id must be at most 12 digits (got 13)'],
    ['/recommend/1/2', 404, 'not found'],
    ['/movies', 404, 'not found'],
    ['/healthz', 200, 'ok'],
    ['/healthz/', 200, 'ok'],
    ['/recommend/1/?x=1', 200, undefined],
  ])('GET %s → %i', async (path, status, text) => {
    const response = await request(getTestServer('recommend')).get(path);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    if (text !== undefined) expect(response.text).toBe(text);
  });

  it('sends each answer as a binary-mode served CloudEvent to K_SINK, off the request path', async () => {
    const user = bundle.users[1];
    const response = await request(getTestServer('recommend')).get(`/recommend/${user}`);
    for (let i = 0; i < 300 && !served.some((s) => s.user === user); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(undecodable).toEqual([]);
    expect(served.find((s) => s.user === user)).toMatchObject({
      user,
      movies: response.text.split(','),
      modelVersion: bundle.version,
      revision: 'recommend-00001',
      fallback: false,
    });
  });

  it('exposes GET /metrics: requests and latency by revision, model version and status, fallbacks, and the model age', async () => {
    const scrape = async (): Promise<Exposition> => {
      const response = await request(getTestServer('recommend')).get('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      return parsePromText(response.text);
    };
    const self = { function: 'recommend', revision: 'recommend-00001', model_version: bundle.version };
    const all = (m: Exposition) => samplesOf(m, 'movierec_recommend_requests_total').reduce((sum, s) => sum + s.value, 0);
    const before = await scrape();
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(samplesOf(before, name, { function: 'recommend', revision: 'recommend-00001' })).toHaveLength(1);
    }
    // Neither /metrics nor /healthz is a recommend request.
    await request(getTestServer('recommend')).get('/healthz');
    expect(all(await scrape())).toBe(all(before));

    await request(getTestServer('recommend')).get(`/recommend/${bundle.users[2]}`);
    await request(getTestServer('recommend')).get('/recommend/999999999998');
    await request(getTestServer('recommend')).get('/recommend/abc');
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) => valueOf(after, name, { ...self, ...labels }) - valueOf(before, name, { ...self, ...labels });
    expect(moved('movierec_recommend_requests_total', { status: '200' })).toBe(2);
    expect(moved('movierec_recommend_requests_total', { status: '400' })).toBe(1);
    expect(moved('movierec_recommend_requests_total', { status: '500' })).toBe(0);
    expect(all(after) - all(before)).toBe(3);
    expect(moved('movierec_recommend_request_duration_seconds_count', { status: '200' })).toBe(2);
    expect(moved('movierec_recommend_request_duration_seconds_bucket', { status: '200', le: '+Inf' })).toBe(2);
    expect(moved('movierec_recommend_fallback_total', {})).toBe(1);
    expect(samplesOf(after, 'movierec_model_created_timestamp_seconds').map((s) => [s.labels, s.value])).toEqual([
      [{ ...self, algorithm: 'svd' }, Date.parse('2026-11-26T10:15:00.000Z') / 1000],
    ]);
  });
});
