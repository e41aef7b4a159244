// Contract: the function as registered by index.ts, served by the framework's test server, with
// real bundles, a real events store, the local platform adapter over HTTP and a Broker stand-in.
// index.ts reads its config when imported, so the environment is set first (vitest gives each
// test file its own module graph).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encoding } from '../../lib/messaging/cloud-event-codec.js';
import { buildEvent, encodeEvent, ENCODINGS } from '../../lib/messaging/cloud-event-codec.js';
import { eventSource, PING_TYPE } from '../../lib/messaging/event-types.js';
import { MODEL_PROMOTED, MODEL_REJECTED } from '../../lib/messaging/events/model-decision.js';
import type { ModelTrained } from '../../lib/messaging/events/model-trained.js';
import { MODEL_TRAINED } from '../../lib/messaging/events/model-trained.js';
import { MemoryPlatform } from '../../lib/rollout/test-helpers/memory-platform.js';
import type { PlatformServer } from '../../lib/rollout/test-helpers/platform-server.js';
import { startPlatformServer } from '../../lib/rollout/test-helpers/platform-server.js';
import type { TestBroker } from './test-helpers/broker.js';
import { startTestBroker } from './test-helpers/broker.js';
import { withEnv } from './test-helpers/env.js';
import type { EvaluateWorld } from './test-helpers/world.js';
import { buildEvaluateWorld } from './test-helpers/world.js';

let world: EvaluateWorld;
let broker: TestBroker;
let platformServer: PlatformServer;
const platform = new MemoryPlatform();
let restoreEnv: () => void;

beforeAll(async () => {
  world = await buildEvaluateWorld();
  broker = await startTestBroker();
  platformServer = await startPlatformServer(platform);
  const paramsFile = join(world.root, 'params.yaml');
  await writeFile(paramsFile, 'train:\n  algorithms: [svd]\nevaluate:\n  gate:\n    rmse_margin: 0.01\n    ndcg_margin: 0.01\n    min_ratings: 50\n');
  restoreEnv = withEnv({
    EVENTS_URI: world.eventsDir,
    MODELS_URI: world.modelsDir,
    PARAMS_FILE: paramsFile,
    PLATFORM_URL: platformServer.url,
    K_SINK: broker.url,
    CANARY_PERCENT: '10',
    // The world's events are dated November 2026: keep them all whatever today is.
    RETENTION_DAYS: '3650',
    LOG_LEVEL: 'OFF',
  });
  await import('./index.js');
});

afterAll(async () => {
  restoreEnv();
  await platformServer.close();
  await broker.close();
  await world.remove();
});

const server = () => getTestServer('evaluate');

function send(data: ModelTrained, encoding: Encoding) {
  const message = encodeEvent(buildEvent({ type: MODEL_TRAINED, source: eventSource('train'), data, id: `${data.runId}-${encoding}` }), encoding);
  return request(server()).post('/').set(message.headers).send(message.body);
}

