// The handler with real training behind it (lib/training on a real events store) and a local broker;
// the store's reads wait behind a gate so a run is deterministically in progress.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadServingModel } from '../../lib/artifacts/model-bundle.js';
import { FsEventsStorage } from '../../lib/events/fs-events-storage.js';
import { createEventSender } from '../../lib/messaging/event-sender.js';
import { silentLogger } from '../../lib/ops/logger.js';
import { createMetricsRegistry } from '../../lib/ops/metrics.js';
import { parsePromText, samplesOf, valueOf } from '../../lib/ops/test-helpers/prom-text.js';
import type { TrainParams } from '../../lib/training/params.js';
import { parseParams } from '../../lib/training/params.js';
import { DAY_MS, smallWorld, tempDir, testParamsYaml, writeWorld } from '../../lib/training/test-helpers/training-fixtures.js';
import { trainHttp } from './handler.js';
import type { TestBroker } from './test-helpers/broker.js';
import { startBroker } from './test-helpers/broker.js';
import { dataAppended, ping, retrainRequested } from './test-helpers/events.js';
import { GatedStorage } from './test-helpers/gated-storage.js';
import { TrainMetrics } from './train-metrics.js';
import { trainRunner } from './train-run.js';
import type { Notice } from '../../lib/ops/notifier.js';
import type { Trainer } from './trainer.js';
import { createTrainer } from './trainer.js';

const NOW = Date.UTC(2026, 10, 26, 12);
const params: TrainParams = parseParams(testParamsYaml(), 'test-params.yaml');
let tmp: Awaited<ReturnType<typeof tempDir>>;
let broker: TestBroker;
let server: Server | undefined;

