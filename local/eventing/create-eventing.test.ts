import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildEvent, encodeEvent } from '../../lib/messaging/cloud-event-codec.js';
import type { Channel } from '../../lib/messaging/channel.js';
import { createMemoryChannel } from '../../lib/messaging/memory-channel.js';
import { waitFor } from '../../lib/messaging/test-helpers/wait-for.js';
import { silentLogger } from '../../lib/ops/logger.js';
import type { Route } from '../http-route.js';
import type { Resource } from '../manifests/load-manifests.js';
import { defaultManifestsFolder, loadManifests } from '../manifests/load-manifests.js';
import type { Eventing, EventingOptions } from './create-eventing.js';
import { createEventing } from './create-eventing.js';
import { deadLetterPath } from './dead-letter-file.js';
import { ManualClock } from './test-helpers/manual-clock.js';
import { serveRoutes } from './test-helpers/route-server.js';
import type { Answer, SubscriberServer } from './test-helpers/subscriber-server.js';
import { startSubscriber } from './test-helpers/subscriber-server.js';

let base: Resource[];
beforeAll(async () => {
  base = await loadManifests(defaultManifestsFolder());
});

const withSpec = (r: Resource, spec: Record<string, unknown>): Resource => ({
  ...r,
  spec: { ...(typeof r.spec === 'object' && r.spec !== null ? r.spec : {}), ...spec },
});
const trained = (id: string) => encodeEvent(buildEvent({ type: 'io.movierec.model.trained.v1', source: '/movierec/train', data: { v: 1 }, id }), 'binary');
const appended = (id: string) => encodeEvent(buildEvent({ type: 'io.movierec.data.appended.v1', source: '/movierec/ingest', data: { n: 1 }, id }), 'binary');

describe('createEventing over knative/base', () => {
  let dataDir: string;
  let channel: Channel;
  const closers: Array<() => Promise<void>> = [];
  const services = new Map<string, SubscriberServer>();
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'movierec-eventing-'));
    channel = createMemoryChannel({ logger: silentLogger });
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await channel.close();
    await Promise.all([...services.values()].map((s) => s.close()));
    services.clear();
    await rm(dataDir, { recursive: true, force: true });
  });

  const boot = async (answers: Record<string, (index: number) => Answer> = {}, extra: Partial<EventingOptions> = {}) => {
    for (const name of ['ingest', 'train', 'evaluate']) {
      const answer = answers[name];
      services.set(name, await startSubscriber(answer === undefined ? undefined : (_r, i) => answer(i)));
    }
    const routes: Route[] = [];
    const ingress = await serveRoutes(routes);
    const clock = new ManualClock(Date.parse('2026-11-26T10:00:30Z'));
    const eventing: Eventing = createEventing({
      resources: base, channel, ingressUrl: ingress.url, dataDir, speed: 60, logger: silentLogger, clock,
      resolveSink: ({ kind, name }) => (kind === 'Service' ? services.get(name)?.url : undefined),
      ...extra,
    });
    routes.push(...eventing.routes);
    await eventing.start();
    closers.push(() => ingress.close(), () => eventing.stop());
    const service = (name: string) => services.get(name) ?? (() => { throw new Error(name); })();
    return { eventing, ingress, clock, service };
  };

  it('runs the movielog KafkaSource from POST /streams/movielog to ingest, in batches', async () => {
    const { eventing, ingress, service } = await boot();
    expect(eventing.brokerUrl).toBe(`${ingress.url}/movierec/default`);
    const response = await fetch(`${ingress.url}/streams/movielog`, { method: 'POST', body: 'a,1,GET /rate/x+1999=4\nb,1,GET /rate/y+2001=5\n' });
    expect(await response.json()).toMatchObject({ accepted: 2 });
    await waitFor('ingest to get both lines', () => service('ingest').events().length === 2);
    expect(service('ingest').received[0].headers['content-type']).toBe('application/cloudevents-batch+json');
    await waitFor('the commit', () => eventing.status().sources.some((s) => s.kind === 'KafkaSource' && s.lag === 0 && s.delivered === 2));
    expect(eventing.status().sources).toEqual(expect.arrayContaining([
      { kind: 'KafkaSource', name: 'movielog', topic: 'movielog', consumerGroup: 'movierec-ingest', produced: 2, delivered: 2, lag: 0, failures: 0 },
      expect.objectContaining({ kind: 'PingSource', name: 'evaluation-tick', schedule: '*/5 * * * *', fired: 0 }),
    ]));
  });

  it('routes Broker events by the Triggers, and PingSource ticks through the Broker', async () => {
    const { eventing, clock, service } = await boot();
    const { headers, body } = trained('t-1');
    expect((await fetch(eventing.brokerUrl, { method: 'POST', headers, body })).status).toBe(202);
    await waitFor('evaluate to get model.trained', () => service('evaluate').received.length === 1);
    clock.advance(4500); // schedule time 10:05:00 at speed 60: evaluation-tick fires
    await waitFor('evaluate to get the tick', () => service('evaluate').received.length === 2);
    const tick = service('evaluate').events()[1];
    expect(tick).toMatchObject({ type: 'dev.knative.sources.ping', source: '/apis/v1/namespaces/movierec/pingsources/evaluation-tick', data: { reason: 'schedule' } });
    expect(service('train').received).toHaveLength(0);
    await waitFor('three deliveries recorded', () => eventing.status().events.delivered === 3);
    const { events } = eventing.status();
    expect(events).toMatchObject({ delivered: 3, deadLettered: 0 });
    expect(events.last).toHaveLength(3);
    expect(events.last).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'io.movierec.model.trained.v1', id: 't-1', subscriber: 'evaluate', status: 200, outcome: 'delivered', attempts: 1 }),
      expect.objectContaining({ type: 'dev.knative.sources.ping', subscriber: 'Broker/default', status: 202, outcome: 'delivered' }),
      expect.objectContaining({ type: 'dev.knative.sources.ping', subscriber: 'evaluate', status: 200, outcome: 'delivered' }),
    ]));
  });

  it("dead-letters with the Broker's delivery to ingest /dead-letter, and to the file where a Trigger's own delivery has none", async () => {
    const { eventing, service } = await boot({ train: () => ({ status: 400, body: 'no' }) });
    await fetch(eventing.brokerUrl, { method: 'POST', ...appended('a-1') });
    await waitFor('the dead letter', () => service('ingest').received.length === 1);
    expect(service('ingest').received[0].path).toBe('/dead-letter');
    expect(service('ingest').events()[0]).toMatchObject({ id: 'a-1', knativeerrorcode: '400' });

    const retrain = encodeEvent(buildEvent({ type: 'io.movierec.retrain.requested.v1', source: '/movierec/evaluate', data: {}, id: 'r-1' }), 'binary');
    await fetch(eventing.brokerUrl, { method: 'POST', ...retrain });
    await waitFor('the dead-letter file', async () => (await readFile(deadLetterPath(dataDir), 'utf8').catch(() => '')).includes('"r-1"'));
    await waitFor('both counted', () => eventing.status().events.deadLettered === 2);
  });

  it('stops within its bound, leaving an undelivered run uncommitted for the next start', async () => {
    const { eventing, ingress, service } = await boot({ ingest: () => ({ status: 503 }) }, { stopTimeoutMs: 100 });
    await fetch(`${ingress.url}/streams/movielog`, { method: 'POST', body: 'a,1,x\n' });
    await waitFor('a first attempt', () => service('ingest').received.length > 0);
    await eventing.stop();
    expect((await fetch(eventing.brokerUrl, { method: 'POST', ...trained('late') })).status).toBe(503);
    expect(channel.stats('movielog', 'movierec-ingest').lag).toBe(1);

    // The next start delivers to a healthy sink: evaluate stands in for a recovered ingest.
    const patched = base.map((r) => (r.kind === 'KafkaSource' ? withSpec(r, { sink: { ref: { kind: 'Service', name: 'evaluate' } } }) : r));
    const rerouted = createEventing({ resources: patched, channel, ingressUrl: ingress.url, dataDir, speed: 1, logger: silentLogger, resolveSink: ({ name }) => services.get(name)?.url });
    closers.push(() => rerouted.stop());
    await rerouted.start();
    await waitFor('the same record again', () => service('evaluate').events().some((e) => e.data === 'a,1,x'));
    await waitFor('its commit', () => channel.stats('movielog', 'movierec-ingest').lag === 0);
  });
});

