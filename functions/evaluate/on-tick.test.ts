// Contract: evaluate's tick served by the framework's test server (handler registered here with an
// injected decideCanary and a recording notifier), over a real events store in a temp folder, the
// local platform adapter over HTTP to a MemoryPlatform, and the event sender to a Broker stand-in.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readBundle } from '../../lib/artifacts/read-bundle.js';
import { EventsReader } from '../../lib/events/events-reader.js';
import { EventsWriter } from '../../lib/events/events-writer.js';
import { FsEventsStorage } from '../../lib/events/fs-events-storage.js';
import { createEventSender } from '../../lib/messaging/event-sender.js';
import type { EventSender } from '../../lib/messaging/event-sender.js';
import { PING_TYPE } from '../../lib/messaging/event-types.js';
import { MODEL_PROMOTED, MODEL_ROLLED_BACK } from '../../lib/messaging/events/model-decision.js';
import { silentLogger } from '../../lib/ops/logger.js';
import { createMetricsRegistry } from '../../lib/ops/metrics.js';
import type { CanaryDecision, CanaryInput, CanaryVerdict } from '../../lib/rollout/canary-types.js';
import { DEFAULT_GATE } from '../../lib/rollout/evaluate-params.js';
import { createLocalPlatform } from '../../lib/rollout/local-platform.js';
import { MemoryPlatform } from '../../lib/rollout/test-helpers/memory-platform.js';
import type { PlatformServer } from '../../lib/rollout/test-helpers/platform-server.js';
import { startPlatformServer } from '../../lib/rollout/test-helpers/platform-server.js';
import type { FrameworkRequest } from './handler.js';
import { evaluateHttp } from './handler.js';
import { createOnlineStore } from './online-store.js';
import type { TestBroker } from './test-helpers/broker.js';
import { startTestBroker } from './test-helpers/broker.js';
import type { ServedCase } from './test-helpers/online-world.js';
import { recordingNotifier, writeServedCases } from './test-helpers/online-world.js';

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12);
const CHAMP = { revision: 'recommend-00001', modelVersion: 'champ-v' };
const CAND = { revision: 'recommend-00002', modelVersion: 'cand-v' };

let broker: TestBroker;
let platformServer: PlatformServer;
const platform = new MemoryPlatform({ now: () => new Date(NOW - 4 * 60 * MIN) });
let root: string;
let storage: FsEventsStorage;
let writer: EventsWriter;
let sender: EventSender;
let clock = NOW;
let notifier = recordingNotifier();
const inputs: CanaryInput[] = [];
let answer: CanaryDecision = { verdict: 'hold', nextPercent: null, evidence: [], figures: {} };
let current: (req: FrameworkRequest, res: Parameters<ReturnType<typeof evaluateHttp>>[1]) => Promise<void>;

http('evaluate-online', (req, res) => current(req, res));
const server = () => getTestServer('evaluate-online');

const decision = (verdict: CanaryVerdict, nextPercent: number | null = null): CanaryDecision => ({
  verdict,
  nextPercent,
  evidence: [`test says ${verdict}: hit rate 0.80 vs 0.30, p = 0.004`, 'guards: latency p95 4 ms vs 6 ms'],
  figures: { 'hit rate (candidate)': 0.8, 'hit rate (champion)': 0.3, 'p-value': 0.004, 'error ratio': null },
});

