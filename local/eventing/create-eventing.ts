import type { HttpPost } from '../../lib/messaging/http-post.js';
import type { Channel } from '../../lib/messaging/channel.js';
import type { Logger } from '../../lib/ops/logger.js';
import type { Route } from '../http-route.js';
import type { Resource } from '../manifests/load-manifests.js';
import { ManifestError } from '../manifests/load-manifests.js';
import type { Broker } from './broker.js';
import { createBroker } from './broker.js';
import type { Clock } from './clock.js';
import type { ModelDecisionEvent } from './decision-log.js';
import { DecisionLog } from './decision-log.js';
import { ScheduleClock, systemClock } from './clock.js';
import type { DeliveryTarget } from './deliver.js';
import { createDeliverer } from './deliver.js';
import type { DeliveryCounts, DeliveryRecord } from './delivery-log.js';
import type { Destination } from './delivery-spec.js';
import { retryPolicyOf } from './delivery-spec.js';
import { eventingResources, localBatchSize, namespaceOf } from './eventing-specs.js';
import type { KafkaSource, KafkaSourceStatus } from './kafka-source.js';
import { createKafkaSource } from './kafka-source.js';
import type { PingSource, PingSourceStatus } from './ping-source.js';
import { createPingSource } from './ping-source.js';
import { streamsRoute } from './streams-route.js';

/**
 * The eventing half of the local runtime, from the `knative/` resources:
 * Broker ingress routes and their Triggers, KafkaSource dispatchers over the
 * channel, PingSources on a schedule clock `speed` times faster than real
 * time, and `POST /streams/:topic`. Sinks resolve at each delivery: a Broker
 * reference to its ingress URL, anything else through `resolveSink` (called
 * with `{ kind, name }`; a destination's `uri` is then resolved against the
 * answer, as Knative resolves `ref` + `uri`). The caller owns the channel and
 * closes it after `stop`.
 */

export interface EventingOptions {
  readonly resources: readonly Resource[];
  readonly channel: Channel;
  readonly resolveSink: (ref: { readonly kind: string; readonly name: string; readonly uri?: string }) => string | undefined;
  /** Where the ingress listens, e.g. `http://127.0.0.1:8080`. */
  readonly ingressUrl: string;
  /** The dead-letter file goes here. */
  readonly dataDir: string;
  /** Schedule clock speed for PingSources (1 = real time). */
  readonly speed: number;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** How long `stop` waits for deliveries in flight before aborting them. Default 10 s. */
  readonly stopTimeoutMs?: number;
  /** Per delivery attempt when the spec has no timeout. Default 30 s. */
  readonly requestTimeoutMs?: number;
  readonly post?: HttpPost;
}

export interface EventingStatus {
  readonly sources: ReadonlyArray<KafkaSourceStatus | PingSourceStatus>;
  readonly events: DeliveryCounts & { readonly last: readonly DeliveryRecord[] };
}

export interface Eventing {
  readonly routes: Route[];
  /** The last model decisions (promoted, rejected, rolled back) the Broker took in, oldest first. */
  decisions(): readonly ModelDecisionEvent[];
  /** The default Broker's ingress URL: what functions get as `K_SINK`. */
  readonly brokerUrl: string;
  status(): EventingStatus;
  start(): Promise<void>;
  /** Stop pings and consumers and refuse new events; wait for deliveries in flight up to `stopTimeoutMs`, then abort them. */
  stop(): Promise<void>;
}

