import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStore } from '../lib/artifacts/blob-store.js';
import type { S3Settings } from '../lib/artifacts/s3-client.js';
import { S3BlobStore } from '../lib/artifacts/s3-blob-store.js';
import { s3SettingsFrom } from '../lib/artifacts/s3-settings.js';
import { storeAt } from '../lib/artifacts/store-at.js';
import { DataFileError } from '../lib/errors.js';
import { loadConfig, ObjectStoreConfigSchema } from '../lib/ops/config.js';
import { formatS3Uri, isS3Uri, parseS3Uri } from '../lib/ops/s3-location.js';

/**
 * Paths the CLI takes may be `s3://bucket[/prefix]` URIs: bundles and models
 * roots go through the S3 store; data inputs are fetched through it into a
 * temporary folder and read as files. The object-store settings come from
 * the environment (AWS_REGION, AWS_ENDPOINT_URL_S3, S3_FORCE_PATH_STYLE via
 * lib/ops/config; credentials via the SDK's default chain), read only when a
 * URI asks for them.
 */
export function cliS3Settings(): S3Settings {
  return s3SettingsFrom(loadConfig(ObjectStoreConfigSchema));
}

/** The store for a bundle or models-root argument: a folder, or an object-store prefix. */
export function cliStore(target: string): BlobStore {
  return isS3Uri(target) ? storeAt(target, { s3: cliS3Settings() }) : storeAt(target);
}

/** A data input made local: `path` to read, `uriOf` to name a local file by its object URI, `cleanup` when done. */
export interface LocalInput {
  readonly path: string;
  uriOf(local: string): string;
  cleanup(): Promise<void>;
}

/**
 * `input` as a local path. A folder path is returned as is. An `s3://` URI
 * naming an object is fetched as one file; one naming a prefix fetches the
 * objects directly under it (like a folder's files; hidden ones skipped).
 */
export async function localInput(input: string): Promise<LocalInput> {
  if (!isS3Uri(input)) return { path: input, uriOf: (local) => local, cleanup: async () => undefined };
  const { bucket, prefix } = parseS3Uri(input);
  const store = new S3BlobStore({ bucket, prefix: '' }, cliS3Settings());
  const dir = await mkdtemp(join(tmpdir(), 'movierec-input-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const name = (key: string) => key.slice(key.lastIndexOf('/') + 1);
    const uriOf = (local: string): string => {
      if (!local.startsWith(dir)) return local;
      const rest = local.slice(dir.length + 1);
      return formatS3Uri({ bucket, prefix }, rest === name(prefix) ? '' : rest);
    };
    const single = prefix.length > 0 ? await store.get(prefix) : undefined;
    if (single !== undefined) {
      const path = join(dir, name(prefix));
      await writeFile(path, single);
      return { path, uriOf: (local) => (local === path ? input.trim() : uriOf(local)), cleanup };
    }
    const base = prefix.length > 0 ? `${prefix}/` : '';
    const keys = (await store.list(base)).filter((key) => !key.slice(base.length).includes('/'));
    if (keys.length === 0) throw new DataFileError(input, undefined, 'no such object, and no objects under this prefix');
    for (const key of keys) {
      const bytes = await store.get(key);
      if (bytes !== undefined) await writeFile(join(dir, name(key)), bytes);
    }
    return { path: dir, uriOf, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
