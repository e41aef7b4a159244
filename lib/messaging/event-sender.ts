import type { HttpPost } from './http-post.js';
import { httpPost } from './http-post.js';
import type { CloudEvent } from 'cloudevents';
import type { Logger } from '../ops/logger.js';
import type { HttpMessage } from './cloud-event-codec.js';
import { encodeEvent } from './cloud-event-codec.js';

/**
 * A batching CloudEvent sender for events that must never slow a request:
 * `enqueue` only queues. The queue is flushed when `batchSize` events wait and
 * every `flushMs`; each event is POSTed to the sink (the Broker, `K_SINK`) in
 * binary mode. Retriable failures (5xx, 408, 429, network) are retried with
 * exponential backoff and jitter a bounded number of times; then the event is
 * dropped, counted, and reported in one log line per flush. Timers are unref'd
 * so the sender never keeps a process alive.
 */

export interface SenderStats {
  readonly queued: number;
  readonly sent: number;
  readonly retried: number;
  readonly dropped: number;
}

export interface EventSender {
  /** Queue an event; never blocks, never throws. */
  enqueue(event: CloudEvent<unknown>): void;
  /** Send everything queued now; resolves when those sends have finished (delivered or dropped). */
  flush(): Promise<void>;
  /** Stop the timer, send what is queued, and refuse (drop) later events. */
  close(): Promise<void>;
  stats(): SenderStats;
}

export interface EventSenderOptions {
  /** Where to POST events; without one, every event is dropped (one log line says so at creation). */
  readonly sink: string | undefined;
  readonly batchSize: number;
  readonly flushMs: number;
  readonly logger: Logger;
  /** Attempts per event, the first included. Default 4. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly requestTimeoutMs?: number;
  /** Events held at most; beyond it new events are dropped. Default 10,000. */
  readonly maxQueued?: number;
  /** Requests in flight at once. Default 8. */
  readonly concurrency?: number;
  /** How a POST goes out (tests may gate it); default `httpPost`, keep-alive node:http. */
  readonly post?: HttpPost;
  /** In [0, 1); the jitter's source. */
  readonly random?: () => number;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** A sender with nowhere to send: counts every event as dropped. */
function droppingSender(logger: Logger): EventSender {
  let dropped = 0;
  logger.warning('no event sink (K_SINK is not set): emitted events are dropped');
  return {
    enqueue: () => {
      dropped += 1;
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
    stats: () => ({ queued: 0, sent: 0, retried: 0, dropped }),
  };
}

export function createEventSender(options: EventSenderOptions): EventSender {
  const { sink, batchSize, flushMs, logger } = options;
  if (sink === undefined) return droppingSender(logger);
  const target: string = sink;
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 5000;
  const maxQueued = options.maxQueued ?? 10_000;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const postImpl = options.post ?? httpPost;
  const random = options.random ?? Math.random;

  const queue: Array<CloudEvent<unknown>> = [];
  const inflight = new Set<Promise<void>>();
  const dropReasons = new Map<string, number>();
  const counts = { sent: 0, retried: 0, dropped: 0 };
  let closed = false;

  const drop = (reason: string) => {
    counts.dropped += 1;
    dropReasons.set(reason, (dropReasons.get(reason) ?? 0) + 1);
  };

  const reportDrops = () => {
    if (dropReasons.size === 0) return;
    const reasons = Object.fromEntries(dropReasons);
    dropReasons.clear();
    const count = Object.values(reasons).reduce((a, b) => a + b, 0);
    logger.warning(`dropped ${count} event(s)`, { reasons, droppedTotal: counts.dropped });
  };

  /** Full backoff for attempt k (1-based), half of it jittered: [d/2, d). */
  const backoff = (attempt: number) => {
    const d = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return d / 2 + random() * (d / 2);
  };

  async function post(event: CloudEvent<unknown>): Promise<void> {
    let message: HttpMessage;
    try {
      message = encodeEvent(event, 'binary');
    } catch (error) {
      drop(`cannot encode: ${describe(error)}`);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      let failure: string;
      let retriable: boolean;
      try {
        const response = await postImpl(target, message, { timeoutMs: requestTimeoutMs });
        if (response.status >= 200 && response.status < 300) {
          counts.sent += 1;
          return;
        }
        failure = `HTTP ${response.status}`;
        retriable = response.status >= 500 || response.status === 408 || response.status === 429;
      } catch (error) {
        failure = describe(error);
        retriable = true;
      }
      if (!retriable || attempt >= maxAttempts) {
        drop(retriable ? `${failure} after ${attempt} attempts` : failure);
        return;
      }
      counts.retried += 1;
      await sleep(backoff(attempt));
    }
  }

  async function send(batch: Array<CloudEvent<unknown>>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < batch.length) await post(batch[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
    reportDrops();
  }

  function flush(): Promise<void> {
    const pending = [...inflight];
    if (queue.length > 0) {
      const sending = send(queue.splice(0, queue.length))
        .catch((error: unknown) => logger.error('event sender failed', { error }))
        .finally(() => inflight.delete(sending));
      inflight.add(sending);
      pending.push(sending);
    }
    reportDrops();
    return Promise.all(pending).then(() => undefined);
  }

  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();

  return {
    enqueue(event) {
      if (closed) drop('sender closed');
      else if (queue.length >= maxQueued) drop('queue full');
      else {
        queue.push(event);
        if (queue.length >= batchSize) void flush();
      }
    },
    flush,
    async close() {
      closed = true;
      clearInterval(timer);
      await flush();
      reportDrops();
    },
    stats: () => ({ queued: queue.length, sent: counts.sent, retried: counts.retried, dropped: counts.dropped }),
  };
}
