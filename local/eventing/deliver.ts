import { setMaxListeners } from 'node:events';
import type { HttpPost } from '../../lib/messaging/http-post.js';
import { httpPost } from '../../lib/messaging/http-post.js';
import type { CloudEvent } from 'cloudevents';
import { MovierecError } from '../../lib/errors.js';
import type { Logger } from '../../lib/ops/logger.js';
import { appendDeadLetters } from './dead-letter-file.js';
import type { DeadLetterEntry } from './dead-letter-file.js';
import type { DeliveryOutcome } from './delivery-log.js';
import { DeliveryLog } from './delivery-log.js';
import type { RetryPolicy } from './delivery-spec.js';
import { backoffMs, isRetriableStatus } from './delivery-spec.js';
import type { OutgoingMessage } from './event-message.js';
import { batchMessage, binaryMessage, withErrorExtensions } from './event-message.js';

/**
 * Delivery as Knative's dispatcher does it: POST the event (binary mode) or a
 * batch, retry per the RetryPolicy on no answer, 5xx, 404, 408, 409 and 429,
 * waiting `backoffMs` between tries, with a timeout per attempt. After the
 * last attempt each event goes to the dead-letter sink with Knative's
 * `knativeerror*` extensions (retried by the same policy, as Knative does);
 * what the sink does not take — or every event, when there is no sink — is
 * appended to `<dataDir>/dead-letter.jsonl`. Stopping (the `signal`) ends
 * retries at once with the outcome `aborted`.
 */

export interface DeliveryTarget {
  /** For logs and `/status`: a Service name or a URI. */
  readonly name: string;
  /** Resolved at each attempt (a Service's address may change); undefined while it has none. */
  readonly url: () => string | undefined;
}

export interface DeliveryJob {
  /** At least one event; with `batch`, sent as one `application/cloudevents-batch+json` request. */
  readonly events: readonly CloudEvent<unknown>[];
  readonly batch: boolean;
  readonly subscriber: DeliveryTarget;
  readonly deadLetterSink?: DeliveryTarget;
  readonly policy: RetryPolicy;
  /** On `aborted`: keep the events in the dead-letter file (`file`) or leave them to the caller (`drop`, the default). */
  readonly onAbort?: 'drop' | 'file';
}

export interface DeliveryResult {
  readonly outcome: DeliveryOutcome;
  readonly attempts: number;
  /** The subscriber's last status; 0 when none answered. */
  readonly status: number;
}

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface DelivererOptions {
  readonly dataDir: string;
  readonly logger: Logger;
  readonly log?: DeliveryLog;
  /** How a POST goes out (tests may gate it); default `httpPost`, keep-alive node:http. */
  readonly post?: HttpPost;
  /** Waits between attempts; resolves early when `signal` aborts. */
  readonly sleep?: Sleep;
  /** Per attempt, unless the policy has a timeout. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Aborting it stops every retry (the runtime is stopping). */
  readonly signal?: AbortSignal;
  /** Dead-letter sink requests in flight at once for one batch. Default 8. */
  readonly deadLetterConcurrency?: number;
}

export interface Deliverer {
  deliver(job: DeliveryJob): Promise<DeliveryResult>;
  readonly log: DeliveryLog;
}

/** The dead-letter file could not be written: the events are lost unless the caller keeps them. */
export class DeadLetterError extends MovierecError {}

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });

interface Sent {
  readonly ok: boolean;
  readonly aborted: boolean;
  readonly status: number;
  readonly body: Buffer;
  readonly attempts: number;
  readonly url: string | undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
  return String(error);
}

