import { z } from 'zod';

/**
 * Knative's `delivery` (duck DeliverySpec) as the local runtime reads it from
 * a Broker, Trigger or KafkaSource, and the backoff Knative computes from it
 * (`pkg/kncloudevents/retries.go`): before the retry with attemptNum n
 * (0 for the first retry, as go-retryablehttp counts), exponential waits
 * `backoffDelay · 2^n` and linear `backoffDelay · n`; without both a policy
 * and a delay, retries follow at once. `retry` is the number of retries after
 * the first attempt.
 */

const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An ISO-8601 duration (`PT0.2S`, `PT1M30S`, `P1D`) in milliseconds; undefined if not one (years and months are refused: their length varies). */
export function parseIsoDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (match === null || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => (part === undefined ? 0 : Number(part)));
  const ms = (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000;
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

export const IsoDurationSchema = z.string().transform((text, ctx) => {
  const ms = parseIsoDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected an ISO-8601 duration such as PT0.2S (got ${JSON.stringify(text.slice(0, 40))})` });
    return z.NEVER;
  }
  return ms;
});

export const KReferenceSchema = z.object({
  apiVersion: z.string().min(1).optional(),
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
});
export type KReference = z.infer<typeof KReferenceSchema>;

/** A sink: a reference (with an optional path, `uri`, relative to it), or an absolute `uri`. */
export const DestinationSchema = z
  .object({ ref: KReferenceSchema.optional(), uri: z.string().min(1).optional() })
  .refine((destination) => destination.ref !== undefined || destination.uri !== undefined, { error: 'expected ref or uri' });
export type Destination = z.infer<typeof DestinationSchema>;

export const BACKOFF_POLICIES = ['exponential', 'linear'] as const;
export type BackoffPolicy = (typeof BACKOFF_POLICIES)[number];

export const DeliverySpecSchema = z.object({
  retry: z.number().int().min(0).max(100).optional(),
  backoffPolicy: z.enum(BACKOFF_POLICIES).optional(),
  backoffDelay: IsoDurationSchema.optional(),
  timeout: IsoDurationSchema.optional(),
  deadLetterSink: DestinationSchema.optional(),
});
export type DeliverySpec = z.output<typeof DeliverySpecSchema>;

/** What one delivery follows, once its spec is chosen. */
export interface RetryPolicy {
  readonly retry: number;
  readonly backoffPolicy?: BackoffPolicy;
  readonly backoffDelayMs?: number;
  /** Per attempt; the deliverer's default when absent. */
  readonly timeoutMs?: number;
}

export function retryPolicyOf(spec: DeliverySpec | undefined): RetryPolicy {
  return {
    retry: spec?.retry ?? 0,
    ...(spec?.backoffPolicy === undefined ? {} : { backoffPolicy: spec.backoffPolicy }),
    ...(spec?.backoffDelay === undefined ? {} : { backoffDelayMs: spec.backoffDelay }),
    ...(spec?.timeout === undefined ? {} : { timeoutMs: spec.timeout }),
  };
}

/** The wait before the retry Knative numbers `attemptNum` (0 for the first retry). */
export function backoffMs(policy: RetryPolicy, attemptNum: number): number {
  if (policy.backoffPolicy === undefined || policy.backoffDelayMs === undefined) return 0;
  return policy.backoffPolicy === 'exponential' ? policy.backoffDelayMs * 2 ** attemptNum : policy.backoffDelayMs * attemptNum;
}

/** Every wait of a delivery that fails each time: one per retry. */
export function backoffSchedule(policy: RetryPolicy): number[] {
  return Array.from({ length: policy.retry }, (_, n) => backoffMs(policy, n));
}

/** Knative's SelectiveRetry: retry 5xx, 404, 408, 409, 429 (and no response at all); not other 1xx–4xx. */
export function isRetriableStatus(status: number): boolean {
  return status === 0 || status >= 500 || status === 404 || status === 408 || status === 409 || status === 429;
}
