// The metric names the functions really expose: each handler (ingest, train, recommend; evaluate's registry) is built
// as its index.ts builds it — a registry from createMetricsRegistry with the default process metrics, the
// function's metrics object on it — and asked `GET /metrics`; the names come from what it answers.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventsWriter } from '../../lib/events/events-writer.js';
import { FsEventsStorage } from '../../lib/events/fs-events-storage.js';
import { silentLogger } from '../../lib/ops/logger.js';
import { createMetricsRegistry, metricsResponse } from '../../lib/ops/metrics.js';
import { metricNames, parsePromText } from '../../lib/ops/test-helpers/prom-text.js';
import { createOnlineMetrics } from '../../functions/evaluate/online-metrics.js';
import { AppendedCounter } from '../../functions/ingest/appended-report.js';
import { handleIngest } from '../../functions/ingest/handler.js';
import { IngestMetrics } from '../../functions/ingest/ingest-metrics.js';
import { handleRecommend } from '../../functions/recommend/handler.js';
import { RecommendMetrics } from '../../functions/recommend/recommend-metrics.js';
import { trainHttp } from '../../functions/train/handler.js';
import { TrainMetrics } from '../../functions/train/train-metrics.js';
import { createTrainer } from '../../functions/train/trainer.js';

async function evaluateNames(): Promise<Set<string>> {
  // evaluate's handler answers GET /metrics with exactly this registry (functions/evaluate/handler.ts); its series
  // exist once an online evaluation and a traffic move have been shown, as after a tick.
  const registry = createMetricsRegistry({ labels: { function: 'evaluate' } });
  const metrics = createOnlineMetrics(registry);
  const stats = { revision: 'recommend-00001', modelVersion: 'svd-1', served: 10, hits: 4, hitRate: 0.4, watchedMinutes: 90, ratings: 1, meanRating: 4, fallbackShare: 0, latencyP50Ms: 3, latencyP95Ms: 9 };
  metrics.showReport({ at: '2026-12-04T10:00:00.000Z', from: '2026-12-04T09:00:00.000Z', to: '2026-12-04T09:30:00.000Z', windowMinutes: 30, revisions: [stats] }, () => 'champion');
  metrics.showTraffic({ revisions: [{ name: 'recommend-00001', modelUri: '/m', modelVersion: 'svd-1', ready: true, percent: 100, tag: 'champion', createdAt: '2026-12-04T08:00:00.000Z' }] });
  metrics.countEvaluation('ok');
  return metricNames(parsePromText((await metricsResponse(registry)).body));
}

async function ingestNames(): Promise<Set<string>> {
  const dir = await mkdtemp(join(tmpdir(), 'movierec-exposed-'));
  const writer = new EventsWriter(new FsEventsStorage(dir));
  try {
    const metrics = new IngestMetrics(createMetricsRegistry({ labels: { function: 'ingest' } }), { rejectsByReason: () => writer.stats().rejectsByReason });
    const response = await handleIngest({ method: 'GET', path: '/metrics', headers: {}, body: '' }, { writer, counter: new AppendedCounter(), metrics, logger: silentLogger });
    return metricNames(parsePromText(response.body));
  } finally {
    await writer.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function recommendNames(): Promise<Set<string>> {
  const metrics = new RecommendMetrics(createMetricsRegistry({ labels: { function: 'recommend' } }), 'recommend-00001');
  const deps = { model: () => ({ status: 'loading' }) as const, sender: { enqueue: () => undefined }, logger: silentLogger, metrics, n: 20, revision: 'recommend-00001' };
  const response = await handleRecommend({ method: 'GET', path: '/metrics' }, deps);
  return metricNames(parsePromText(response.body));
}

async function trainNames(): Promise<Set<string>> {
  const metrics = new TrainMetrics(createMetricsRegistry({ labels: { function: 'train' } }));
  const trainer = createTrainer({ run: () => Promise.resolve({ status: 'skipped', interactions: 0 }), algorithms: ['svd'], minInteractions: 1, newDataThreshold: 1, logger: silentLogger });
  const server = createServer(trainHttp({ trainer, algorithms: ['svd'], logger: silentLogger, metrics }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    return metricNames(parsePromText(await response.text()));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Every metric name the functions expose, by function. */
export async function exposedMetricNames(): Promise<Readonly<Record<'ingest' | 'train' | 'recommend' | 'evaluate', ReadonlySet<string>>>> {
  const [ingest, train, recommend, evaluate] = await Promise.all([ingestNames(), trainNames(), recommendNames(), evaluateNames()]);
  return { ingest, train, recommend, evaluate };
}
