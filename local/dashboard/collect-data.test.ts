import { afterEach, describe, expect, it } from 'vitest';
import { rejectedEvent } from '../../lib/rollout/decision-events.js';
import { DecisionLog } from '../eventing/decision-log.js';
import type { RevisionStatus } from '../serving/revision.js';
import type { SystemStatus } from '../system.js';
import type { DashboardSources } from './collect-data.js';
import { collectDashboardData } from './collect-data.js';
import { DashboardDataSchema } from './dashboard-data.js';
import type { FakeAnswer, FakeEvaluate } from './test-helpers/fake-evaluate.js';
import { onlineAnswer, startFakeEvaluate } from './test-helpers/fake-evaluate.js';

let evaluate: FakeEvaluate | undefined;
afterEach(async () => {
  await evaluate?.close();
  evaluate = undefined;
});

const revision = (name: string, percent: number, tag: RevisionStatus['tag'], modelVersion: string | null): RevisionStatus => ({
  name, modelUri: `file:///models/${name}`, modelVersion, ready: modelVersion !== null, percent, tag, createdAt: '2026-12-04T15:00:00.000Z',
  phase: modelVersion === null ? 'starting' : 'ready', url: 'http://127.0.0.1:1', pid: 42, inFlight: 0, reason: null,
});

const status: SystemStatus = {
  ingress: 'http://127.0.0.1:8080',
  dataDir: '/tmp/x',
  channel: 'memory',
  functions: [{ name: 'ingest', url: 'http://127.0.0.1:2', pid: 1, ready: true, restarts: 0 }, { name: 'evaluate', url: null, pid: null, ready: false, restarts: 2 }],
  revisions: [revision('recommend-00002', 90, 'champion', 'svd-a'), revision('recommend-00003', 10, 'candidate', 'svd-b'), revision('recommend-00004', 0, null, null)],
  sources: [],
  events: { delivered: 0, retried: 0, deadLettered: 0, last: [] },
  ingest: { records: 1200, duplicates: 3, rejected: 7, rejectsByReason: { 'bad-timestamp': 7 }, commits: 40 },
  models: 2,
  sim: null,
};

const rejected = rejectedEvent(
  { candidate: { version: 'als-c', bundleUri: 'file:///m/als/c' }, champion: { version: 'svd-a', bundleUri: 'file:///m/svd/a' }, reason: 'worse than the champion',
    evidence: [{ metric: 'ndcgAt20', candidate: 0.254, champion: 0.2921, margin: 0.01, n: 1180, passed: false }] },
  new Date('2026-12-04T16:01:30.000Z'),
);

const sources = async (answer: FakeAnswer | null): Promise<DashboardSources> => {
  if (answer !== null) evaluate = await startFakeEvaluate(() => answer);
  const decisions = new DecisionLog();
  decisions.observe(rejected);
  return {
    status: async () => status,
    evaluateUrl: () => evaluate?.url,
    decisions: () => decisions.snapshot(),
    training: { read: async () => [{ version: 'svd-b', algorithm: 'svd', createdAt: '2026-12-04T16:00:00.000Z', metrics: { rmse: 0.9 }, counts: { users: 1, movies: 1, ratings: 1, interactions: 1 } }] },
    ingestRates: () => [{ at: '2026-12-04T16:00:02.000Z', recordsPerSecond: 400, duplicatesPerSecond: 0, rejectedPerSecond: 1 }],
    now: () => new Date('2026-12-04T16:05:00.000Z'),
  };
};

describe('collectDashboardData', () => {
  it('puts status, evaluate\'s online reports and both kinds of decisions into one schema-checked answer', async () => {
    const online = onlineAnswer(3);
    const data = DashboardDataSchema.parse(await collectDashboardData(await sources({ status: 200, body: online })));
    expect(data.generatedAt).toBe('2026-12-04T16:05:00.000Z');
    expect(data.system).toEqual({ ingress: 'http://127.0.0.1:8080', channel: 'memory', functions: [{ name: 'ingest', ready: true, restarts: 0 }, { name: 'evaluate', ready: false, restarts: 2 }], models: 2, audience: false });
    expect(data.revisions.map((r) => [r.name, r.tag, r.percent, r.ready, r.modelVersion])).toEqual([
      ['recommend-00002', 'champion', 90, true, 'svd-a'],
      ['recommend-00003', 'candidate', 10, true, 'svd-b'],
      ['recommend-00004', null, 0, false, null],
    ]);
    expect(data.online).toEqual({ available: true, reason: null, reports: online.reports });
    // Newest first: the canary step-up (16:03) before the offline rejection (16:01:30).
    expect(data.decisions.map((d) => [d.source, d.verdict, d.summary])).toEqual([
      ['canary', 'step-up', 'step recommend-00003 up from 10 % to 25 %'],
      ['offline', 'rejected', 'offline gate rejected als-c'],
    ]);
    expect(data.decisions[0].evidence).toEqual(online.decisions[0].evidence);
    expect(data.decisions[1].evidence).toEqual(['worse than the champion', 'ndcgAt20: candidate 0.254 vs champion 0.2921 (margin 0.01, n = 1,180) — failed']);
    expect(data.decisions[1].figures).toEqual({ 'ndcgAt20 candidate': 0.254, 'ndcgAt20 champion': 0.2921 });
    expect(data.ingest.totals?.rejectsByReason).toEqual({ 'bad-timestamp': 7 });
    expect(data.ingest.rates).toHaveLength(1);
    expect(data.training.map((t) => t.version)).toEqual(['svd-b']);
  });

  it('still answers when evaluate fails or is not running: no online data, the reason, and the offline decisions alone', async () => {
    for (const answer of [{ status: 503, body: { error: 'starting' } }, null] as const) {
      const data = DashboardDataSchema.parse(await collectDashboardData(await sources(answer)));
      expect(data.online).toEqual({ available: false, reason: answer === null ? 'evaluate is not running' : 'evaluate answered 503', reports: [] });
      expect(data.decisions.map((d) => d.verdict)).toEqual(['rejected']);
      expect(data.revisions).toHaveLength(3);
      await evaluate?.close();
      evaluate = undefined;
    }
  });
});
