import type * as ClientS3 from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RetryPolicy } from './s3-retry.js';

/**
 * The one S3 client factory of the project (lib/artifacts and lib/events use
 * it; nothing else imports `@aws-sdk/client-s3`). Credentials come from the
 * SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile,
 * a web identity, the instance role …): movierec never reads, logs or echoes
 * them. The SDK is loaded on first use, so processes that only touch folders
 * do not pay for it at start.
 */
export interface S3Settings {
  /** AWS_REGION; with a custom endpoint and no region, `us-east-1` (MinIO and s3rver ignore it). */
  readonly region?: string;
  /** AWS_ENDPOINT_URL_S3: MinIO, GCS interoperability (`https://storage.googleapis.com`), s3rver. */
  readonly endpoint?: string;
  /** S3_FORCE_PATH_STYLE: `http://host/bucket/key` instead of `http://bucket.host/key` (MinIO, s3rver). */
  readonly forcePathStyle?: boolean;
  /** Retries inside the adapter (see s3-retry.ts). */
  readonly retry?: RetryPolicy;
  /** Give up on one request after this long (default 60 s). */
  readonly requestTimeoutMs?: number;
  /**
   * Explicit credentials, for tests against a local server only; production
   * leaves this unset and the SDK's default chain answers.
   */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export type S3Sdk = typeof ClientS3;

let sdk: Promise<S3Sdk> | undefined;

/** The SDK module, imported once. */
export function loadS3Sdk(): Promise<S3Sdk> {
  sdk ??= import('@aws-sdk/client-s3');
  return sdk;
}

const clients = new Map<string, Promise<S3Client>>();

/**
 * A client for these settings, shared by every store built with the same
 * settings in this process (one connection pool). The SDK's own retries are
 * off: s3-retry.ts retries, including bodies cut off mid-download.
 */
export function s3Client(settings: S3Settings = {}): Promise<S3Client> {
  const key = JSON.stringify([settings.region, settings.endpoint, settings.forcePathStyle, settings.requestTimeoutMs, settings.credentials?.accessKeyId]);
  let client = clients.get(key);
  if (client === undefined) {
    client = loadS3Sdk().then(
      ({ S3Client: Client }) =>
        new Client({
          region: settings.region ?? (settings.endpoint === undefined ? undefined : 'us-east-1'),
          endpoint: settings.endpoint,
          forcePathStyle: settings.forcePathStyle ?? false,
          credentials: settings.credentials,
          maxAttempts: 1,
          // Bundles carry their own sha256 per blob, checked on every read; the
          // CRC checksums are asked for only where S3 requires them.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
          requestHandler: { connectionTimeout: 10_000, requestTimeout: settings.requestTimeoutMs ?? 60_000, throwOnRequestTimeout: true },
        }),
    );
    clients.set(key, client);
  }
  return client;
}