beforeAll(async () => {
  broker = await startTestBroker();
  platformServer = await startPlatformServer(platform);
});
afterAll(async () => {
  await platformServer.close();
  await broker.close();
});

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'movierec-online-'));
  storage = new FsEventsStorage(join(root, 'events'));
  writer = new EventsWriter(storage);
  sender = createEventSender({ sink: broker.url, batchSize: 100, flushMs: 60_000, logger: silentLogger });
  notifier = recordingNotifier();
  clock = NOW;
  inputs.length = 0;
  broker.received.length = 0;
  platform.reset();
  await platform.deploy({ modelUri: `/models/svd/${CHAMP.modelVersion}`, percent: 100, tag: 'champion' });
  await platform.deploy({ modelUri: `/models/svd/${CAND.modelVersion}`, percent: 10, tag: 'candidate' });
  platform.calls.length = 0;
  current = evaluateHttp({
    platform: createLocalPlatform({ url: platformServer.url }),
    readBundle: (uri) => readBundle(uri),
    readHoldout: async () => [],
    readServed: async () => [],
    gate: DEFAULT_GATE,
    canaryPercent: 10,
    sender,
    logger: silentLogger,
    online: createOnlineStore(storage, writer),
    decideCanary: (input) => {
      inputs.push(input);
      return answer;
    },
    notifier: { notify: (notice) => notifier.notify(notice), flush: () => notifier.flush() },
    registry: createMetricsRegistry({ defaults: false }),
    windowMinutes: 30,
    retentionDays: 14,
    now: () => new Date(clock),
  });
});
afterEach(async () => {
  await sender.close();
  await writer.close();
  await rm(root, { recursive: true, force: true });
});

/** The first wave: 10 champion lists (3 followed by 2 watched minutes, one watched before, one after the window), 10 candidate lists (8 followed). */
function firstWave(): ServedCase[] {
  const champion = Array.from({ length: 10 }, (_, k): ServedCase => ({
    ...CHAMP,
    user: String(k + 1),
    servedAt: NOW - 180 * MIN + k * MIN,
    latencyMs: 6,
    watchesAfter: k < 3 ? [5, 6] : k === 3 ? [-5] : k === 4 ? [31] : [],
    rating: k === 0 ? { after: 10, value: 8 } : undefined,
  }));
  const candidate = Array.from({ length: 10 }, (_, k): ServedCase => ({
    ...CAND,
    user: String(k + 11),
    servedAt: NOW - 150 * MIN + k * MIN,
    latencyMs: 4,
    fallback: k === 8,
    watchesAfter: k < 8 ? [2] : [],
  }));
  return [...champion, ...candidate];
}

