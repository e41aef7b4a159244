import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { bucketProblem, formatS3Uri, isS3Uri, keyUnder, parseS3Uri } from './s3-location.js';

describe('s3 locations', () => {
  it.each([
    ['s3://models', { bucket: 'models', prefix: '' }],
    ['s3://models/', { bucket: 'models', prefix: '' }],
    ['s3://movierec-prod/models/svd/', { bucket: 'movierec-prod', prefix: 'models/svd' }],
    [' s3://a.b-c/x ', { bucket: 'a.b-c', prefix: 'x' }],
  ])('parses %j', (uri, expected) => {
    expect(parseS3Uri(uri)).toEqual(expected);
    expect(isS3Uri(uri)).toBe(true);
  });

  it.each(['models/svd', '/srv/models', 'gs://models', 's3:/models'])('does not take %j for an S3 URI', (text) => {
    expect(isS3Uri(text)).toBe(false);
    expect(() => parseS3Uri(text)).toThrow(InvalidArgumentError);
  });

  it.each([
    ['ab', /3–63 characters/],
    ['a'.repeat(64), /3–63 characters/],
    ['Models', /may hold only/],
    ['-models', /must start and end/],
    ['my_bucket', /may hold only/],
    ['a..b', /two adjacent periods/],
    ['10.0.0.1', /IP address/],
    ['xn--abc', /reserved/],
    ['data-s3alias', /reserved/],
  ])('refuses the bucket name %j', (name, problem) => {
    expect(bucketProblem(name)).toMatch(problem);
  });

  it('accepts ordinary bucket names', () => {
    for (const name of ['abc', 'movierec-models', 'my.bucket.example', 'a'.repeat(63)]) expect(bucketProblem(name)).toBeUndefined();
  });

  it('formats keys back into URIs', () => {
    expect(formatS3Uri({ bucket: 'b', prefix: '' })).toBe('s3://b');
    expect(formatS3Uri({ bucket: 'b', prefix: 'p/q' }, 'svd/manifest.json')).toBe('s3://b/p/q/svd/manifest.json');
    expect(keyUnder('', 'k')).toBe('k');
    expect(keyUnder('p', '')).toBe('p');
  });
});
