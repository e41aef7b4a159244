import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Location } from '../ops/s3-location.js';
import { formatS3Uri, keyUnder, parseS3Uri } from '../ops/s3-location.js';
import type { BlobStore, GetOptions } from './blob-store.js';
import { checkKey } from './blob-store.js';
import type { S3Settings } from './s3-client.js';
import { loadS3Sdk, s3Client } from './s3-client.js';
import { httpStatus, withRetry } from './s3-retry.js';

export interface SizedKey {
  readonly key: string;
  readonly bytes: number;
}

export interface S3BlobStoreOptions {
  /** Keys per listing page (default 1000, the S3 maximum). */
  readonly pageSize?: number;
}

/**
 * A BlobStore on an S3-API bucket prefix (AWS S3, GCS interoperability,
 * MinIO): key `a/b.bin` is the object `<prefix>/a/b.bin`. Versions live in
 * keys; bucket versioning is neither needed nor used.
 *
 * - `put` is one PutObject: S3 makes an object visible whole or not at all.
 * - `putIfAbsent` asks HeadObject first, then PutObject with
 *   `If-None-Match: *`. On AWS S3 (since 2024-08) and MinIO the conditional
 *   put is atomic: of two racing writers exactly one gets 200, the other 412
 *   (answered false). s3rver, older servers and GCS interoperability (whose
 *   create-only precondition is `x-goog-if-generation-match: 0`, not sent
 *   here) do not honour it for PUT; there only
 *   the HEAD guards, which leaves a window of one round trip in which two
 *   writers of the same new key can both "win" (the later bytes stay).
 *   publishBundle never races itself (one trainer per version), so this is
 *   a documented limit of those servers, not of bundle publication. A put
 *   whose first attempt landed but whose answer was lost is recognised on
 *   retry by comparing bytes, and answers true.
 * - `get` answers undefined for NoSuchKey / 404, streams pieces to `onData`
 *   as they arrive, and returns one buffer of its own (byteOffset 0). When a
 *   download is cut off and retried, `onData` sees the bytes again from the
 *   start, so the pieces then add up to more than the result (readBundle
 *   notices and hashes the result whole).
 * - `list` pages through ListObjectsV2 and answers sorted keys; keys with an
 *   empty or dot-led part (console "folders", temporaries) are left out.
 * - Every call is retried inside the store on 5xx, throttling, timeouts and
 *   dropped connections (s3-retry.ts); what still fails rejects with an
 *   ObjectStoreError naming `s3://bucket/key`, retriable when it was.
 */
export class S3BlobStore implements BlobStore {
  readonly location: string;
  private readonly where: S3Location;
  private readonly pageSize: number;

  constructor(
    uri: string | S3Location,
    private readonly settings: S3Settings = {},
    options: S3BlobStoreOptions = {},
  ) {
    this.where = typeof uri === 'string' ? parseS3Uri(uri) : uri;
    this.location = formatS3Uri(this.where);
    this.pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const Key = this.keyOf(key);
    const [client, { PutObjectCommand }] = await this.connect();
    await this.retry(key, 'PUT', () => client.send(new PutObjectCommand({ Bucket: this.where.bucket, Key, Body: bytes, ContentLength: bytes.length })));
  }

