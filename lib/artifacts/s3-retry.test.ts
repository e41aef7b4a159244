import { describe, expect, it } from 'vitest';
import { ObjectStoreError, describeError, isRetriable, withRetry } from './s3-retry.js';

/** Errors shaped as the SDK and Node raise them (name, $metadata.httpStatusCode, code). */
const sdkError = (name: string, status: number, message = 'details') => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const netError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('isRetriable', () => {
  it.each([
    ['a 500', sdkError('InternalError', 500), true],
    ['a 503 SlowDown', sdkError('SlowDown', 503), true],
    ['a 429', sdkError('TooManyRequests', 429), true],
    ['a reset connection', netError('ECONNRESET'), true],
    ['a refused connection', netError('ECONNREFUSED'), true],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), true],
    ['a body cut short', netError('ERR_STREAM_PREMATURE_CLOSE'), true],
    ['a wrapped reset', new Error('outer', { cause: netError('EPIPE') }), true],
    ['a 403', sdkError('AccessDenied', 403), false],
    ['a 404 NoSuchBucket', sdkError('NoSuchBucket', 404), false],
    ['a 400', sdkError('InvalidArgument', 400), false],
    ['a programmer error', new TypeError('x is not a function'), false],
  ])('%s: %s', (_, error, expected) => {
    expect(isRetriable(error)).toBe(expected);
  });
});

describe('withRetry', () => {
  const quick = { attempts: 3, baseMs: 1, capMs: 2 };

  it('retries a retriable failure and answers the later success', async () => {
    let calls = 0;
    const value = await withRetry('s3://b/k', 'PUT', quick, async () => {
      calls += 1;
      if (calls < 3) throw sdkError('InternalError', 500);
      return 'ok';
    });
    expect([value, calls]).toEqual(['ok', 3]);
  });

  it('gives up after the last attempt with a retriable ObjectStoreError naming the object', async () => {
    let calls = 0;
    const failing = withRetry('s3://b/models/qi.f32', 'PUT', quick, async () => {
      calls += 1;
      throw sdkError('SlowDown', 503, 'Please reduce your request rate.');
    });
    await expect(failing).rejects.toBeInstanceOf(ObjectStoreError);
    await expect(failing).rejects.toMatchObject({
      retriable: true,
      uri: 's3://b/models/qi.f32',
      message: 's3://b/models/qi.f32: PUT failed (after 3 attempts): SlowDown (HTTP 503): Please reduce your request rate.',
    });
    expect(calls).toBe(3);
  });

  it('never retries what cannot heal, and keeps no raw response in the cause', async () => {
    let calls = 0;
    const error = await withRetry('s3://b/k', 'GET', quick, async () => {
      calls += 1;
      throw Object.assign(sdkError('AccessDenied', 403, 'Access Denied'), { $response: { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA…' } } });
    }).catch((caught: unknown) => caught);
    expect(calls).toBe(1);
    expect(error).toMatchObject({ retriable: false, message: 's3://b/k: GET failed: AccessDenied (HTTP 403): Access Denied' });
    expect(JSON.stringify(error instanceof Error ? error.cause : error)).not.toContain('AKIA');
  });

  it('describes errors in one line', () => {
    expect(describeError(netError('ECONNRESET'))).toBe('ECONNRESET: connect ECONNRESET');
    expect(describeError('plain')).toBe('plain');
  });
});
