import type { CloudEvent } from 'cloudevents';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readBundle } from '../../lib/artifacts/read-bundle.js';
import { FsEventsStorage } from '../../lib/events/fs-events-storage.js';
import { EventsWriter } from '../../lib/events/events-writer.js';
import { readInteractions } from '../../lib/events/read-interactions.js';
import { buildEvent, encodeEvent } from '../../lib/messaging/cloud-event-codec.js';
import { eventSource, PING_TYPE } from '../../lib/messaging/event-types.js';
import { EVALUATION_TICK } from '../../lib/messaging/events/evaluation-tick.js';
import { MODEL_PROMOTED, MODEL_REJECTED } from '../../lib/messaging/events/model-decision.js';
import type { ModelTrained } from '../../lib/messaging/events/model-trained.js';
import { MODEL_TRAINED } from '../../lib/messaging/events/model-trained.js';
import { silentLogger } from '../../lib/ops/logger.js';
import { createMetricsRegistry } from '../../lib/ops/metrics.js';
import { silentNotifier } from '../../lib/ops/notifier.js';
import { DEFAULT_GATE } from '../../lib/rollout/evaluate-params.js';
import type { ServingPlatform } from '../../lib/rollout/platform.js';
import { PlatformError } from '../../lib/rollout/platform-error.js';
import { MemoryPlatform } from '../../lib/rollout/test-helpers/memory-platform.js';
import type { EvaluateDeps, EvaluateRequest, EvaluateResponse } from './handler.js';
import { createEvaluateHandler } from './handler.js';
import { createOnlineStore } from './online-store.js';
import { readServedLists } from './read-served.js';
import { exposeToChampion } from './test-helpers/exposure.js';
import type { EvaluateWorld } from './test-helpers/world.js';
import { buildEvaluateWorld } from './test-helpers/world.js';

let world: EvaluateWorld;
let platform: MemoryPlatform;
let sent: CloudEvent<unknown>[];

beforeAll(async () => {
  world = await buildEvaluateWorld();
});
afterAll(async () => {
  await world.remove();
});
beforeEach(() => {
  platform = new MemoryPlatform();
  sent = [];
});

function deps(overrides: Partial<EvaluateDeps> = {}): EvaluateDeps {
  const storage = new FsEventsStorage(world.eventsDir);
  // Online evaluation gets an empty store of its own (no served lists): ticks here must not touch the world's events.
  const onlineStorage = new FsEventsStorage(`${world.root}/online-events`);
  return {
    online: createOnlineStore(onlineStorage, new EventsWriter(onlineStorage)),
    decideCanary: () => ({ verdict: 'hold', nextPercent: null, evidence: ['held in tests'], figures: {} }),
    notifier: silentNotifier,
    registry: createMetricsRegistry({ defaults: false }),
    windowMinutes: 30,
    retentionDays: 14,
    platform,
    readBundle: (uri) => readBundle(uri),
    readHoldout: async (window, scale) => (await readInteractions(storage, window, { scale })).records,
    readServed: (window) => readServedLists(storage, window),
    gate: DEFAULT_GATE,
    canaryPercent: 10,
    sender: { enqueue: (event) => void sent.push(event), flush: async () => undefined },
    logger: silentLogger,
    ...overrides,
  };
}

const post = (message: { headers: Record<string, string>; body: string }): EvaluateRequest => ({ method: 'POST', path: '/', ...message });
const trainedRequest = (data: ModelTrained) =>
  post(encodeEvent(buildEvent({ type: MODEL_TRAINED, source: eventSource('train'), data, id: data.runId }), 'binary'));

type Body = { decisions: Array<Record<string, unknown>>; basis: string | null };
const bodyOf = (response: EvaluateResponse): Body => response.body as Body;

