import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { BlobStore } from './blob-store.js';
import { FsBlobStore } from './fs-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';
import { BLOB_STORE_CONTRACT } from './test-helpers/blob-store-contract.js';
import type { LocalS3 } from './test-helpers/s3-server.js';
import { startLocalS3 } from './test-helpers/s3-server.js';

let s3: LocalS3;
let folder: string;
let fresh = 0;
beforeAll(async () => {
  s3 = await startLocalS3(['contract']);
  folder = await mkdtemp(join(tmpdir(), 'movierec-contract-'));
});
afterAll(async () => {
  await s3.close();
  await rm(folder, { recursive: true, force: true });
});

/** Each implementation, giving an empty store per check (a fresh folder / a fresh prefix). */
const IMPLEMENTATIONS: readonly { name: string; make: () => BlobStore }[] = [
  { name: 'FsBlobStore', make: () => new FsBlobStore(join(folder, `case-${++fresh}`)) },
  { name: 'S3BlobStore (s3rver)', make: () => new S3BlobStore(`s3://contract/case-${++fresh}`, s3.settings) },
  // A page of 2 keys makes every listing above page through markers.
  { name: 'S3BlobStore, 2 keys a page', make: () => new S3BlobStore(`s3://contract/paged-${++fresh}`, s3.settings, { pageSize: 2 }) },
];

describe.each(IMPLEMENTATIONS)('BlobStore contract: $name', ({ make }) => {
  it.each(BLOB_STORE_CONTRACT)('$name', async ({ check }) => {
    await check(make());
  });
});
