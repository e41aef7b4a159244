import { isS3Uri } from '../ops/s3-location.js';
import type { BlobStore } from './blob-store.js';
import { FsBlobStore } from './fs-blob-store.js';
import type { S3Settings } from './s3-client.js';
import { S3BlobStore } from './s3-blob-store.js';

export interface StoreOptions {
  /** How to reach object storage for `s3://` targets (from `s3SettingsFrom(config)`); default: the SDK's own defaults. */
  readonly s3?: S3Settings;
}

/**
 * The store for a bundle or models target: `s3://bucket[/prefix]` is an
 * S3BlobStore, anything else a folder (FsBlobStore); a store is used as is.
 */
export function storeAt(target: string | BlobStore, options: StoreOptions = {}): BlobStore {
  if (typeof target !== 'string') return target;
  return isS3Uri(target) ? new S3BlobStore(target, options.s3) : new FsBlobStore(target);
}
