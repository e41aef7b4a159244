import { z } from 'zod';
import { formatIssues } from '../errors.js';
import type { DeployRequest, ServiceState, ServingPlatform, TrafficTarget } from './platform.js';
import { ServiceStateSchema } from './platform.js';
import type { PlatformOperation } from './platform-error.js';
import { PlatformError } from './platform-error.js';

/**
 * The ServingPlatform of the local runtime: HTTP to its ingress (local/API.md).
 *
 * | operation  | request                                             | answer                 |
 * |------------|-----------------------------------------------------|------------------------|
 * | describe   | `GET  /platform/services/recommend`                 | 200 ServiceState       |
 * | deploy     | `POST /platform/services/recommend/revisions`       | 202 `{ revision }`     |
 * | setTraffic | `PUT  /platform/services/recommend/traffic`         | 200 ServiceState       |
 *
 * Answers are checked with the port's zod schemas. Network errors, timeouts,
 * 5xx, 408 and 429 are retried with exponential backoff and jitter; what
 * still fails is a retriable PlatformError. Any other 4xx is a refusal:
 * a non-retriable PlatformError carrying the server's reasons, at once.
 * A deploy retried after a lost answer may start a second revision; the
 * caller's next `describe` shows it.
 */

export interface LocalPlatformOptions {
  /** The ingress, e.g. `http://127.0.0.1:8080` (`PLATFORM_URL`). */
  readonly url: string;
  /** Attempts per request, the first included. Default 4. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly requestTimeoutMs?: number;
  readonly fetch?: typeof globalThis.fetch;
  /** In [0, 1); the jitter's source. */
  readonly random?: () => number;
}

const DeployedSchema = z.object({ revision: z.string().min(1) });

/** The reasons a refusal carries: `{ errors: [...] }` (movierec's 400s), `{ reasons: [...] }` or `{ error: "..." }`. */
const RefusalSchema = z.union([
  z.object({ errors: z.array(z.string()).min(1) }).transform((body) => body.errors),
  z.object({ reasons: z.array(z.string()).min(1) }).transform((body) => body.reasons),
  z.object({ error: z.string().min(1) }).transform((body) => [body.error]),
]);

const MAX_REASON_CHARS = 500;

function refusalReasons(text: string, status: number): string[] {
  try {
    const parsed = RefusalSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data.map((reason) => reason.slice(0, MAX_REASON_CHARS));
  } catch {
    // Not JSON: the text itself is the reason.
  }
  const trimmed = text.trim();
  return [trimmed === '' ? `HTTP ${status}` : trimmed.slice(0, MAX_REASON_CHARS)];
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

export function createLocalPlatform(options: LocalPlatformOptions): ServingPlatform {
  const base = `${options.url.replace(/\/+$/, '')}/platform/services/recommend`;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 3000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const random = options.random ?? Math.random;

  /** Backoff before attempt k + 1: half of min(max, base · 2^(k−1)) fixed, half jittered. */
  const backoff = (attempt: number) => {
    const d = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return d / 2 + random() * (d / 2);
  };

  async function call<S extends z.ZodType>(
    operation: PlatformOperation,
    method: string,
    path: string,
    body: unknown,
    schema: S,
  ): Promise<z.output<S>> {
    let last: PlatformError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(backoff(attempt - 1));
      let status: number;
      let text: string;
      try {
        const response = await fetchImpl(`${base}${path}`, {
          method,
          headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        last = new PlatformError(operation, `cannot reach ${base} after ${attempt} attempt(s) (${describeError(error)})`, {
          retriable: true,
          cause: error,
        });
        continue;
      }
      if (status >= 200 && status < 300) return parseAnswer(operation, status, text, schema);
      const reasons = refusalReasons(text, status);
      if (status >= 500 || status === 408 || status === 429) {
        last = new PlatformError(operation, `HTTP ${status} after ${attempt} attempt(s)`, { status, reasons, retriable: true });
        continue;
      }
      throw new PlatformError(operation, `refused (HTTP ${status})`, { status, reasons });
    }
    throw last ?? new PlatformError(operation, 'no attempt made', { retriable: true });
  }

  return {
    describe: (): Promise<ServiceState> => call('describe', 'GET', '', undefined, ServiceStateSchema),
    deploy: (request: DeployRequest) => call('deploy', 'POST', '/revisions', request, DeployedSchema),
    async setTraffic(targets: readonly TrafficTarget[]): Promise<void> {
      await call('setTraffic', 'PUT', '/traffic', { traffic: targets }, ServiceStateSchema);
    },
  };
}

function parseAnswer<S extends z.ZodType>(operation: PlatformOperation, status: number, text: string, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PlatformError(operation, `HTTP ${status} with a body that is not JSON`, { status });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new PlatformError(operation, `unexpected answer (HTTP ${status})`, { status, reasons: [formatIssues(parsed.error.issues)] });
  return parsed.data;
}