describe('createEventing spec checks', () => {
  const make = (resources: Resource[]) => () =>
    createEventing({ resources, channel: createMemoryChannel({ logger: silentLogger }), resolveSink: () => undefined, ingressUrl: 'http://127.0.0.1:1', dataDir: '/tmp', speed: 1, logger: silentLogger });
  const edit = (kind: string, name: string, change: (r: Resource) => Resource) => base.map((r) => (r.kind === kind && r.metadata.name === name ? change(r) : r));

  it.each([
    ['a bad schedule', () => edit('PingSource', 'evaluation-tick', (r) => withSpec(r, { schedule: '61 * * * *' })), /PingSource evaluation-tick: schedule: minute: 61 is out of range 0-59/],
    ['data that is not JSON', () => edit('PingSource', 'retrain-schedule', (r) => withSpec(r, { data: '{' })), /PingSource retrain-schedule: data: contentType is application\/json but data is not JSON/],
    ['a bad backoffDelay', () => edit('Trigger', 'train-retrain-requested', (r) => withSpec(r, { delivery: { retry: 2, backoffDelay: '1s' } })), /Trigger train-retrain-requested: delivery\.backoffDelay: expected an ISO-8601 duration/],
    ['a KafkaSource without topics', () => edit('KafkaSource', 'movielog', (r) => withSpec(r, { topics: [] })), /KafkaSource movielog: topics/],
    ['a bad batch size', () => edit('KafkaSource', 'movielog', (r) => ({ ...r, metadata: { ...r.metadata, annotations: { 'movierec.io/local-batch-size': 'lots' } } })), /KafkaSource movielog: metadata\.annotations\.movierec\.io\/local-batch-size/],
    ['a Trigger on a missing Broker', () => edit('Trigger', 'evaluate-tick', (r) => withSpec(r, { broker: 'nope' })), /Trigger evaluate-tick: spec\.broker: no Broker nope/],
    ['no Broker', () => base.filter((r) => r.kind !== 'Broker'), /no Broker/],
  ])('names the resource and field for %s', (_what, resources, message) => {
    expect(make(resources())).toThrow(message);
  });
});