describe('evaluate handler: model.trained', () => {
  it('puts the first model ever on all traffic as champion and announces it', async () => {
    const response = await createEvaluateHandler(deps())(trainedRequest(world.trained([world.first])));
    expect(response.status).toBe(200);
    expect(platform.calls).toEqual([{ operation: 'deploy', request: { modelUri: world.first.bundleUri, percent: 100, tag: 'champion' } }]);
    expect(bodyOf(response).decisions).toEqual([
      expect.objectContaining({ outcome: 'promoted', revision: 'recommend-00001', percent: 100, stage: 'full', champion: null }),
    ]);
    expect(String(bodyOf(response).decisions[0].reason)).toMatch(/^first model: nothing serves yet \(rmse 0\.\d{4}, ndcg@20 0\.\d{4}\); held-out slice 2026-11-25T/);
    expect(sent.map((e) => [e.type, e.subject, e.source])).toEqual([[MODEL_PROMOTED, world.first.version, '/movierec/evaluate']]);
    expect(sent[0].data).toMatchObject({ candidate: { version: world.first.version, bundleUri: world.first.bundleUri }, stage: 'full' });
  });

  it('treats a champion revision that never got ready, with no bundle behind it, as nothing serving', async () => {
    platform = new MemoryPlatform({ readyOnDeploy: false });
    await platform.deploy({ modelUri: `${world.root}/models/bootstrap`, percent: 100, tag: 'champion' });
    const response = await createEvaluateHandler(deps())(trainedRequest(world.trained([world.good])));
    expect(bodyOf(response).decisions[0]).toMatchObject({ outcome: 'promoted', stage: 'full', percent: 100 });
    expect(String(bodyOf(response).decisions[0].reason)).toContain('recommend-00001 never became ready and its bundle cannot be read');
  });

  it('with nothing serving, puts the best of several candidates on all traffic and rejects the others', async () => {
    const response = await createEvaluateHandler(deps())(trainedRequest(world.trained([world.first, world.good])));
    expect(bodyOf(response).decisions).toEqual([
      expect.objectContaining({ outcome: 'rejected', reason: expect.stringMatching(new RegExp(`^passed the offline gate, but ${world.good.version} did better`)) }),
      expect.objectContaining({ outcome: 'promoted', candidate: expect.objectContaining({ version: world.good.version }), stage: 'full' }),
    ]);
    expect(platform.calls).toEqual([{ operation: 'deploy', request: { modelUri: world.good.bundleUri, percent: 100, tag: 'champion' } }]);
  });

  it('rejects every candidate when the ready champion’s bundle cannot be read: no comparison, no change', async () => {
    await platform.deploy({ modelUri: `${world.root}/models/svd/gone`, percent: 100, tag: 'champion' });
    const response = await createEvaluateHandler(deps())(trainedRequest(world.trained([world.good])));
    expect(bodyOf(response).decisions).toEqual([
      expect.objectContaining({ outcome: 'rejected', reason: expect.stringMatching(/^no comparison possible: the champion's bundle \(recommend-00001\) cannot be read: /) }),
    ]);
    expect(platform.calls).toHaveLength(1);
  });

  it('gives the better candidate a canary and rejects the worse one, with evidence from the held-out slice', async () => {
    await platform.deploy({ modelUri: world.first.bundleUri, percent: 100, tag: 'champion' });
    const response = await createEvaluateHandler(deps())(trainedRequest(world.trained([world.bad, world.good])));
    expect(response.status).toBe(200);
    const body = bodyOf(response);
    expect(body.basis).toBe('holdout');
    const [bad, good] = body.decisions;
    expect(bad).toMatchObject({ outcome: 'rejected', candidate: { version: world.bad.version } });
    expect(String(bad.reason)).toMatch(/^failed the offline gate \(rmse 1\.\d{4} > 0\.\d{4} \+ 0\.01, ndcg@20 0\.\d{4} < 0\.\d{4} − 0\.01\)/);
    expect(good).toMatchObject({ outcome: 'promoted', stage: 'canary', percent: 10, revision: 'recommend-00002', champion: { version: world.first.version } });
    expect(good.evidence).toEqual([
      expect.objectContaining({ metric: 'rmse', passed: true, n: expect.any(Number) }),
      expect.objectContaining({ metric: 'ndcg@20', passed: true }),
      expect.objectContaining({ metric: 'hitRate@20', passed: true }),
    ]);
    const state = await platform.describe();
    expect(state.revisions.map((r) => [r.modelUri, r.percent, r.tag])).toEqual([
      [world.first.bundleUri, 90, 'champion'],
      [world.good.bundleUri, 10, 'candidate'],
    ]);
    expect(sent.map((e) => [e.type, e.subject])).toEqual([
      [MODEL_REJECTED, world.bad.version],
      [MODEL_PROMOTED, world.good.version],
    ]);
  });

  it('scores ranking on the organic slice: watches the champion caused no longer hide a better candidate', async () => {
    // Every user got the champion's list and watched 8 of its 20 movies: the slice is mostly those watches.
    const exposed = await exposeToChampion(world, world.first, 8);
    const storage = new FsEventsStorage(exposed.eventsDir);
    const readHoldout: EvaluateDeps['readHoldout'] = async (window, scale) => (await readInteractions(storage, window, { scale })).records;
    const run = async (readServed: EvaluateDeps['readServed']) => {
      platform = new MemoryPlatform();
      await platform.deploy({ modelUri: world.first.bundleUri, percent: 100, tag: 'champion' });
      const response = await createEvaluateHandler(deps({ readHoldout, readServed }))(trainedRequest(world.trained([world.good])));
      const body = response.body as Body & { slice: { ratings: number; users: number; recommended: number } };
      const evidence = body.decisions[0].evidence as Array<{ metric: string; candidate: number; champion: number; n: number; passed: boolean }>;
      return { body, decision: body.decisions[0], byMetric: Object.fromEntries(evidence.map((e) => [e.metric, e])) };
    };

    // Blind to exposure (no served lists read): the champion wins NDCG@20 on its own recommendations.
    const blind = await run(async () => []);
    expect(blind.decision).toMatchObject({ outcome: 'rejected' });
    expect(String(blind.decision.reason)).toMatch(/^failed the offline gate \(rmse 0\.\d{4} ≤ 0\.\d{4} \+ 0\.01, ndcg@20 0\.\d{4} < 0\.\d{4} − 0\.01\)/);
    expect(blind.byMetric['ndcg@20'].champion).toBeGreaterThan(blind.byMetric['ndcg@20'].candidate + 0.05);
    expect(blind.body.slice.recommended).toBe(0);

    // Reading the served lists: those pairs leave the ranking metrics, and the fresher model passes.
    const organic = await run((window) => readServedLists(storage, window));
    expect(organic.decision).toMatchObject({ outcome: 'promoted', stage: 'canary', candidate: { version: world.good.version } });
    expect(organic.body.slice.recommended).toBeGreaterThanOrEqual(exposed.watched);
    expect(String(organic.decision.reason)).toContain(`, ${organic.body.slice.recommended} pairs the users were recommended left out`);
    const [was, now] = [blind.byMetric['ndcg@20'], organic.byMetric['ndcg@20']];
    expect(now).toMatchObject({ passed: true });
    expect(now.candidate).toBeGreaterThanOrEqual(now.champion - 0.01);
    expect(now.champion).toBeLessThan(was.champion - 0.1);
    expect(now.n).toBeLessThan(was.n);
    // RMSE is scored on every held-out rating either way.
    expect(organic.byMetric.rmse).toEqual(blind.byMetric.rmse);
    expect(organic.body.slice.ratings).toBe(blind.body.slice.ratings);
  });

  it('falls back to the offline metrics when every held-out pair was recommended, and says so', async () => {
    await platform.deploy({ modelUri: world.first.bundleUri, percent: 100, tag: 'champion' });
    const everything = async (window: { from: number; to: number }) => {
      const records = await deps().readHoldout(window, { min: 1, max: 5 });
      return records.map((r) => ({ user: r.user, movies: [r.movie], time: window.from }));
    };
    const response = await createEvaluateHandler(deps({ readServed: everything }))(trainedRequest(world.trained([world.good])));
    const body = bodyOf(response);
    expect(body.basis).toBe('offline');
    expect(String(body.decisions[0].reason)).toMatch(/the organic held-out slice is empty \(all \d+ pairs left were recommended to their users, \d+ the champion had seen\): train's offline metrics compared with the champion manifest's/);
  });

  it('lets an undecided canary finish: a new winner waits, saying why, and the split is untouched', async () => {
    await platform.deploy({ modelUri: world.first.bundleUri, percent: 100, tag: 'champion' });
    await platform.deploy({ modelUri: world.bad.bundleUri, percent: 20, tag: 'candidate' });
    const response = await createEvaluateHandler(deps({ canaryPercent: 15 }))(trainedRequest(world.trained([world.good])));
    expect(bodyOf(response).decisions[0]).toMatchObject({ outcome: 'rejected', candidate: { bundleUri: world.good.bundleUri } });
    expect(String(bodyOf(response).decisions[0].reason)).toMatch(/^passed the offline gate \(.*\), but the canary recommend-00002 is still under online evaluation/);
    expect(platform.calls.slice(2)).toEqual([]);
    expect((await platform.describe()).revisions.map((r) => [r.name, r.percent, r.tag])).toEqual([
      ['recommend-00001', 80, 'champion'],
      ['recommend-00002', 20, 'candidate'],
    ]);
  });

  it('falls back to the offline metrics when nothing was held out, and says so', async () => {
    await platform.deploy({ modelUri: world.first.bundleUri, percent: 100, tag: 'champion' });
    const response = await createEvaluateHandler(deps())(trainedRequest(world.trained([world.good], { holdout: false })));
    const body = bodyOf(response);
    expect(body.basis).toBe('offline');
    expect(body.decisions[0]).toMatchObject({ outcome: 'promoted', stage: 'canary' });
    expect(String(body.decisions[0].reason)).toContain("no held-out slice (holdoutFrom is null): train's offline metrics compared with the champion manifest's");
    expect(body.decisions[0].evidence).toContainEqual({
      metric: 'rmse',
      candidate: world.good.metrics.rmse,
      champion: world.first.metrics.rmse,
      margin: 0.01,
      n: 0,
      passed: true,
    });
  });

  it('rejects a candidate whose bundle is missing or is not the version named, and deploys nothing', async () => {
    await platform.deploy({ modelUri: world.first.bundleUri, percent: 100, tag: 'champion' });
    const missing = { ...world.good, bundleUri: `${world.root}/models/svd/nowhere` };
    const mislabelled = { ...world.bad, version: world.good.version };
    const response = await createEvaluateHandler(deps())(trainedRequest(world.trained([missing, mislabelled])));
    expect(bodyOf(response).decisions).toEqual([
      expect.objectContaining({ outcome: 'rejected', reason: `the bundle cannot be used: ${missing.bundleUri}: no bundle here (manifest.json not found)` }),
      expect.objectContaining({ outcome: 'rejected', reason: `${world.bad.bundleUri} holds ${world.bad.version}, not ${world.good.version}` }),
    ]);
    expect(platform.calls).toHaveLength(1);
    expect(sent.map((e) => e.type)).toEqual([MODEL_REJECTED, MODEL_REJECTED]);
  });

  it('changes nothing and announces nothing for a redelivered event', async () => {
    const handle = createEvaluateHandler(deps());
    await handle(trainedRequest(world.trained([world.first])));
    const again = await handle(trainedRequest(world.trained([world.first])));
    expect(again.status).toBe(200);
    expect(bodyOf(again).decisions).toEqual([
      { outcome: 'unchanged', candidate: { version: world.first.version, bundleUri: world.first.bundleUri }, revision: 'recommend-00001', reason: 'already served by recommend-00001 (100 %, champion)' },
    ]);
    expect(platform.calls).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });

  it('decides one run at a time: two copies arriving together deploy once', async () => {
    const handle = createEvaluateHandler(deps());
    const [a, b] = await Promise.all([handle(trainedRequest(world.trained([world.first]))), handle(trainedRequest(world.trained([world.first])))]);
    expect([bodyOf(a).decisions[0].outcome, bodyOf(b).decisions[0].outcome]).toEqual(['promoted', 'unchanged']);
    expect(platform.calls).toHaveLength(1);
  });

  it.each([
    ['unreachable (retriable)', new PlatformError('describe', 'cannot reach it', { retriable: true }), 503, 'temporarily unavailable; retry later'],
    ['refusing (400)', new PlatformError('describe', 'refused (HTTP 400)', { status: 400, reasons: ['no'] }), 502, 'the serving platform refused the change'],
    ['broken', new TypeError('boom'), 500, 'internal error'],
  ])('answers a platform that is %s with %i and no internals', async (_name, error, status, message) => {
    const failing: ServingPlatform = {
      describe: () => Promise.reject(error),
      deploy: () => Promise.reject(error),
      setTraffic: () => Promise.reject(error),
    };
    const response = await createEvaluateHandler(deps({ platform: failing }))(trainedRequest(world.trained([world.good])));
    expect(response).toEqual({ status, body: { error: message } });
    expect(sent).toEqual([]);
  });
});

describe('evaluate handler: ticks, health and bad requests', () => {
  const tick = (type: string, body: string) =>
    post({ headers: { 'ce-specversion': '1.0', 'ce-type': type, 'ce-source': '/apis/v1/namespaces/movierec/pingsources/evaluation-tick', 'ce-id': 't-1', 'content-type': 'application/json' }, body });

  it.each([PING_TYPE, EVALUATION_TICK])('runs online evaluation on a %s tick: nothing served yet, nothing evaluated, the platform untouched', async (type) => {
    const response = await createEvaluateHandler(deps())(tick(type, '{"reason":"schedule"}'));
    expect(response).toEqual({ status: 200, body: expect.objectContaining({ reason: 'schedule', evaluated: null, report: null, decision: null }) });
    expect(platform.calls).toEqual([]);
  });

  it('answers /healthz, and 404 / 405 elsewhere', async () => {
    const handle = createEvaluateHandler(deps());
    expect(await handle({ method: 'GET', path: '/healthz', headers: {}, body: '' })).toEqual({ status: 200, body: { status: 'ok' } });
    expect((await handle({ method: 'GET', path: '/models', headers: {}, body: '' })).status).toBe(404);
    expect((await handle({ method: 'GET', path: '/', headers: {}, body: '' })).status).toBe(405);
  });

  it.each([
    ['a wrong type', () => tick('io.movierec.data.appended.v1', '{}'), /^type: expected one of io\.movierec\.model\.trained\.v1, /],
    ['no models', () => trainedRequest({ ...world.trained([world.good]), models: [] }), /^data: models: /],
    ['no envelope', () => post({ headers: { 'content-type': 'application/json' }, body: '{"runId":"x"}' }), /^not a valid CloudEvent: /],
    ['a tick with bad data', () => tick(PING_TYPE, '{"reason":""}'), /^data: reason: /],
  ])('refuses %s with 400 and the reasons', async (_name, request, reason) => {
    const response = await createEvaluateHandler(deps())(request());
    expect(response.status).toBe(400);
    expect((response.body as { errors: string[] }).errors[0]).toMatch(reason);
    expect(platform.calls).toEqual([]);
  });
});
