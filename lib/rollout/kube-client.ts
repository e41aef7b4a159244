import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import type { PlatformOperation } from './platform-error.js';
import { PlatformError } from './platform-error.js';

/**
 * A minimal Kubernetes API client for the Knative adapter: GET and PATCH of
 * JSON objects, authenticated with the pod's service-account token, trusting
 * the cluster CA. Not a general client — just what `knative-platform.ts`
 * needs, with the API conventions it relies on:
 *
 * - `Authorization: Bearer <token>`; the token file is re-read when it is
 *   older than `tokenMaxAgeMs` (projected tokens rotate) and at once after a
 *   401, which is retried one time with the fresh token.
 * - Network errors, timeouts, 5xx and 429 are retried with exponential
 *   backoff and jitter (as `local-platform.ts`); what still fails is a
 *   retriable PlatformError.
 * - Any other 4xx is a refusal: a PlatformError whose reasons come from the
 *   `Status` body the API server sends (`reason: message`), with `status`.
 *   409 is returned to the caller (`KubeConflict`) so it can re-read and retry.
 */

export interface KubeClientOptions {
  /** `https://<KUBERNETES_SERVICE_HOST>:<KUBERNETES_SERVICE_PORT>`; `http://` only for tests against a fake. */
  readonly server: string;
  /** The service-account token file. */
  readonly tokenFile: string;
  /** PEM of the cluster CA; undefined: the system's trust store. */
  readonly ca?: string;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly requestTimeoutMs?: number;
  /** Re-read the token after this long. Default 60 s. */
  readonly tokenMaxAgeMs?: number;
  readonly random?: () => number;
}

export interface KubeAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface KubeClient {
  get(operation: PlatformOperation, path: string): Promise<unknown>;
  /** A JSON merge patch; a 409 answer is thrown as KubeConflict, other refusals as PlatformError. */
  mergePatch(operation: PlatformOperation, path: string, patch: unknown): Promise<unknown>;
}

/** The server refused a write because the object changed since it was read (HTTP 409). */
export class KubeConflict extends PlatformError {}

/** The Kubernetes `Status` object an API server answers errors with (API conventions). */
export const KubeStatusSchema = z.object({
  kind: z.literal('Status'),
  status: z.string().optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  code: z.number().int().optional(),
  details: z
    .object({
      causes: z.array(z.object({ message: z.string().optional(), field: z.string().optional() })).optional(),
    })
    .optional(),
});

const MAX_REASON_CHARS = 500;

/** The reasons a Status body gives: `Reason: message`, then each cause `field: message`. */
export function statusReasons(body: unknown, status: number): string[] {
  const parsed = KubeStatusSchema.safeParse(body);
  if (!parsed.success) return [`HTTP ${status}`];
  const { reason, message, details } = parsed.data;
  const head = [reason, message].filter((part): part is string => part !== undefined && part !== '').join(': ');
  const causes = (details?.causes ?? []).flatMap((cause) =>
    cause.message === undefined ? [] : [cause.field === undefined ? cause.message : `${cause.field}: ${cause.message}`],
  );
  const reasons = [head === '' ? `HTTP ${status}` : head, ...causes.filter((cause) => !head.includes(cause))];
  return reasons.map((r) => r.slice(0, MAX_REASON_CHARS));
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

export function createKubeClient(options: KubeClientOptions): KubeClient {
  const server = options.server.replace(/\/+$/, '');
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 3000;
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const tokenMaxAgeMs = options.tokenMaxAgeMs ?? 60_000;
  const random = options.random ?? Math.random;
  let token: { value: string; readAt: number } | undefined;

  async function bearer(fresh: boolean): Promise<string> {
    if (fresh || token === undefined || Date.now() - token.readAt > tokenMaxAgeMs) {
      const value = (await readFile(options.tokenFile, 'utf8')).trim();
      token = { value, readAt: Date.now() };
    }
    return token.value;
  }

  const backoff = (attempt: number) => {
    const d = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return d / 2 + random() * (d / 2);
  };

  async function call(operation: PlatformOperation, method: 'GET' | 'PATCH', path: string, patch: unknown): Promise<unknown> {
    let last: PlatformError | undefined;
    let reauthorized = false;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(backoff(attempt - 1));
      let authorization: string;
      try {
        authorization = `Bearer ${await bearer(false)}`;
      } catch (error) {
        throw new PlatformError(operation, `cannot read the service-account token ${options.tokenFile}`, { cause: error });
      }
      let answer: KubeAnswer;
      try {
        answer = await send(method, `${server}${path}`, authorization, patch);
      } catch (error) {
        const what = error instanceof Error ? error.message : String(error);
        last = new PlatformError(operation, `cannot reach the Kubernetes API at ${server} after ${attempt} attempt(s) (${what})`, {
          retriable: true,
          cause: error,
        });
        continue;
      }
      const { status, body } = answer;
      if (status >= 200 && status < 300) return body;
      const reasons = statusReasons(body, status);
      if (status === 401 && !reauthorized) {
        reauthorized = true;
        token = undefined;
        attempt--;
        continue;
      }
      if (status >= 500 || status === 429) {
        last = new PlatformError(operation, `HTTP ${status} after ${attempt} attempt(s)`, { status, reasons, retriable: true });
        continue;
      }
      if (status === 409) throw new KubeConflict(operation, 'conflict (HTTP 409)', { status, reasons, retriable: true });
      throw new PlatformError(operation, `refused (HTTP ${status})`, { status, reasons });
    }
    throw last ?? new PlatformError(operation, 'no attempt made', { retriable: true });
  }

  function send(method: string, url: string, authorization: string, patch: unknown): Promise<KubeAnswer> {
    const payload = patch === undefined ? undefined : JSON.stringify(patch);
    const headers: Record<string, string> = { accept: 'application/json', authorization };
    if (payload !== undefined) {
      headers['content-type'] = 'application/merge-patch+json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const target = new URL(url);
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<KubeAnswer>((resolve, reject) => {
      const req = request(target, { method, headers, timeout: timeoutMs, ...(options.ca === undefined ? {} : { ca: options.ca }) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            // Not JSON: keep the text; the caller's schema refuses it.
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.once('error', reject);
      req.end(payload);
    });
  }

  return {
    get: (operation, path) => call(operation, 'GET', path, undefined),
    mergePatch: (operation, path, patch) => call(operation, 'PATCH', path, patch),
  };
}
