// Contract: the function as registered by index.ts, served by the framework's test server. index.ts
// reads its config at import, so the environment is set first (each test file has its own module graph).
// The events store holds a small synthetic world written as course lines through EventsWriter; a tiny
// 127.0.0.1 server stands in for the Broker.
import type { Server } from 'node:http';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServingModel } from '../../lib/artifacts/model-bundle.js';
import { ModelTrainedSchema } from '../../lib/messaging/events/model-trained.js';
import { DAY_MS, smallWorld, tempDir, writeTestParams, writeWorld } from '../../lib/training/test-helpers/training-fixtures.js';
import type { TestBroker } from './test-helpers/broker.js';
import { startBroker, until } from './test-helpers/broker.js';
import { parsePromText, samplesOf, valueOf } from '../../lib/ops/test-helpers/prom-text.js';
import { untilIdle, withEnv } from './test-helpers/env.js';
import { dataAppended, ping, retrainRequested } from './test-helpers/events.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let broker: TestBroker;
let server: Server;
let restoreEnv: () => void;
const world = smallWorld(Date.now() - 5 * DAY_MS);
const startedAt = Date.now();

beforeAll(async () => {
  tmp = await tempDir('train-contract');
  await writeWorld(`${tmp.dir}/events`, world);
  broker = await startBroker();
  restoreEnv = withEnv({
    EVENTS_URI: `${tmp.dir}/events`,
    MODELS_URI: `${tmp.dir}/models`,
    PARAMS_FILE: await writeTestParams(tmp.dir, { new_data_threshold: '1000', k: '20' }),
    WINDOW_DAYS: '14',
    K_SINK: broker.url,
    K_REVISION: 'train-00003',
    LOG_LEVEL: 'OFF',
  });
  await import('./index.js');
  server = getTestServer('train');
});

afterAll(async () => {
  restoreEnv();
  await broker.close();
  await tmp.remove();
});

const post = (message: { headers: Record<string, string>; body: string }) => request(server).post('/').set(message.headers).send(message.body);

describe('train (contract)', () => {
  it('answers /healthz with the trainer state', async () => {
    const response = await request(server).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', running: false, runs: 0 });
  });

  it.each(['binary', 'structured'] as const)('starts a run on a %s retrain.requested and announces a servable model', async (encoding) => {
    const before = broker.trained.length;
    const response = await post(retrainRequested({ reason: `manual-${encoding}` }, encoding));
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ run: 'started' });
    await untilIdle(server);
    await until(() => broker.trained.length > before, 'model.trained at the broker');
    expect(broker.refused).toEqual([]);

    const trained = ModelTrainedSchema.parse(broker.trained[before]);
    expect(trained.reason).toBe(`manual-${encoding}`);
    expect(trained.models.map((m) => m.algorithm)).toEqual(['svd', 'svdpp']);
    expect(trained.snapshot).toMatchObject({ interactions: world.interactions.size, users: 80 });
    expect(Date.parse(trained.snapshot.holdoutFrom ?? '')).toBeGreaterThan(Date.parse(trained.snapshot.from));
    for (const model of trained.models) {
      expect(model.bundleUri.startsWith(`${tmp.dir}/models/${model.algorithm}/`)).toBe(true);
      expect(Number.isFinite(model.metrics.rmse)).toBe(true);
      const serving = await loadServingModel(model.bundleUri);
      expect(serving.manifest.version).toBe(model.version);
      const answer = serving.recommend('1', 10);
      expect(answer).toMatchObject({ fallback: false });
      expect(answer.movies).toHaveLength(10);
    }
  });

  it("starts a run on the retrain PingSource's tick", async () => {
    const before = broker.trained.length;
    expect((await post(ping())).body).toEqual({ run: 'started' });
    await untilIdle(server);
    await until(() => broker.trained.length > before, 'model.trained at the broker');
    expect(broker.trained[before].reason).toBe('schedule');
  });

  it('counts new data and runs only once new_data_threshold watch + rate records arrived', async () => {
    const runs = (await untilIdle(server)).runs;
    const below = await post(dataAppended({ watch: 600, rate: 100, request: 5000 }));
    expect(below.status).toBe(202);
    expect(below.body).toEqual({ run: 'skipped', reason: '700 new records since the last run, below new_data_threshold 1000' });
    expect((await untilIdle(server)).runs).toBe(runs);
    expect((await post(dataAppended({ watch: 250, rate: 50 }, 'structured'))).body).toEqual({ run: 'started' });
    expect((await untilIdle(server)).runs).toBe(Number(runs) + 1);
  });

  it.each([
    ['no CloudEvent headers', { 'content-type': 'application/json' }, '{"reason":"manual"}', /^not a valid CloudEvent: /],
    [
      'an empty source',
      { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': '', 'ce-type': 'io.movierec.retrain.requested.v1', 'content-type': 'application/json' },
      '{}',
      /^not a valid CloudEvent: /,
    ],
    [
      'a type train does not take',
      { 'ce-specversion': '1.0', 'ce-id': '2', 'ce-source': '/movierec/evaluate', 'ce-type': 'io.movierec.model.trained.v1', 'content-type': 'application/json' },
      '{}',
      /^type: expected one of io\.movierec\.retrain\.requested\.v1, dev\.knative\.sources\.ping, io\.movierec\.data\.appended\.v1/,
    ],
    [
      'data.appended without counts',
      { 'ce-specversion': '1.0', 'ce-id': '3', 'ce-source': '/movierec/ingest', 'ce-type': 'io.movierec.data.appended.v1', 'content-type': 'application/json' },
      '{"since":"2026-11-26T10:00:00Z"}',
      /^data: stored: /,
    ],
  ])('refuses %s with 400 and the reasons', async (_, headers, body, reason) => {
    const response = await request(server).post('/').set(headers).send(body);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body.errors).toEqual([expect.stringMatching(reason)]);
  });

  it('exposes GET /metrics: process metrics, runs by outcome, and the last model per algorithm with its offline figures', async () => {
    const { runs } = await untilIdle(server);
    const response = await request(server).get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const metrics = parsePromText(response.text);
    const self = { function: 'train', revision: 'train-00003' };
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(samplesOf(metrics, name, self)).toHaveLength(1);
    }
    expect(valueOf(metrics, 'movierec_train_runs_total', { ...self, outcome: 'succeeded' })).toBe(runs);
    expect(valueOf(metrics, 'movierec_train_runs_total', { ...self, outcome: 'failed' })).toBe(0);
    expect(valueOf(metrics, 'movierec_train_last_success_timestamp_seconds', self)).toBeGreaterThanOrEqual(startedAt / 1000);
    const last = ModelTrainedSchema.parse(broker.trained.at(-1));
    for (const model of last.models) {
      const labels = { ...self, algorithm: model.algorithm, model_version: model.version };
      expect(valueOf(metrics, 'movierec_model_rmse', labels)).toBe(model.metrics.rmse);
      expect(valueOf(metrics, 'movierec_model_ndcg_at_20', labels)).toBe(model.metrics.ndcgAt20);
      expect(valueOf(metrics, 'movierec_model_hit_rate_at_20', labels)).toBe(model.metrics.hitRateAt20);
      expect(samplesOf(metrics, 'movierec_model_rmse', { algorithm: model.algorithm })).toHaveLength(1);
      expect(valueOf(metrics, 'movierec_train_duration_seconds_count', { ...self, algorithm: model.algorithm })).toBe(runs);
    }
  });
});