beforeAll(async () => {
  tmp = await tempDir('train-handler');
  await writeWorld(`${tmp.dir}/events`, smallWorld(NOW - 5 * DAY_MS));
});
afterAll(async () => tmp.remove());
afterEach(async () => {
  await broker?.close();
  if (server !== undefined) await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** The function's parts, wired as index.ts wires them, around a gated store. */
async function serve(): Promise<{ server: Server; trainer: Trainer; storage: GatedStorage; notices: Notice[] }> {
  const notices: Notice[] = [];
  broker = await startBroker();
  const storage = new GatedStorage(new FsEventsStorage(`${tmp.dir}/events`));
  const sender = createEventSender({ sink: broker.url, batchSize: 1, flushMs: 1000, logger: silentLogger });
  const metrics = new TrainMetrics(createMetricsRegistry({ defaults: false }), () => new Date(NOW + 60_000));
  const run = trainRunner({
    storage,
    models: `${tmp.dir}/models`,
    params,
    windowDays: 14,
    code: { packageVersion: '0.0.0-test', gitCommit: null },
    sender,
    logger: silentLogger,
    metrics,
    notifier: { notify: (notice) => void notices.push(notice), flush: async () => undefined },
    now: () => new Date(NOW),
  });
  const trainer = createTrainer({ run, algorithms: params.algorithms, minInteractions: 200, newDataThreshold: 1000, logger: silentLogger });
  server = createServer(trainHttp({ trainer, algorithms: params.algorithms, logger: silentLogger, metrics }));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { server, trainer, storage, notices };
}

describe('train handler', () => {
  it('coalesces requests during a run into exactly one more run, and announces each run on the broker', async () => {
    const { server, trainer, storage } = await serve();
    const post = (message: { headers: Record<string, string>; body: string }) => request(server).post('/').set(message.headers).send(message.body);

    const first = await post(retrainRequested({ reason: 'manual', algorithms: ['svd'] }, 'binary'));
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ run: 'started' });
    expect((await post(retrainRequested({ reason: 'manual' }, 'structured'))).body).toEqual({ run: 'coalesced' });
    expect((await post(ping())).body).toEqual({ run: 'coalesced' });
    // Before the first model, new data waits for the first run to end rather than queueing behind it.
    expect((await post(dataAppended({ watch: 900, rate: 200 }))).body).toEqual({ run: 'skipped', reason: 'the first run is still going' });
    expect((await request(server).get('/healthz')).body).toMatchObject({ status: 'ok', running: true, pending: true, runs: 1 });

    storage.release();
    await trainer.idle();
    expect(trainer.state()).toMatchObject({ runs: 2, failed: 0, trained: true });
    expect(broker.refused).toEqual([]);
    expect(broker.trained.map((t) => [t.reason, t.models.map((m) => m.algorithm)])).toEqual([
      ['manual', ['svd']],
      ['manual, schedule', ['svd', 'svdpp']],
    ]);
    expect(broker.sources).toEqual(['/movierec/train', '/movierec/train']);
    const [, second] = broker.trained;
    expect(second.snapshot).toMatchObject({ to: new Date(NOW).toISOString(), from: new Date(NOW - 14 * DAY_MS).toISOString(), interactions: 1200 });
    const serving = await loadServingModel(second.models[1].bundleUri);
    expect(serving.manifest.version).toBe(second.models[1].version);
    expect(serving.recommend('1', 10).movies).toHaveLength(10);
    expect(storage.waiting).toBeGreaterThan(0);

    // GET /metrics: two runs succeeded; the model gauges hold the last model per algorithm (the first svd replaced).
    const scraped = await request(server).get('/metrics');
    expect(scraped.status).toBe(200);
    expect(scraped.headers['content-type']).toContain('text/plain');
    const metrics = parsePromText(scraped.text);
    expect(['succeeded', 'failed', 'skipped'].map((outcome) => valueOf(metrics, 'movierec_train_runs_total', { outcome }))).toEqual([2, 0, 0]);
    expect(valueOf(metrics, 'movierec_train_last_success_timestamp_seconds')).toBe((NOW + 60_000) / 1000);
    expect(valueOf(metrics, 'movierec_train_duration_seconds_count', { algorithm: 'svd' })).toBe(2);
    expect(valueOf(metrics, 'movierec_train_duration_seconds_count', { algorithm: 'svdpp' })).toBe(1);
    expect(samplesOf(metrics, 'movierec_model_rmse').map((s) => [s.labels, s.value])).toEqual(
      second.models.map((m) => [{ algorithm: m.algorithm, model_version: m.version }, m.metrics.rmse]),
    );
    expect(second.models.map((m) => typeof m.metrics.rmse)).toEqual(['number', 'number']);
    // These params rank at k = 10: the models have no @20 figures, so those gauges have no series.
    expect(samplesOf(metrics, 'movierec_model_ndcg_at_20')).toEqual([]);
    expect(samplesOf(metrics, 'movierec_model_hit_rate_at_20')).toEqual([]);
  });

  it('counts a run that throws as failed, and tells Slack without the internal error text', async () => {
    const { server, trainer, storage, notices } = await serve();
    storage.failReads(new Error('disk gone'));
    expect((await request(server).post('/').set(ping().headers).send(ping().body)).status).toBe(202);
    storage.release();
    await trainer.idle();
    expect(trainer.state()).toMatchObject({ runs: 1, failed: 1 });
    const metrics = parsePromText((await request(server).get('/metrics')).text);
    expect(['succeeded', 'failed', 'skipped'].map((outcome) => valueOf(metrics, 'movierec_train_runs_total', { outcome }))).toEqual([0, 1, 0]);
    expect(valueOf(metrics, 'movierec_train_last_success_timestamp_seconds')).toBe(0);
    expect(samplesOf(metrics, 'movierec_model_rmse')).toEqual([]);
    expect(notices).toEqual([
      expect.objectContaining({ kind: 'training-failed', title: expect.stringMatching(/^Training run failed/), evidence: ['unexpected Error (see the train log)'] }),
    ]);
  });

  it.each([
    ['an unknown algorithm', retrainRequested({ algorithms: ['svd', 'knn'] }, 'binary'), 'data.algorithms: unknown knn (allowed: popularity, baseline, svd, svdpp, als)'],
    ['a reason that is not text', retrainRequested({ reason: 42 }, 'structured'), 'data: reason: Invalid input: expected string, received number'],
    ['negative counts', dataAppended({ watch: -1 }), 'data: stored.watch: Too small: expected number to be >=0'],
  ])('refuses %s with 400 and the reason, starting nothing', async (_, message, reason) => {
    const { server, trainer } = await serve();
    const response = await request(server).post('/').set(message.headers).send(message.body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errors: [reason] });
    expect(trainer.state().runs).toBe(0);
  });

  it.each([
    ['GET', '/', 405],
    ['POST', '/healthz', 405],
    ['GET', '/models', 404],
  ] as const)('%s %s → %i', async (method, path, status) => {
    const { server } = await serve();
    const response = await request(server)[method === 'GET' ? 'get' : 'post'](path);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});