  async putIfAbsent(key: string, bytes: Uint8Array): Promise<boolean> {
    const Key = this.keyOf(key);
    const [client, { HeadObjectCommand, PutObjectCommand }] = await this.connect();
    const Bucket = this.where.bucket;
    let sent = false;
    return this.retry(key, 'PUT (if absent)', async () => {
      const exists = await client.send(new HeadObjectCommand({ Bucket, Key })).then(
        () => true,
        (error: unknown) => {
          if (httpStatus(error) === 404) return false;
          throw error;
        },
      );
      if (exists) return sent && (await this.holds(key, bytes));
      sent = true;
      try {
        await client.send(new PutObjectCommand({ Bucket, Key, Body: bytes, ContentLength: bytes.length, IfNoneMatch: '*' }));
        return true;
      } catch (error) {
        if (httpStatus(error) === 412) return this.holds(key, bytes); // a lost answer of our own earlier attempt, or another writer
        throw error;
      }
    });
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array | undefined> {
    const Key = this.keyOf(key);
    const [client, { GetObjectCommand }] = await this.connect();
    return this.retry(key, 'GET', async () => {
      let response;
      try {
        response = await client.send(new GetObjectCommand({ Bucket: this.where.bucket, Key }));
      } catch (error) {
        if (httpStatus(error) === 404) return undefined; // NoSuchKey; NoSuchBucket is a 404 too, and equally "nothing here"
        throw error;
      }
      return readBody(response.Body, response.ContentLength, options.onData);
    });
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.listSized(prefix)).map((object) => object.key);
  }

  /** Like `list`, with each object's size in bytes. */
  async listSized(prefix: string): Promise<SizedKey[]> {
    const [client, { ListObjectsCommand }] = await this.connect();
    const base = this.where.prefix.length > 0 ? `${this.where.prefix}/` : '';
    const out: SizedKey[] = [];
    let marker: string | undefined;
    do {
      const page = await this.retry(prefix, 'LIST', () =>
        client.send(new ListObjectsCommand({ Bucket: this.where.bucket, Prefix: base + prefix, Marker: marker, MaxKeys: this.pageSize })),
      );
      const contents = page.Contents ?? [];
      for (const object of contents) {
        const key = object.Key?.slice(base.length);
        if (key !== undefined && isPlainKey(key)) out.push({ key, bytes: object.Size ?? 0 });
      }
      marker = page.IsTruncated === true ? (page.NextMarker ?? contents.at(-1)?.Key) : undefined;
    } while (marker !== undefined);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    const Key = this.keyOf(key);
    const [client, { DeleteObjectCommand }] = await this.connect();
    await this.retry(key, 'DELETE', () => client.send(new DeleteObjectCommand({ Bucket: this.where.bucket, Key })));
  }

  private async holds(key: string, bytes: Uint8Array): Promise<boolean> {
    const existing = await this.get(key);
    return existing !== undefined && Buffer.compare(existing, bytes) === 0;
  }

  private keyOf(key: string): string {
    checkKey(key);
    return keyUnder(this.where.prefix, key);
  }

  private connect(): Promise<[S3Client, Awaited<ReturnType<typeof loadS3Sdk>>]> {
    return Promise.all([s3Client(this.settings), loadS3Sdk()]);
  }

  private retry<T>(key: string, operation: string, call: () => Promise<T>): Promise<T> {
    return withRetry(formatS3Uri(this.where, key), operation, this.settings.retry ?? {}, call);
  }
}

function isPlainKey(key: string): boolean {
  return key.length > 0 && key.split('/').every((part) => part.length > 0 && !part.startsWith('.'));
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Reads a response body into one buffer of its own, handing each piece to
 * `onData` as it lands. A body shorter than its Content-Length (a connection
 * cut mid-download) is a retriable failure, never a short result.
 */
export async function readBody(body: unknown, length: number | undefined, onData?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (!isAsyncIterable(body)) throw new TypeError('the S3 response body is not a stream');
  if (length === undefined) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    onData?.(bytes);
    return bytes;
  }
  const bytes = Buffer.allocUnsafeSlow(length);
  let offset = 0;
  for await (const chunk of body) {
    if (offset + chunk.length > length) throw new Error(`body longer than its Content-Length ${length}`);
    bytes.set(chunk, offset);
    onData?.(bytes.subarray(offset, offset + chunk.length));
    offset += chunk.length;
  }
  if (offset < length) {
    throw Object.assign(new Error(`body ended after ${offset} of ${length} bytes`), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
  }
  return bytes;
}
