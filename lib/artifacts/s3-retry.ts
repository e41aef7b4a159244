import { setTimeout as sleep } from 'node:timers/promises';
import { MovierecError } from '../errors.js';

/**
 * Retrying object-store calls and saying plainly what failed. Only errors a
 * retry can cure are retried (5xx, throttling, timeouts, dropped
 * connections), with exponential backoff and full jitter (AWS Architecture
 * Blog, "Exponential Backoff And Jitter"); a 403 or a missing bucket fails at
 * once. The SDK's own retries are off (see s3-client.ts) so this is the one
 * place that decides, and a body cut off mid-download is retried too.
 */

export interface RetryPolicy {
  /** Tries in all, the first included (default 4). */
  readonly attempts?: number;
  /** The first back-off ceiling in ms (default 100); it doubles per retry. */
  readonly baseMs?: number;
  /** The largest back-off ceiling in ms (default 5000). */
  readonly capMs?: number;
}

/** An object-store call that failed: the object's URI, the operation, and whether retrying later may help. */
export class ObjectStoreError extends MovierecError {
  /** `s3://bucket/key` of the object (or prefix) the call was about. */
  readonly uri: string;

  constructor(uri: string, what: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(`${uri}: ${what}`, options);
    this.uri = uri;
  }
}

const RETRIABLE_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
  'AbortError',
  'ConditionalRequestConflict',
]);
const RETRIABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_STREAM_PREMATURE_CLOSE']);

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null && name in error ? (error as Record<string, unknown>)[name] : undefined;
}

/** The HTTP status of an SDK error, when the service answered. */
export function httpStatus(error: unknown): number | undefined {
  const status = field(field(error, '$metadata'), 'httpStatusCode');
  return typeof status === 'number' ? status : undefined;
}

/** Whether trying the same call again may succeed. */
export function isRetriable(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (field(error, '$retryable') !== undefined) return true;
  const name = field(error, 'name');
  const code = field(error, 'code');
  if (typeof name === 'string' && RETRIABLE_NAMES.has(name)) return true;
  if (typeof code === 'string' && RETRIABLE_CODES.has(code)) return true;
  if (error instanceof Error && /socket hang up|aborted|premature close/i.test(error.message)) return true;
  const cause = field(error, 'cause');
  return cause !== undefined && cause !== error && isRetriable(cause);
}

/** One line about an SDK or network error: name, HTTP status, message. Never credentials (the SDK puts none in messages). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = httpStatus(error);
  const code = field(error, 'code');
  const name = typeof code === 'string' ? code : error.name;
  const head = status === undefined ? name : `${name} (HTTP ${status})`;
  const message = error.message.length > 0 && error.message !== name ? `: ${error.message.split('\n')[0].slice(0, 200)}` : '';
  return `${head}${message}`;
}

/**
 * The failure without the SDK's raw request and response (`$response`
 * holds the signed request headers, access key id included), so logging the
 * error chain shows what went wrong and nothing else.
 */
function plainCause(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const plain = new Error(error.message);
  plain.name = error.name;
  const status = httpStatus(error);
  const code = field(error, 'code');
  if (typeof code === 'string') Object.assign(plain, { code });
  if (status !== undefined) Object.assign(plain, { $metadata: { httpStatusCode: status } });
  return plain;
}

/**
 * Runs `call` until it succeeds, fails for good, or has been tried
 * `attempts` times; failures become an ObjectStoreError naming `uri` and
 * `operation` (retriable when the last failure was).
 */
export async function withRetry<T>(uri: string, operation: string, policy: RetryPolicy, call: (attempt: number) => Promise<T>): Promise<T> {
  const attempts = Math.max(1, policy.attempts ?? 4);
  const base = policy.baseMs ?? 100;
  const cap = policy.capMs ?? 5000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      const retriable = isRetriable(error);
      if (!retriable || attempt >= attempts) {
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        throw new ObjectStoreError(uri, `${operation} failed${tries}: ${describeError(error)}`, { cause: plainCause(error), retriable });
      }
      await sleep(Math.random() * Math.min(cap, base * 2 ** (attempt - 1)));
    }
  }
}
