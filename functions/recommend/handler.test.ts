import type { CloudEvent } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServingModel } from '../../lib/artifacts/model-bundle.js';
import { loadServingModel } from '../../lib/artifacts/model-bundle.js';
import { RECOMMENDATION_SERVED, RecommendationServedSchema } from '../../lib/messaging/events/recommendation-served.js';
import { memoryLogger, silentLogger } from '../../lib/ops/logger.js';
import { createMetricsRegistry } from '../../lib/ops/metrics.js';
import { parsePromText, samplesOf } from '../../lib/ops/test-helpers/prom-text.js';
import type { ModelState, RecommendDeps } from './handler.js';
import { handleRecommend, trackModel } from './handler.js';
import { RecommendMetrics } from './recommend-metrics.js';
import type { TestBundle } from './test-helpers/bundle.js';
import { writeTestBundle } from './test-helpers/bundle.js';

let bundle: TestBundle;
let model: ServingModel;
beforeAll(async () => {
  bundle = await writeTestBundle();
  model = await loadServingModel(bundle.dir);
});
afterAll(() => bundle.remove());

function deps(state: ModelState, overrides: Partial<RecommendDeps> = {}) {
  const events: Array<CloudEvent<unknown>> = [];
  const log = memoryLogger();
  const ticks = [10, 10.25];
  const value: RecommendDeps = {
    model: () => state,
    sender: { enqueue: (event) => events.push(event) },
    logger: log.logger,
    metrics: new RecommendMetrics(createMetricsRegistry({ defaults: false }), 'recommend-00001'),
    n: 20,
    revision: 'recommend-00001',
    clock: () => ticks.shift() ?? 99,
    now: () => new Date('2026-11-26T10:15:00.000Z'),
    ...overrides,
  };
  return { deps: value, events, lines: log.lines };
}
const get = (path: string) => ({ method: 'GET', path });
const ready = (): ModelState => ({ status: 'ready', model });

describe('handleRecommend', () => {
  it('answers up to 20 unseen movie ids, comma-separated, with the model version and revision', async () => {
    const user = bundle.users[5];
    const { deps: d, events } = deps(ready());
    const response = await handleRecommend(get(`/recommend/${user}`), d);
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({ 'Content-Type': 'text/plain; charset=utf-8', 'X-Model-Version': bundle.version, 'X-Revision': 'recommend-00001' });
    expect(response.headers['X-Fallback']).toBeUndefined();
    const ids = response.body.split(',');
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    expect(response.body).not.toMatch(/\s/);
    expect(ids.filter((id) => bundle.seenBy(user).includes(id))).toEqual([]);
    expect(bundle.seenBy(user).length).toBeGreaterThan(0);

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: RECOMMENDATION_SERVED, source: '/movierec/recommend', time: '2026-11-26T10:15:00.000Z' });
    expect(RecommendationServedSchema.parse(events[0].data)).toEqual({
      user, movies: ids, modelVersion: bundle.version, revision: 'recommend-00001', latencyMs: 0.25, fallback: false, servedAt: '2026-11-26T10:15:00.000Z',
    });
  });

  it('gives an unknown user the popular movies, flagged', async () => {
    const { deps: d, events } = deps(ready());
    const response = await handleRecommend(get('/recommend/4242/'), d);
    expect(response).toMatchObject({ status: 200, body: bundle.popular.slice(0, 20).join(','), headers: { 'X-Fallback': 'true' } });
    expect(events[0].data).toMatchObject({ user: '4242', fallback: true });
  });

  it('answers n movies when configured, and reads leading zeros as the same user', async () => {
    const user = bundle.users[3];
    const plain = await handleRecommend(get(`/recommend/${user}`), deps(ready(), { n: 5 }).deps);
    const padded = await handleRecommend(get(`/recommend/000${user}`), deps(ready(), { n: 5 }).deps);
    expect(plain.body.split(',')).toHaveLength(5);
    expect(padded.body).toBe(plain.body);
  });

  it.each([
    ['/recommend/abc', 400, 'user id must be decimal digits (got "abc")'],
    ['/recommend/-1', 400, 'user id must be decimal digits (got "-1")'],
    ['/recommend/1.5', 400, 'user id must be decimal digits (got "1.5")'],
    ['/recommend/%31', 400, 'user id must be decimal digits (got "%31")'],
    ['/recommend/', 400, 'user id must be decimal digits (got "")'],
    ['/recommend/1234567890123', 400, 'user id must be at most 12 digits (got 13)'],
    ['/', 404, 'not found'],
    ['/recommend/1/2', 404, 'not found'],
    ['/recommendations/1', 404, 'not found'],
    ['/healthz/x', 404, 'not found'],
    ['/healthz', 200, 'ok'],
    ['/healthz/', 200, 'ok'],
  ])('GET %s → %i %j', async (path, status, body) => {
    const { deps: d, events } = deps(ready());
    const response = await handleRecommend(get(path), d);
    expect(response).toMatchObject({ status, body, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    expect(events).toEqual([]);
  });

  it('allows only GET and HEAD', async () => {
    const response = await handleRecommend({ method: 'POST', path: '/recommend/1' }, deps(ready()).deps);
    expect(response).toMatchObject({ status: 405, headers: { Allow: 'GET, HEAD' } });
  });

  it.each([
    [{ status: 'loading' } as const, 'loading', 'model loading'],
    [{ status: 'failed' } as const, 'failed', 'model unavailable'],
  ])('is unready while the model is %o', async (state, health, answer) => {
    const { deps: d, events } = deps(state);
    expect(await handleRecommend(get('/healthz'), d)).toMatchObject({ status: 503, body: health });
    expect(await handleRecommend(get('/recommend/1'), d)).toMatchObject({ status: 503, body: answer });
    expect(events).toEqual([]);
  });

  it('answers a plain 500 when the model throws, and logs the detail', async () => {
    const broken: ServingModel = { ...model, recommend: () => { throw new Error('index 7 out of range in qi'); } };
    const { deps: d, lines } = deps({ status: 'ready', model: broken });
    const response = await handleRecommend(get('/recommend/1'), d);
    expect(response).toMatchObject({ status: 500, body: 'internal error' });
    expect(lines).toMatchObject([{ severity: 'ERROR', message: 'recommend failed', error: { message: 'index 7 out of range in qi' } }]);
  });

  it('still answers when the served event cannot be queued', async () => {
    const { deps: d, lines } = deps(ready(), { sender: { enqueue: () => { throw new Error('full'); } } });
    expect((await handleRecommend(get('/recommend/1'), d)).status).toBe(200);
    expect(lines).toMatchObject([{ severity: 'ERROR', message: 'cannot queue the served event' }]);
  });
});

