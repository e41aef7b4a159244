import type { ObjectStoreConfig } from '../ops/config.js';
import type { S3Settings } from './s3-client.js';

/** The S3 client settings a loaded config describes (credentials stay with the SDK's default chain). */
export function s3SettingsFrom(config: ObjectStoreConfig): S3Settings {
  return {
    region: config.AWS_REGION,
    endpoint: config.AWS_ENDPOINT_URL_S3,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  };
}
