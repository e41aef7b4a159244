import { InvalidArgumentError } from '../errors.js';

/**
 * Object-store locations: `s3://bucket[/prefix]`. One parser for config,
 * the blob store, the events storage and the CLI, so a URI means the same
 * everywhere. Works for AWS S3, GCS interoperability and MinIO alike.
 */

/** A bucket and a key prefix inside it (no leading or trailing `/`; '' for the bucket's root). */
export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

const SCHEME = /^s3:\/\//i;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_LIKE = /^\d{1,3}(\.\d{1,3}){3}$/;
const KEY_SEGMENT = /^[^/\\\0.][^/\\\0]*$/;

export function isS3Uri(text: string): boolean {
  return SCHEME.test(text.trim());
}

/** What is wrong with `name` as an S3 bucket name (AWS general-purpose bucket rules), or undefined. */
export function bucketProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `bucket name ${JSON.stringify(name)} must be 3–63 characters long`;
  if (!BUCKET.test(name)) {
    return `bucket name ${JSON.stringify(name)} may hold only a–z, 0–9, '.' and '-', and must start and end with a letter or digit`;
  }
  if (name.includes('..')) return `bucket name ${JSON.stringify(name)} must not hold two adjacent periods`;
  if (IP_LIKE.test(name)) return `bucket name ${JSON.stringify(name)} must not look like an IP address`;
  if (name.startsWith('xn--') || name.endsWith('-s3alias') || name.endsWith('--ol-s3')) {
    return `bucket name ${JSON.stringify(name)} uses a reserved prefix or suffix`;
  }
  return undefined;
}

/** What is wrong with `uri` as `s3://bucket[/prefix]`, or undefined when it is fine. */
export function s3UriProblem(uri: string): string | undefined {
  const text = uri.trim();
  if (!SCHEME.test(text)) return `expected s3://bucket[/prefix] (got ${JSON.stringify(text.slice(0, 80))})`;
  const rest = text.replace(SCHEME, '');
  const cut = rest.indexOf('/');
  const bucket = cut < 0 ? rest : rest.slice(0, cut);
  const problem = bucketProblem(bucket);
  if (problem !== undefined) return problem;
  const prefix = cut < 0 ? '' : rest.slice(cut + 1).replace(/\/+$/, '');
  if (prefix.length > 0 && !prefix.split('/').every((segment) => KEY_SEGMENT.test(segment))) {
    return `prefix ${JSON.stringify(prefix)}: every /-separated part must be non-empty, not start with '.' and hold no '\\'`;
  }
  if (/[?#]/.test(prefix)) return `prefix ${JSON.stringify(prefix)} must not hold '?' or '#'`;
  return undefined;
}

/** `s3://bucket[/prefix]` to its parts; InvalidArgumentError for anything else. */
export function parseS3Uri(uri: string): S3Location {
  const problem = s3UriProblem(uri);
  if (problem !== undefined) throw new InvalidArgumentError(`invalid object-store URI: ${problem}`);
  const rest = uri.trim().replace(SCHEME, '');
  const cut = rest.indexOf('/');
  return cut < 0 ? { bucket: rest, prefix: '' } : { bucket: rest.slice(0, cut), prefix: rest.slice(cut + 1).replace(/\/+$/, '') };
}

/** The full key of `key` under `prefix`. */
export function keyUnder(prefix: string, key: string): string {
  return prefix.length === 0 ? key : key.length === 0 ? prefix : `${prefix}/${key}`;
}

/** The URI of a location, or of one key under it: `s3://bucket/prefix/key`. */
export function formatS3Uri(location: S3Location, key = ''): string {
  const path = keyUnder(location.prefix, key);
  return path.length === 0 ? `s3://${location.bucket}` : `s3://${location.bucket}/${path}`;
}
