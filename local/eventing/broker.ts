import type { IncomingMessage } from 'node:http';
import { CloudEvent, HTTP } from 'cloudevents';
import type { Logger } from '../../lib/ops/logger.js';
import type { Route } from '../http-route.js';
import { readBody, sendJson } from '../http-route.js';
import type { Deliverer, DeliveryTarget } from './deliver.js';
import type { RetryPolicy } from './delivery-spec.js';
import { matchesFilter } from './trigger-filter.js';
import type { WorkQueue } from './work-queue.js';
import { createWorkQueue } from './work-queue.js';

/**
 * The Broker: its ingress (`POST /<namespace>/<broker>`, the `K_SINK` of every
 * function) takes one CloudEvent, binary or structured, answers 202 once it is
 * queued, and fans it out to every Trigger whose filter matches. Each Trigger
 * has its own bounded queue and workers, so a slow subscriber delays only its
 * own deliveries; when a matching Trigger's queue is full (or the broker is
 * stopping) the ingress answers 503 and queues nothing, and the sender
 * retries. Events still queued when the runtime stops go to the dead-letter file.
 */

export interface TriggerRoute {
  readonly name: string;
  readonly filter?: Readonly<Record<string, string>>;
  readonly subscriber: DeliveryTarget;
  readonly deadLetterSink?: DeliveryTarget;
  /** The Trigger's delivery, else the Broker's. */
  readonly policy: RetryPolicy;
}

export interface BrokerOptions {
  readonly namespace: string;
  readonly name: string;
  readonly triggers: readonly TriggerRoute[];
  readonly deliverer: Deliverer;
  readonly logger: Logger;
  /** Events a Trigger holds (waiting and in flight) at most. Default 10,000. */
  readonly queueLimit?: number;
  /** Deliveries in flight per Trigger. Default 8. */
  readonly concurrency?: number;
  /** The largest event accepted. Default 10 MiB. */
  readonly maxBodyBytes?: number;
  /** Sees every event the Broker accepted, matched by a Trigger or not (the dashboard's decision log). */
  readonly observe?: (event: CloudEvent<unknown>) => void;
}

export type Decoded = { readonly ok: true; readonly event: CloudEvent<unknown> } | { readonly ok: false; readonly reasons: readonly string[] };

export interface Broker {
  /** `/<namespace>/<name>` */
  readonly path: string;
  readonly route: Route;
  /** Fan an event out; false (and nothing queued) when a matching Trigger's queue is full. */
  publish(event: CloudEvent<unknown>): boolean;
  /** Resolves once every Trigger queue is empty and idle. */
  idle(): Promise<void>;
  /** Events waiting or in flight, over all Triggers. */
  pending(): number;
  /** Refuse new events (503) from now on. */
  close(): void;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const details = 'errors' in error ? error.errors : undefined;
    return Array.isArray(details) && details.length > 0 ? `${error.message}: ${JSON.stringify(details)}` : error.message;
  }
  return String(error);
}

/** One CloudEvent from a request's headers and body, or the reasons it is not one. */
export function decodeIncoming(headers: IncomingMessage['headers'], body: Buffer): Decoded {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') flat[name] = value;
    else if (Array.isArray(value)) flat[name] = value.join(', ');
  }
  const contentType = flat['content-type'] ?? '';
  const textual = flat['ce-specversion'] === undefined || /json|text|xml|form/i.test(contentType);
  try {
    const decoded = HTTP.toEvent<unknown>({ headers: flat, body: textual ? body.toString('utf8') : body });
    if (Array.isArray(decoded)) return { ok: false, reasons: ['a batch of CloudEvents where one event was expected'] };
    // toEvent does not validate binary-mode attributes; the constructor does.
    return { ok: true, event: new CloudEvent<unknown>({ ...decoded }) };
  } catch (error) {
    return { ok: false, reasons: [`not a valid CloudEvent: ${describe(error)}`] };
  }
}

export function createBroker(options: BrokerOptions): Broker {
  const { deliverer, logger } = options;
  const path = `/${options.namespace}/${options.name}`;
  const queues: Array<{ readonly trigger: TriggerRoute; readonly queue: WorkQueue<CloudEvent<unknown>> }> = options.triggers.map((trigger) => ({
    trigger,
    queue: createWorkQueue<CloudEvent<unknown>>({
      limit: options.queueLimit ?? 10_000,
      concurrency: options.concurrency ?? 8,
      work: async (event) => {
        await deliverer.deliver({
          events: [event],
          batch: false,
          subscriber: trigger.subscriber,
          policy: trigger.policy,
          onAbort: 'file',
          ...(trigger.deadLetterSink === undefined ? {} : { deadLetterSink: trigger.deadLetterSink }),
        });
      },
      onError: (error, event) => logger.error('trigger delivery failed', { trigger: trigger.name, id: event.id, type: event.type, error }),
    }),
  }));

  let closed = false;

  function publish(event: CloudEvent<unknown>): boolean {
    if (closed) return false;
    const matching = queues.filter(({ trigger }) => matchesFilter(trigger.filter, event));
    if (!matching.every(({ queue }) => queue.fits(1))) return false;
    for (const { queue } of matching) queue.push(event);
    options.observe?.(event);
    logger.debug('event accepted', { id: event.id, type: event.type, triggers: matching.map(({ trigger }) => trigger.name) });
    return true;
  }

  const route: Route = async (req, res, url) => {
    if (url.pathname !== path) return false;
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return true;
    }
    let body: Buffer;
    try {
      body = await readBody(req, options.maxBodyBytes ?? 10 * 1024 * 1024);
    } catch (error) {
      if (error instanceof RangeError) sendJson(res, 413, { error: error.message });
      else sendJson(res, 400, { error: 'could not read the request body' });
      return true;
    }
    const decoded = decodeIncoming(req.headers, body);
    if (!decoded.ok) {
      sendJson(res, 400, { error: 'not a CloudEvent', reasons: decoded.reasons });
      return true;
    }
    if (!publish(decoded.event)) {
      res.setHeader('Retry-After', '1');
      sendJson(res, 503, { error: closed ? 'the broker is stopping' : 'broker queue full' });
      return true;
    }
    res.writeHead(202).end();
    return true;
  };

  return {
    path,
    route,
    publish,
    async idle() {
      await Promise.all(queues.map(({ queue }) => queue.idle()));
    },
    pending: () => queues.reduce((sum, { queue }) => sum + queue.size, 0),
    close() {
      closed = true;
    },
  };
}
