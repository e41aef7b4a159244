// The metric names the functions really expose: each handler of this branch (ingest, train, recommend) is built
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
import { createMetricsRegistry } from '../../lib/ops/metrics.js';
import { metricNames, parsePromText } from '../../lib/ops/test-helpers/prom-text.js';
import { AppendedCounter } from '../../functions/ingest/appended-report.js';
import { handleIngest } from '../../functions/ingest/handler.js';
import { IngestMetrics } from '../../functions/ingest/ingest-metrics.js';
import { handleRecommend } from '../../functions/recommend/handler.js';
import { RecommendMetrics } from '../../functions/recommend/recommend-metrics.js';
import { trainHttp } from '../../functions/train/handler.js';
import { TrainMetrics } from '../../functions/train/train-metrics.js';
import { createTrainer } from '../../functions/train/trainer.js';

/**
 * evaluate's metric names as COMMON.md lists them. evaluate's metrics are built on another branch: at merge,
 * replace this constant with a scrape of evaluate's handler, as the three functions below are scraped.
 */
export const EVALUATE_METRIC_NAMES_FROM_COMMON_MD: readonly string[] = [
  'movierec_online_hit_rate',
  'movierec_online_watched_minutes',
  'movierec_online_mean_rating',
  'movierec_online_fallback_ratio',
  'movierec_online_latency_p95_seconds',
  'movierec_online_served',
  'movierec_canary_decisions_total',
  'movierec_revision_traffic_percent',
  'movierec_online_evaluations_total',
];

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

/** Every metric name the functions expose, by function (evaluate's from COMMON.md, see above). */
export async function exposedMetricNames(): Promise<Readonly<Record<'ingest' | 'train' | 'recommend' | 'evaluate', ReadonlySet<string>>>> {
  const [ingest, train, recommend] = await Promise.all([ingestNames(), trainNames(), recommendNames()]);
  return { ingest, train, recommend, evaluate: new Set(EVALUATE_METRIC_NAMES_FROM_COMMON_MD) };
}
