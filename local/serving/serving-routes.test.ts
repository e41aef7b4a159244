import { afterEach, describe, expect, it } from 'vitest';
import { Rng } from '../../lib/models/rng.js';
import { silentLogger } from '../../lib/ops/logger.js';
import type { Ingress } from '../ingress.js';
import { createIngress } from '../ingress.js';
import { freePort } from '../../lib/ops/free-port.js';
import type { RevisionProcess } from './function-process.js';
import { RecommendRevisions } from './recommend-revisions.js';
import { createServingRoutes } from './serving-routes.js';
import type { FakeRevision } from './test-helpers/fake-revision.js';
import { startFakeRevision } from './test-helpers/fake-revision.js';
import { until } from './test-helpers/until.js';

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** The serving routes on an ingress, over a table whose deploys get fake processes (or `processes` in order). */
async function setUp(processes: RevisionProcess[] = []) {
  const fakes = new Map<string, FakeRevision>();
  const table = new RecommendRevisions({
    launch: async (name) => {
      const given = processes.shift();
      if (given !== undefined) return given;
      const fake = await startFakeRevision(name);
      fakes.set(name, fake);
      cleanups.push(() => fake.process.stop().then(() => undefined));
      return fake.process;
    },
    modelVersion: async () => 'v',
    logger: silentLogger,
    readyTimeoutMs: 30_000,
  });
  const rng = new Rng(5);
  const serving = createServingRoutes({ revisions: table, logger: silentLogger, random: () => rng.next() });
  const ingress: Ingress = await createIngress({ port: 0, host: '127.0.0.1', routes: serving.routes, logger: silentLogger });
  cleanups.push(() => ingress.close(), () => serving.close(), () => table.close());
  const fake = (name: string): FakeRevision => {
    const found = fakes.get(name);
    if (found === undefined) throw new Error(`no fake for ${name}`);
    return found;
  };
  const deployReady = async (modelUri: string, percent: number) => {
    const { revision } = await table.deploy({ modelUri, percent });
    fake(revision).markReady();
    expect(await table.settled(revision)).toBe('ready');
    return revision;
  };
  const get = async (path: string) => {
    const response = await fetch(`${ingress.url}${path}`);
    return { status: response.status, revision: response.headers.get('x-revision'), text: await response.text() };
  };
  const call = async (method: string, path: string, body?: string) => {
    const response = await fetch(`${ingress.url}${path}`, { method, ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }) });
    return { status: response.status, json: (await response.json()) as unknown };
  };
  return { table, fake, deployReady, get, call };
}

