import type { S3Settings } from '../artifacts/s3-client.js';
import { isS3Uri } from '../ops/s3-location.js';
import type { EventsStorage } from './events-storage.js';
import { FsEventsStorage } from './fs-events-storage.js';
import { S3EventsStorage } from './s3-events-storage.js';

/**
 * The events storage at `uri`: `s3://bucket[/prefix]` is an S3EventsStorage
 * (reached with `s3`, from `s3SettingsFrom(config)`), anything else a folder.
 */
export function eventsStorageAt(uri: string, options: { readonly s3?: S3Settings } = {}): EventsStorage {
  return isS3Uri(uri) ? new S3EventsStorage(uri, options.s3) : new FsEventsStorage(uri);
}