describe('handleRecommend metrics', () => {
  const counted = async (d: RecommendDeps) => {
    const response = await handleRecommend(get('/metrics'), d);
    expect(response.status).toBe(200);
    return samplesOf(parsePromText(response.body), 'movierec_recommend_requests_total')
      .filter((s) => s.value > 0)
      .map((s) => [s.labels.model_version, s.labels.status, s.value]);
  };

  it('counts 503s while loading under model_version "none", then answers under the loaded version, timed by the clock', async () => {
    let state: ModelState = { status: 'loading' };
    const { deps: d } = deps(state, { model: () => state, clock: () => 5 });
    await handleRecommend(get('/recommend/1'), d);
    state = ready();
    await handleRecommend(get('/recommend/1'), d);
    await handleRecommend({ method: 'POST', path: '/recommend/1' }, d);
    await handleRecommend(get('/recommend/1/2'), d);
    expect(await counted(d)).toEqual([
      ['none', '503', 1],
      [bundle.version, '200', 1],
      [bundle.version, '405', 1],
    ]);
  });

  it('counts a model failure as a 500 of that model version', async () => {
    const broken: ServingModel = { ...model, recommend: () => { throw new Error('index 7 out of range in qi'); } };
    const { deps: d } = deps({ status: 'ready', model: broken });
    await handleRecommend(get('/recommend/1'), d);
    expect(await counted(d)).toEqual([[bundle.version, '500', 1]]);
  });

  it('observes the latency the clock measured, in seconds', async () => {
    const { deps: d } = deps(ready(), { clock: (() => { const ticks = [10, 10.25, 12]; return () => ticks.shift() ?? 99; })() });
    await handleRecommend(get(`/recommend/${bundle.users[0]}`), d);
    const body = (await handleRecommend(get('/metrics'), d)).body;
    const sums = samplesOf(parsePromText(body), 'movierec_recommend_request_duration_seconds_sum', { status: '200', model_version: bundle.version });
    expect(sums.map((s) => s.value)).toEqual([0.002]);
  });
});

describe('trackModel', () => {
  it('goes from loading to ready', async () => {
    let resolve: (m: ServingModel) => void = () => undefined;
    const state = trackModel(new Promise<ServingModel>((r) => { resolve = r; }), silentLogger);
    expect(state()).toEqual({ status: 'loading' });
    resolve(model);
    await Promise.resolve();
    expect(state()).toMatchObject({ status: 'ready', model });
  });

  it('stays unready after a failed load, logging why', async () => {
    const log = memoryLogger();
    const state = trackModel(Promise.reject(new Error('blob qi.f32: sha256 mismatch')), log.logger);
    await Promise.resolve();
    expect(state()).toEqual({ status: 'failed' });
    expect(log.lines).toMatchObject([{ severity: 'ERROR', message: 'model load failed; staying unready', error: { message: 'blob qi.f32: sha256 mismatch' } }]);
  });
});
