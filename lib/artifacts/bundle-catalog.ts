import { InvalidArgumentError, formatIssues } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import { subStore } from './blob-store.js';
import { bundleVersion } from './bundle-version.js';
import { storeFailure } from './bundle-failures.js';
import { storeAt } from './store-at.js';
import type { Algorithm } from '../models/model.js';
import type { Manifest } from './manifest.js';
import { MANIFEST_FILE, ProvenanceSchema, VERSION_PATTERN } from './manifest.js';
import type { BundleInput } from './write-bundle.js';
import { writeBundle } from './write-bundle.js';

/**
 * The models area: `<root>/<algorithm>/<version>/` holds one bundle, where
 * `root` is the models folder or store (e.g. `models/` of the object store).
 */

/** The key prefix of a bundle under the models root: `<algorithm>/<version>`. */
export function bundleKey(algorithm: Algorithm, version: string): string {
  return `${algorithm}/${version}`;
}

export interface PublishedBundle {
  readonly manifest: Manifest;
  /** `<algorithm>/<version>` under the models root. */
  readonly key: string;
  /** The bundle's own location (what `readBundle` takes as a store). */
  readonly store: BlobStore;
}

/** Writes `input` as a new version under the models root and says where it went. */
export async function publishBundle(root: string | BlobStore, input: BundleInput): Promise<PublishedBundle> {
  const parsed = ProvenanceSchema.safeParse(input);
  if (!parsed.success) throw new InvalidArgumentError(`bundle: ${formatIssues(parsed.error.issues)}`);
  const createdAt = input.createdAt ?? new Date();
  const key = bundleKey(parsed.data.algorithm, bundleVersion(parsed.data, createdAt));
  const store = subStore(storeAt(root), key);
  const manifest = await writeBundle(store, { ...input, createdAt });
  return { manifest, key, store };
}

/**
 * The versions of `algorithm` under the models root that hold a manifest
 * (complete bundles only), oldest first. Their manifests are not read.
 */
export async function listBundleVersions(root: string | BlobStore, algorithm: Algorithm): Promise<string[]> {
  const store = storeAt(root);
  let keys: string[];
  try {
    keys = await store.list(`${algorithm}/`);
  } catch (error) {
    throw storeFailure(store.location, `cannot list ${algorithm}/`, error);
  }
  const versions: string[] = [];
  for (const key of keys) {
    const parts = key.split('/');
    if (parts.length === 3 && parts[2] === MANIFEST_FILE && VERSION_PATTERN.test(parts[1])) versions.push(parts[1]);
  }
  return versions.sort();
}