describe.each(ENCODINGS)('evaluate on model.trained in %s mode (contract)', (encoding) => {
  beforeAll(() => {
    platform.reset();
    broker.received.length = 0;
  });

  it('deploys the first model ever at 100 % as champion and emits promoted (full)', async () => {
    const response = await send(world.trained([world.first]), encoding);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.decisions).toEqual([expect.objectContaining({ outcome: 'promoted', stage: 'full', percent: 100 })]);
    expect(platform.calls).toEqual([{ operation: 'deploy', request: { modelUri: world.first.bundleUri, percent: 100, tag: 'champion' } }]);
    expect(broker.received).toEqual([
      expect.objectContaining({ type: MODEL_PROMOTED, source: '/movierec/evaluate', subject: world.first.version, data: expect.objectContaining({ stage: 'full', champion: null }) }),
    ]);
  });

  it('gives a better candidate a canary at CANARY_PERCENT and emits promoted (canary) with the evidence', async () => {
    const response = await send(world.trained([world.good]), encoding);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ basis: 'holdout', champion: { version: world.first.version, revision: 'recommend-00001' } });
    expect(response.body.slice.ratings).toBeGreaterThanOrEqual(50);
    expect(platform.calls.at(-1)).toEqual({ operation: 'deploy', request: { modelUri: world.good.bundleUri, percent: 10, tag: 'candidate' } });
    const promoted = broker.received.at(-1);
    expect(promoted).toMatchObject({ type: MODEL_PROMOTED, subject: world.good.version });
    expect(promoted?.data).toMatchObject({
      candidate: { version: world.good.version, bundleUri: world.good.bundleUri },
      champion: { version: world.first.version, bundleUri: world.first.bundleUri },
      revision: 'recommend-00002',
      percent: 10,
      stage: 'canary',
      evidence: [
        { metric: 'rmse', passed: true, n: response.body.slice.ratings },
        { metric: 'ndcg@20', passed: true, n: response.body.slice.users },
        { metric: 'hitRate@20', passed: true },
      ],
    });
  });

  it('rejects a candidate trained on shuffled ratings and leaves the platform untouched', async () => {
    const before = await platform.describe();
    const calls = platform.calls.length;
    const response = await send(world.trained([world.bad]), encoding);
    expect(response.status).toBe(200);
    expect(response.body.decisions).toEqual([expect.objectContaining({ outcome: 'rejected' })]);
    expect(platform.calls).toHaveLength(calls);
    expect(await platform.describe()).toEqual(before);
    const rejected = broker.received.at(-1);
    expect(rejected).toMatchObject({ type: MODEL_REJECTED, subject: world.bad.version });
    expect(rejected?.data).toMatchObject({ evidence: [{ metric: 'rmse', passed: false }, { metric: 'ndcg@20', passed: false }, { metric: 'hitRate@20' }] });
  });

  it('answers 503 while the platform fails with 5xx, so the Broker redelivers; nothing is emitted', async () => {
    const emitted = broker.received.length;
    platformServer.failNext(100, 503);
    try {
      const response = await send(world.trained([world.good], { runId: 'run-during-outage' }), encoding);
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ error: 'temporarily unavailable; retry later' });
    } finally {
      platformServer.failNext(0);
    }
    expect(broker.received).toHaveLength(emitted);
  });
});

describe('evaluate: other requests (contract)', () => {
  it('refuses a malformed envelope with 400 and the reasons', async () => {
    const response = await request(server()).post('/').set({ 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-type': MODEL_TRAINED, 'ce-id': 'x' }).send('{}');
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.stringMatching(/^not a valid CloudEvent: /)]);
  });

  it('refuses model.trained data that breaks the schema with 400, naming the field', async () => {
    const message = encodeEvent(buildEvent({ type: MODEL_TRAINED, source: eventSource('train'), data: { ...world.trained([world.good]), runId: '' } }), 'structured');
    const response = await request(server()).post('/').set(message.headers).send(message.body);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.stringMatching(/^data: runId: /)]);
  });

  it('runs online evaluation on a PingSource tick (nothing served in this store: nothing evaluated, the canary held)', async () => {
    const response = await request(server())
      .post('/')
      .set({ 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-type': PING_TYPE, 'ce-source': '/apis/v1/namespaces/movierec/pingsources/evaluation-tick', 'ce-id': 'p-1' })
      .send('{"reason":"schedule"}');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ reason: 'schedule', evaluated: null, report: null, decision: null, retention: { deleted: 0, failed: false } });
  });

  it('answers /metrics with the online series names and /online with the (empty) series', async () => {
    const metrics = await request(server()).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toContain('movierec_online_evaluations_total{outcome="ok"}');
    expect(metrics.text).toContain('# TYPE movierec_online_hit_rate gauge');
    const online = await request(server()).get('/online');
    expect(online.status).toBe(200);
    expect(online.body).toEqual({ reports: [], decisions: [] });
  });

  it('answers /healthz', async () => {
    const response = await request(server()).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});