describe('GET /recommend/* through the ingress', () => {
  it('answers 503 while no revision is ready, and never sends a request to one that is not', async () => {
    const { table, fake, get } = await setUp();
    expect(await get('/recommend/42')).toMatchObject({ status: 503, text: 'no model serving yet' });
    const { revision } = await table.deploy({ modelUri: 'a', percent: 100 });
    expect(await get('/recommend/42')).toMatchObject({ status: 503, text: 'no model serving yet' });
    expect(fake(revision).received).toEqual([]);
    fake(revision).markReady();
    await table.settled(revision);
    expect(await get('/recommend/42?x=1')).toEqual({ status: 200, revision, text: `answer from ${revision}` });
    expect(fake(revision).received).toEqual(['/recommend/42?x=1']);
    // What the canary analysis' error guard reads: answers given, none an error.
    expect((await table.describe()).revisions[0]).toMatchObject({ name: revision, requests: 1, errors: 0 });
  });

  it('splits requests over the ready revisions only, by their shares', async () => {
    const { table, fake, deployReady, get } = await setUp();
    const a = await deployReady('a', 100);
    const { revision: b } = await table.deploy({ modelUri: 'b', percent: 50 });
    for (let i = 0; i < 20; i++) expect((await get(`/recommend/${i}`)).revision).toBe(a);
    expect(fake(b).received).toEqual([]);
    fake(b).markReady();
    await table.settled(b);
    const seen = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const { status, revision } = await get(`/recommend/${i}`);
      expect(status).toBe(200);
      seen.set(revision ?? '', (seen.get(revision ?? '') ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual([a, b]);
    expect(Math.abs((seen.get(a) ?? 0) - 100)).toBeLessThan(40);
  });

  it('lets a drained revision finish its in-flight request and sends it no new one', async () => {
    const { table, fake, deployReady, get } = await setUp();
    const a = await deployReady('a', 100);
    const b = await deployReady('b', 0);
    await table.setTraffic([{ revision: a, percent: 100, tag: 'champion' }, { revision: b, percent: 0, tag: 'candidate' }]);
    fake(a).hold();
    const inFlight = get('/recommend/7');
    await until('a holds the request', () => fake(a).held === 1);
    await table.setTraffic([{ revision: b, percent: 100, tag: 'champion' }]);
    const draining = table.statuses().find((r) => r.name === a);
    expect(draining).toMatchObject({ phase: 'draining', percent: 0, inFlight: 1 });
    for (let i = 0; i < 10; i++) expect((await get(`/recommend/${i}`)).revision).toBe(b);
    expect(fake(a).received).toEqual(['/recommend/7']);
    expect(fake(a).stopped).toBe(false);
    fake(a).release();
    expect(await inFlight).toEqual({ status: 200, revision: a, text: `answer from ${a}` });
    await until('a stopped and removed', () => !table.statuses().some((r) => r.name === a));
    expect(fake(a).stopped).toBe(true);
  });

  it('answers 502 when the revision cannot be reached, and counts it as the revision\u2019s error', async () => {
    const port = await freePort();
    const exit = { code: 0, signal: null, expected: true };
    const unreachable: RevisionProcess = {
      url: `http://127.0.0.1:${port}`,
      pid: null,
      exited: Promise.resolve(exit),
      waitReady: async () => undefined,
      stop: async () => exit,
    };
    const { table, get } = await setUp([unreachable]);
    const { revision } = await table.deploy({ modelUri: 'a', percent: 100 });
    await table.settled(revision);
    expect(await get('/recommend/1')).toMatchObject({ status: 502, text: 'bad gateway' });
    expect(table.statuses()[0].inFlight).toBe(0);
    expect((await table.describe()).revisions[0]).toMatchObject({ requests: 1, errors: 1 });
  });
});

describe('the platform API', () => {
  it('describes, deploys and sets traffic', async () => {
    const { fake, call, table } = await setUp();
    expect(await call('GET', '/platform/services/recommend')).toEqual({ status: 200, json: { revisions: [] } });
    const deployed = await call('POST', '/platform/services/recommend/revisions', JSON.stringify({ modelUri: '/m/a', percent: 10 }));
    expect(deployed).toEqual({ status: 202, json: { revision: 'recommend-00001' } });
    fake('recommend-00001').markReady();
    await table.settled('recommend-00001');
    const traffic = JSON.stringify({ traffic: [{ revision: 'recommend-00001', percent: 100, tag: 'champion' }] });
    const set = await call('PUT', '/platform/services/recommend/traffic', traffic);
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ revisions: [{ name: 'recommend-00001', percent: 100, tag: 'champion', ready: true, modelVersion: 'v' }] });
  });

  it.each([
    ['POST', '/revisions', 'not json', ['body is not valid JSON']],
    ['POST', '/revisions', '{"percent": 10}', [expect.stringMatching(/^modelUri: /)]],
    ['PUT', '/traffic', '{"traffic": [{"revision": "recommend-00001", "percent": 100}]}', ['revision recommend-00001 does not exist']],
    ['PUT', '/traffic', '{"traffic": []}', ['traffic must name at least one revision']],
    ['PUT', '/traffic', '{"traffic": [{"revision": "x", "percent": -1}]}', [expect.stringMatching(/^traffic\.0\.percent: /)]],
  ])('answers 400 with the reasons for %s %s %s', async (method, path, body, errors) => {
    const { call } = await setUp();
    expect(await call(method, `/platform/services/recommend${path}`, body)).toEqual({ status: 400, json: { errors } });
  });

  it('answers 405 for a wrong method and 404 for an unknown platform path', async () => {
    const { call } = await setUp();
    expect((await call('DELETE', '/platform/services/recommend')).status).toBe(405);
    expect((await call('GET', '/platform/services/recommend/traffic')).status).toBe(405);
    expect((await call('GET', '/platform/services/ingest')).status).toBe(404);
  });
});
