import { randomUUID } from 'node:crypto';
import { CloudEvent } from 'cloudevents';
import { PING_TYPE } from '../../lib/messaging/event-types.js';
import type { Logger } from '../../lib/ops/logger.js';
import type { ScheduleClock } from './clock.js';
import type { CronSchedule } from './cron.js';
import { nextFire } from './cron.js';
import type { Deliverer, DeliveryTarget } from './deliver.js';
import type { RetryPolicy } from './delivery-spec.js';

/**
 * A PingSource: at each minute its cron schedule names (on the schedule
 * clock, which may run faster than real time) it sends `type
 * dev.knative.sources.ping`, `source /apis/v1/namespaces/<ns>/pingsources/<name>`,
 * `time` = the scheduled minute, and `spec.data` as data with
 * `spec.contentType`, to its sink. Missed minutes (a blocked process) are not
 * caught up; the next fire is always the next scheduled minute from now.
 */

export interface PingSourceOptions {
  readonly namespace: string;
  readonly name: string;
  readonly schedule: CronSchedule;
  readonly contentType?: string;
  readonly data?: string;
  readonly dataBase64?: string;
  readonly sink: DeliveryTarget;
  readonly deliverer: Deliverer;
  readonly clock: ScheduleClock;
  /** Sets the real timers (the schedule clock's base). */
  readonly setTimer: (fn: () => void, ms: number) => () => void;
  readonly logger: Logger;
  /** Default: 2 retries, exponential from 200 ms. */
  readonly policy?: RetryPolicy;
}

export interface PingSourceStatus {
  readonly kind: 'PingSource';
  readonly name: string;
  readonly schedule: string;
  /** The next scheduled minute (schedule time, ISO); null when stopped. */
  readonly next: string | null;
  readonly fired: number;
  /** Fires whose delivery failed (dead-lettered or worse). */
  readonly failed: number;
}

export interface PingSource {
  start(): void;
  /** Cancel the timer and wait for deliveries in flight. */
  stop(): Promise<void>;
  status(): PingSourceStatus;
}

const DEFAULT_POLICY: RetryPolicy = { retry: 2, backoffPolicy: 'exponential', backoffDelayMs: 200 };

export function pingSourceUri(namespace: string, name: string): string {
  return `/apis/v1/namespaces/${namespace}/pingsources/${name}`;
}

/** The event a PingSource sends for the scheduled minute `at`. JSON data is sent as JSON, anything else as given. */
export function pingEvent(options: Pick<PingSourceOptions, 'namespace' | 'name' | 'contentType' | 'data' | 'dataBase64'>, at: number): CloudEvent<unknown> {
  let data: unknown = options.data;
  if (options.dataBase64 !== undefined) data = Buffer.from(options.dataBase64, 'base64');
  else if (options.data !== undefined && /json/i.test(options.contentType ?? '')) {
    try {
      data = JSON.parse(options.data);
    } catch {
      data = options.data;
    }
  }
  return new CloudEvent<unknown>({
    specversion: '1.0',
    id: randomUUID(),
    type: PING_TYPE,
    source: pingSourceUri(options.namespace, options.name),
    time: new Date(at).toISOString(),
    ...(options.contentType === undefined ? {} : { datacontenttype: options.contentType }),
    ...(data === undefined ? {} : { data }),
  });
}

export function createPingSource(options: PingSourceOptions): PingSource {
  const { clock, logger } = options;
  const inFlight = new Set<Promise<void>>();
  let next: number | undefined;
  let cancel: (() => void) | undefined;
  let fired = 0;
  let failed = 0;
  let running = false;

  const fire = (at: number) => {
    fired += 1;
    const event = pingEvent(options, at);
    const delivery = options.deliverer
      .deliver({ events: [event], batch: false, subscriber: options.sink, policy: options.policy ?? DEFAULT_POLICY })
      .then((result) => {
        if (result.outcome !== 'delivered') failed += 1;
      })
      .catch((error: unknown) => {
        failed += 1;
        logger.error('ping delivery failed', { pingSource: options.name, id: event.id, error });
      })
      .finally(() => inFlight.delete(delivery));
    inFlight.add(delivery);
  };

  const arm = (from: number) => {
    next = nextFire(options.schedule, from);
    if (next === undefined || !running) return;
    const at = next;
    cancel = options.setTimer(() => {
      if (!running) return;
      fire(at);
      arm(Math.max(at, clock.now()));
    }, clock.realDelay(at));
  };

  return {
    start() {
      if (running) return;
      running = true;
      arm(clock.now());
      logger.info('ping source started', { pingSource: options.name, schedule: options.schedule.text, speed: clock.speed });
    },
    async stop() {
      running = false;
      cancel?.();
      cancel = undefined;
      next = undefined;
      await Promise.all([...inFlight]);
    },
    status: () => ({
      kind: 'PingSource',
      name: options.name,
      schedule: options.schedule.text,
      next: next === undefined ? null : new Date(next).toISOString(),
      fired,
      failed,
    }),
  };
}
