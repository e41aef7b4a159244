import { describe, expect, it } from 'vitest';
import { backoffMs, backoffSchedule, DeliverySpecSchema, isRetriableStatus, parseIsoDuration, retryPolicyOf } from './delivery-spec.js';

describe('parseIsoDuration', () => {
  it.each([
    ['PT0.2S', 200],
    ['PT1S', 1000],
    ['PT1M30S', 90_000],
    ['PT2H', 7_200_000],
    ['P1D', 86_400_000],
    ['P1W', 604_800_000],
    ['P1DT1S', 86_401_000],
  ])('%s is %i ms', (text, ms) => expect(parseIsoDuration(text)).toBe(ms));

  it.each(['', 'P', 'PT', '0.2S', 'PT0.2', 'P1Y', 'P1M', '200ms', 'PT-1S'])('refuses %j', (text) => expect(parseIsoDuration(text)).toBeUndefined());
});

describe('backoff, as Knative computes it', () => {
  it('exponential: backoffDelay · 2^n, n = 0 for the first retry', () => {
    const policy = retryPolicyOf(DeliverySpecSchema.parse({ retry: 5, backoffPolicy: 'exponential', backoffDelay: 'PT0.2S' }));
    expect(backoffSchedule(policy)).toEqual([200, 400, 800, 1600, 3200]);
  });

  it('linear: backoffDelay · n, so the first retry follows at once', () => {
    const policy = retryPolicyOf(DeliverySpecSchema.parse({ retry: 4, backoffPolicy: 'linear', backoffDelay: 'PT1S' }));
    expect(backoffSchedule(policy)).toEqual([0, 1000, 2000, 3000]);
  });

  it('without both a policy and a delay there is no wait; without retry, no retry', () => {
    expect(backoffMs({ retry: 3, backoffDelayMs: 500 }, 2)).toBe(0);
    expect(backoffMs({ retry: 3, backoffPolicy: 'linear' }, 2)).toBe(0);
    expect(retryPolicyOf(undefined)).toEqual({ retry: 0 });
  });

  it('the KafkaSource spec of knative/base: 8 retries from 100 ms', () => {
    const policy = retryPolicyOf(DeliverySpecSchema.parse({ retry: 8, backoffPolicy: 'exponential', backoffDelay: 'PT0.1S' }));
    expect(backoffSchedule(policy)).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 12_800]);
  });
});

describe('DeliverySpecSchema', () => {
  it('names the bad field', () => {
    const parsed = DeliverySpecSchema.safeParse({ retry: -1, backoffPolicy: 'quadratic', backoffDelay: '2s', deadLetterSink: {} });
    expect(parsed.success).toBe(false);
    const paths = parsed.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['retry', 'backoffPolicy', 'backoffDelay', 'deadLetterSink']));
  });

  it('reads the Broker delivery of knative/base', () => {
    const spec = DeliverySpecSchema.parse({
      retry: 5, backoffPolicy: 'exponential', backoffDelay: 'PT0.2S',
      deadLetterSink: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'ingest' }, uri: '/dead-letter' },
    });
    expect(spec).toMatchObject({ retry: 5, backoffDelay: 200, deadLetterSink: { ref: { kind: 'Service', name: 'ingest' }, uri: '/dead-letter' } });
  });
});

describe('isRetriableStatus', () => {
  it('retries no answer, 5xx, 404, 408, 409, 429 and nothing else', () => {
    const retried = [0, 100, 200, 302, 400, 401, 403, 404, 408, 409, 410, 413, 422, 429, 500, 502, 503].filter(isRetriableStatus);
    expect(retried).toEqual([0, 404, 408, 409, 429, 500, 502, 503]);
  });
});
