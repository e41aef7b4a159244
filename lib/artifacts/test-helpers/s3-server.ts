import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3Settings } from '../s3-client.js';

/** s3rver's fixed credentials (its documented defaults; nothing secret). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Client settings for this server: path style, its credentials, quick retries. */
  readonly settings: S3Settings;
  close(): Promise<void>;
}

/**
 * A real S3-API server (s3rver, in process) on 127.0.0.1, an ephemeral port
 * and a fresh temporary folder, holding `buckets`; silent.
 */
export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  // Tests are silent: the SDK's one-time "Node 20 support ends in 2027" process warning is turned off for them.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const directory = await mkdtemp(join(tmpdir(), 'movierec-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const address: AddressInfo = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    settings: localS3Settings(endpoint),
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Settings for a local server at `endpoint` (tests keep retries short). */
export function localS3Settings(endpoint: string): S3Settings {
  return { endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS, retry: { attempts: 3, baseMs: 5, capMs: 20 } };
}