function tick(id: string) {
  return request(server())
    .post('/')
    .set({ 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-type': PING_TYPE, 'ce-source': '/apis/v1/namespaces/movierec/pingsources/evaluation-tick', 'ce-id': id })
    .send('{"reason":"schedule"}');
}

describe('evaluate on an evaluation tick (contract)', () => {
  it('evaluates the closed windows, stores the report, shows the gauges, promotes on the analysis’ word, announces and notifies', async () => {
    await writeServedCases(storage, firstWave(), 'a1');
    platform.recordAnswers(CHAMP.revision, 400, 2);
    platform.recordAnswers(CAND.revision, 40, 10);
    answer = decision('promote');
    const response = await tick('p-1');
    expect(response.status).toBe(200);
    const from = new Date(Date.UTC(2026, 10, 20)).toISOString();
    const to = new Date(NOW - 32 * MIN).toISOString();
    expect(response.body.evaluated).toEqual({ from, to });
    expect(response.body.report.revisions).toEqual([
      { ...CHAMP, served: 10, hits: 3, hitRate: 0.3, watchedMinutes: 6, ratings: 1, meanRating: 8, fallbackShare: 0, latencyP50Ms: 6, latencyP95Ms: 6 },
      { ...CAND, served: 10, hits: 8, hitRate: 0.8, watchedMinutes: 8, ratings: 0, meanRating: null, fallbackShare: 0.1, latencyP50Ms: 4, latencyP95Ms: 4 },
    ]);
    expect(inputs).toEqual([
      { champion: expect.objectContaining({ ...CHAMP, served: 10, hits: 3 }), candidate: expect.objectContaining({ ...CAND, served: 10, hits: 8 }), candidatePercent: 10, championErrorRatio: 0.005, candidateErrorRatio: 0.25 },
    ]);

    // Applied: the candidate takes all traffic as champion; the old champion drains.
    expect(platform.calls).toEqual([{ operation: 'setTraffic', targets: [{ revision: CAND.revision, percent: 100, tag: 'champion' }] }]);
    expect((await platform.describe()).revisions.map((r) => [r.name, r.percent, r.tag])).toEqual([[CAND.revision, 100, 'champion']]);
    expect(broker.received).toEqual([
      expect.objectContaining({
        type: MODEL_PROMOTED,
        subject: CAND.modelVersion,
        data: expect.objectContaining({
          candidate: { version: CAND.modelVersion, bundleUri: '/models/svd/cand-v' },
          champion: { version: CHAMP.modelVersion, bundleUri: '/models/svd/champ-v' },
          revision: CAND.revision,
          percent: 100,
          stage: 'full',
          canary: { verdict: 'promote', candidatePercent: 10, evidence: answer.evidence, figures: answer.figures },
        }),
      }),
    ]);
    expect(notifier.notices).toEqual([
      expect.objectContaining({ kind: 'promoted', models: { candidate: 'cand-v', champion: 'champ-v' }, evidence: answer.evidence, metrics: { 'hit rate (candidate)': 0.8, 'hit rate (champion)': 0.3, 'p-value': 0.004 } }),
    ]);

    const metrics = (await request(server()).get('/metrics')).text;
    expect(metrics).toContain('movierec_online_hit_rate{revision="recommend-00002",model_version="cand-v",tag="candidate"} 0.8');
    expect(metrics).toContain('movierec_online_hit_rate{revision="recommend-00001",model_version="champ-v",tag="champion"} 0.3');
    expect(metrics).toContain('movierec_online_watched_minutes{revision="recommend-00001",model_version="champ-v",tag="champion"} 6');
    expect(metrics).toContain('movierec_online_mean_rating{revision="recommend-00001",model_version="champ-v",tag="champion"} 8');
    expect(metrics).toContain('movierec_online_fallback_ratio{revision="recommend-00002",model_version="cand-v",tag="candidate"} 0.1');
    expect(metrics).toContain('movierec_online_latency_p95_seconds{revision="recommend-00002",model_version="cand-v",tag="candidate"} 0.004');
    expect(metrics).toContain('movierec_online_served{revision="recommend-00002",model_version="cand-v",tag="candidate"} 10');
    expect(metrics).toContain('movierec_canary_decisions_total{decision="promote"} 1');
    expect(metrics).toContain('movierec_canary_decisions_total{decision="hold"} 0');
    expect(metrics).toContain('movierec_online_evaluations_total{outcome="ok"} 1');
    expect(metrics).toContain('movierec_revision_traffic_percent{revision="recommend-00002",tag="champion"} 100');
    expect(metrics).not.toContain('movierec_revision_traffic_percent{revision="recommend-00001"');

    const online = await request(server()).get('/online');
    expect(online.status).toBe(200);
    expect(online.body.reports).toEqual([response.body.report]);
    expect(online.body.decisions).toEqual([
      { at: new Date(NOW).toISOString(), verdict: 'promote', candidate: CAND, champion: CHAMP, candidatePercent: 10, nextPercent: null, evidence: answer.evidence, figures: answer.figures },
    ]);
  });

  it('rolls back on the analysis’ word even when the notifier throws, and announces rolled-back', async () => {
    await writeServedCases(storage, firstWave(), 'a2');
    answer = decision('roll-back');
    notifier = recordingNotifier({ fail: true });
    const response = await tick('p-2');
    expect(response.status).toBe(200);
    expect(response.body.decision).toMatchObject({ verdict: 'roll-back', candidate: CAND, champion: CHAMP });
    expect((await platform.describe()).revisions.map((r) => [r.name, r.percent, r.tag])).toEqual([[CHAMP.revision, 100, 'champion']]);
    expect(broker.received).toEqual([
      expect.objectContaining({ type: MODEL_ROLLED_BACK, subject: CAND.modelVersion, data: expect.objectContaining({ revision: CAND.revision, canary: expect.objectContaining({ verdict: 'roll-back' }) }) }),
    ]);
    expect(notifier.notices).toEqual([expect.objectContaining({ kind: 'rolled-back' })]);
    expect((await request(server()).get('/metrics')).text).toContain('movierec_canary_decisions_total{decision="roll-back"} 1');
  });

  it('evaluates only new closed windows on the next tick and gives the analysis the stats summed since the candidate started', async () => {
    await writeServedCases(storage, firstWave(), 'a3');
    answer = decision('hold');
    const first = await tick('p-3');
    expect(first.body.decision).toMatchObject({ verdict: 'hold' });
    expect(platform.calls).toEqual([]);
    expect(broker.received).toEqual([]);
    expect(notifier.notices).toEqual([]);

    // A second wave after the first report's end: 10 candidate lists (5 followed), 5 champion lists (none).
    const wave: ServedCase[] = [
      ...Array.from({ length: 10 }, (_, k): ServedCase => ({ ...CAND, user: String(k + 21), servedAt: NOW - 30 * MIN + k * MIN, latencyMs: 4, watchesAfter: k < 5 ? [1] : [] })),
      ...Array.from({ length: 5 }, (_, k): ServedCase => ({ ...CHAMP, user: String(k + 31), servedAt: NOW - 25 * MIN + k * MIN, latencyMs: 6 })),
    ];
    await writeServedCases(storage, wave, 'a4');
    clock = NOW + 60 * MIN;
    answer = decision('step-up', 25);
    const second = await tick('p-4');
    expect(second.status).toBe(200);
    expect(second.body.evaluated).toEqual({ from: first.body.evaluated.to, to: new Date(NOW + 28 * MIN).toISOString() });
    expect(second.body.report.revisions.map((r: { revision: string; served: number; hits: number }) => [r.revision, r.served, r.hits])).toEqual([
      [CHAMP.revision, 5, 0],
      [CAND.revision, 10, 5],
    ]);
    expect(inputs.at(-1)).toMatchObject({ champion: { served: 15, hits: 3 }, candidate: { served: 20, hits: 13, hitRate: 13 / 20 }, candidatePercent: 10 });
    expect(platform.calls).toEqual([
      { operation: 'setTraffic', targets: [{ revision: CHAMP.revision, percent: 75, tag: 'champion' }, { revision: CAND.revision, percent: 25, tag: 'candidate' }] },
    ]);
    expect(broker.received).toEqual([expect.objectContaining({ type: MODEL_PROMOTED, data: expect.objectContaining({ stage: 'canary', percent: 25 }) })]);

    // The same tick again: nothing new has closed; no report, no decision.
    const again = await tick('p-5');
    expect(again.body).toMatchObject({ evaluated: null, report: null, decision: null });
    const online = (await request(server()).get('/online')).body;
    expect(online.reports.map((r: { to: string }) => r.to)).toEqual([first.body.evaluated.to, second.body.evaluated.to]);
    expect(online.decisions.map((d: { verdict: string; nextPercent: number | null }) => [d.verdict, d.nextPercent])).toEqual([
      ['hold', null],
      ['step-up', 25],
    ]);
  });

  it('deletes old days only after evaluating them, never the days still unevaluated', async () => {
    const old = NOW - 20 * DAY;
    await writeServedCases(storage, [{ ...CHAMP, user: '7', servedAt: old, latencyMs: 6, watchesAfter: [3] }], 'a5');
    await writeServedCases(storage, [{ ...CHAMP, user: '8', servedAt: old + DAY + 60 * MIN, latencyMs: 6, watchesAfter: [3] }], 'a6');
    const days = async () => (await new EventsReader(storage).segments(['served', 'watch'])).map((s) => `${s.kind} ${s.day}`);
    const first = await tick('p-6');
    // Catching up: one day per tick. The first old day is evaluated, then deleted; the second waits.
    expect(first.body.report.revisions).toEqual([expect.objectContaining({ ...CHAMP, served: 1, hits: 1 })]);
    expect(first.body.retention).toMatchObject({ deleted: 2, failed: false });
    expect(await days()).toEqual(['served 2026-11-01', 'watch 2026-11-01']);
    const second = await tick('p-7');
    expect(second.body.report.revisions).toEqual([expect.objectContaining({ served: 1, hits: 1 })]);
    expect(await days()).toEqual([]);
  });

  it('answers 503 and counts a failed evaluation while the platform is down', async () => {
    platformServer.failNext(100, 503);
    try {
      const response = await tick('p-8');
      expect(response.status).toBe(503);
    } finally {
      platformServer.failNext(0);
    }
    expect((await request(server()).get('/metrics')).text).toContain('movierec_online_evaluations_total{outcome="failed"} 1');
  });
});