export function createEventing(options: EventingOptions): Eventing {
  const { channel, logger } = options;
  const specs = eventingResources(options.resources);
  const ingress = options.ingressUrl.replace(/\/+$/, '');
  const stopping = new AbortController();
  const deliverer = createDeliverer({
    dataDir: options.dataDir,
    logger: logger.child({ component: 'delivery' }),
    signal: stopping.signal,
    ...(options.post === undefined ? {} : { post: options.post }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  });

  if (specs.brokers.length === 0) throw new ManifestError('knative/base', 'no Broker: functions would have no K_SINK');
  const brokerUrls = new Map(specs.brokers.map((b) => [`${namespaceOf(b)}/${b.metadata.name}`, `${ingress}/${namespaceOf(b)}/${b.metadata.name}`]));
  const defaultBroker = specs.brokers.find((b) => b.metadata.name === 'default') ?? specs.brokers[0];

  const target = (destination: Destination, namespace: string): DeliveryTarget => {
    const { ref, uri } = destination;
    if (ref === undefined) return { name: uri ?? '', url: () => uri };
    const name = ref.kind === 'Service' ? ref.name : `${ref.kind}/${ref.name}`;
    return {
      name: uri === undefined ? name : `${name}${uri}`,
      url: () => {
        const base = ref.kind === 'Broker' ? brokerUrls.get(`${ref.namespace ?? namespace}/${ref.name}`) : options.resolveSink({ kind: ref.kind, name: ref.name });
        if (base === undefined || uri === undefined) return base;
        return new URL(uri, base).toString();
      },
    };
  };

  const decisionLog = new DecisionLog();
  const brokers: Broker[] = specs.brokers.map((broker) => {
    const namespace = namespaceOf(broker);
    const triggers = specs.triggers.filter((t) => namespaceOf(t) === namespace && t.spec.broker === broker.metadata.name);
    return createBroker({
      namespace,
      name: broker.metadata.name,
      deliverer,
      observe: (event) => decisionLog.observe(event),
      logger: logger.child({ component: 'broker', broker: broker.metadata.name }),
      triggers: triggers.map((trigger) => {
        const delivery = trigger.spec.delivery ?? broker.spec.delivery;
        return {
          name: trigger.metadata.name,
          ...(trigger.spec.filter?.attributes === undefined ? {} : { filter: trigger.spec.filter.attributes }),
          subscriber: target(trigger.spec.subscriber, namespace),
          policy: retryPolicyOf(delivery),
          ...(delivery?.deadLetterSink === undefined ? {} : { deadLetterSink: target(delivery.deadLetterSink, namespace) }),
        };
      }),
    });
  });
  for (const trigger of specs.triggers) {
    if (!brokerUrls.has(`${namespaceOf(trigger)}/${trigger.spec.broker}`)) {
      throw new ManifestError('knative/base', `Trigger ${trigger.metadata.name}: spec.broker: no Broker ${trigger.spec.broker} in namespace ${namespaceOf(trigger)}`);
    }
  }

  const kafkaSources: KafkaSource[] = specs.kafkaSources.map((source) => {
    const namespace = namespaceOf(source);
    const { spec } = source;
    const batchSize = localBatchSize(source);
    return createKafkaSource({
      namespace,
      name: source.metadata.name,
      topics: spec.topics,
      consumerGroup: spec.consumerGroup,
      fromBeginning: (spec.initialOffset ?? 'latest') === 'earliest',
      ...(batchSize === undefined ? {} : { batchSize }),
      sink: target(spec.sink, namespace),
      policy: retryPolicyOf(spec.delivery),
      ...(spec.delivery?.deadLetterSink === undefined ? {} : { deadLetterSink: target(spec.delivery.deadLetterSink, namespace) }),
      channel,
      deliverer,
      logger: logger.child({ component: 'kafka-source', kafkaSource: source.metadata.name }),
    });
  });

  const baseClock = options.clock ?? systemClock;
  const scheduleClock = new ScheduleClock(baseClock, options.speed);
  const pingSources: PingSource[] = specs.pingSources.map((source) => {
    const { spec } = source;
    return createPingSource({
      namespace: namespaceOf(source),
      name: source.metadata.name,
      schedule: spec.schedule,
      ...(spec.contentType === undefined ? {} : { contentType: spec.contentType }),
      ...(spec.data === undefined ? {} : { data: spec.data }),
      ...(spec.dataBase64 === undefined ? {} : { dataBase64: spec.dataBase64 }),
      sink: target(spec.sink, namespaceOf(source)),
      deliverer,
      clock: scheduleClock,
      setTimer: (fn, ms) => baseClock.setTimer(fn, ms),
      logger: logger.child({ component: 'ping-source' }),
    });
  });

  const topics = new Set(specs.kafkaSources.flatMap((source) => source.spec.topics));
  const routes: Route[] = [...brokers.map((broker) => broker.route), streamsRoute({ channel, topics, logger: logger.child({ component: 'streams' }) })];

  return {
    routes,
    brokerUrl: `${ingress}/${namespaceOf(defaultBroker)}/${defaultBroker.metadata.name}`,
    decisions: () => decisionLog.snapshot(),
    status: () => ({
      sources: [...kafkaSources.flatMap((source) => source.status()), ...pingSources.map((source) => source.status())],
      events: deliverer.log.snapshot(),
    }),
    async start() {
      for (const source of kafkaSources) await source.start();
      for (const source of pingSources) source.start();
    },
    async stop() {
      for (const broker of brokers) broker.close();
      const settled = Promise.all([
        ...pingSources.map((source) => source.stop()),
        ...kafkaSources.map((source) => source.stop()),
        ...brokers.map((broker) => broker.idle()),
      ]);
      let timer: (() => void) | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = systemClock.setTimer(() => resolve('late'), options.stopTimeoutMs ?? 10_000);
      });
      if ((await Promise.race([settled.then(() => 'done' as const), late])) === 'late') {
        logger.warning('deliveries still in flight at stop: aborting them');
        stopping.abort();
      }
      timer?.();
      await settled;
    },
  };
}