export function createDeliverer(options: DelivererOptions): Deliverer {
  const postImpl = options.post ?? httpPost;
  const sleep = options.sleep ?? defaultSleep;
  const signal = options.signal ?? new AbortController().signal;
  // Every delivery in flight listens on this one signal (to stop at shutdown): many at once is by design.
  setMaxListeners(10_000, signal);
  const log = options.log ?? new DeliveryLog();
  const { logger } = options;

  async function attempt(url: string, message: OutgoingMessage, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
    try {
      return await postImpl(url, message, { timeoutMs, signal });
    } catch (error) {
      return { status: 0, body: Buffer.from(`dispatch error: ${describe(error)}`) };
    }
  }

  /** One message to one target, retried per `policy`. */
  async function send(target: DeliveryTarget, message: OutgoingMessage, policy: RetryPolicy): Promise<Sent> {
    const timeoutMs = policy.timeoutMs ?? options.requestTimeoutMs ?? 30_000;
    for (let n = 0; ; n++) {
      const url = target.url();
      const { status, body } =
        url === undefined ? { status: 0, body: Buffer.from(`dispatch error: ${target.name} has no address yet`) } : await attempt(url, message, timeoutMs);
      const attempts = n + 1;
      if (status >= 200 && status < 300) return { ok: true, aborted: false, status, body, attempts, url };
      if (signal.aborted) return { ok: false, aborted: true, status, body, attempts, url };
      if (!isRetriableStatus(status) || n >= policy.retry) return { ok: false, aborted: false, status, body, attempts, url };
      log.retried();
      await sleep(backoffMs(policy, n), signal);
      if (signal.aborted) return { ok: false, aborted: true, status, body, attempts, url };
    }
  }

  /** Dead-letter each event; what the sink refuses (or all, without one) goes to the file. True if all reached the sink. */
  async function deadLetter(job: DeliveryJob, failed: Sent): Promise<boolean> {
    const destination = failed.url ?? job.subscriber.name;
    const toFile: DeadLetterEntry[] = [];
    const base = { subscriber: job.subscriber.name, status: failed.status, attempts: failed.attempts };
    const sink = job.deadLetterSink;
    if (sink === undefined) {
      for (const event of job.events) toFile.push({ ...base, reason: `no dead-letter sink; subscriber answered ${failed.status || 'nothing'}`, event });
    } else {
      let next = 0;
      const worker = async () => {
        while (next < job.events.length) {
          const event = withErrorExtensions(job.events[next++], destination, failed.status, failed.body);
          const sent = await send(sink, binaryMessage(event), job.policy);
          if (!sent.ok) toFile.push({ ...base, reason: `dead-letter sink ${sink.name} answered ${sent.status || 'nothing'}`, event });
        }
      };
      await Promise.all(Array.from({ length: Math.min(job.events.length, options.deadLetterConcurrency ?? 8) }, worker));
    }
    if (toFile.length === 0) return true;
    try {
      await appendDeadLetters(options.dataDir, toFile);
    } catch (error) {
      throw new DeadLetterError(`cannot write the dead-letter file in ${options.dataDir}`, { cause: error });
    }
    return false;
  }

  return {
    log,
    async deliver(job) {
      const first = job.events[0];
      const message = job.batch ? batchMessage(job.events) : binaryMessage(first);
      const sent = await send(job.subscriber, message, job.policy);
      let outcome: DeliveryOutcome;
      if (sent.ok) outcome = 'delivered';
      else if (sent.aborted) {
        outcome = 'aborted';
        if (job.onAbort === 'file') {
          const base = { reason: 'the runtime stopped before delivery', subscriber: job.subscriber.name, status: sent.status, attempts: sent.attempts };
          await appendDeadLetters(options.dataDir, job.events.map((event) => ({ ...base, event }))).catch((error: unknown) => {
            logger.error('events lost: the runtime stopped and the dead-letter file cannot be written', { ids: job.events.map((e) => e.id), error });
          });
        }
      } else {
        logger.warning('delivery failed; dead-lettering', {
          subscriber: job.subscriber.name, status: sent.status, attempts: sent.attempts, events: job.events.length, id: first.id, type: first.type,
        });
        outcome = (await deadLetter(job, sent)) ? 'dead-lettered' : 'dead-letter-file';
      }
      log.record({
        type: first.type, source: first.source, id: first.id, count: job.events.length, subscriber: job.subscriber.name,
        status: sent.status, outcome, attempts: sent.attempts, at: new Date().toISOString(),
      });
      return { outcome, attempts: sent.attempts, status: sent.status };
    },
  };
}
