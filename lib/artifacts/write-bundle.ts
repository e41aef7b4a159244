import { BundleError, InvalidArgumentError, formatIssues } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import type { BundleContent } from './bundle-blobs.js';
import { encodeBundleBlobs, hashBlobs, pendingList, sha256Hex } from './bundle-blobs.js';
import { storeFailure } from './bundle-failures.js';
import { bundleVersion } from './bundle-version.js';
import { storeAt } from './store-at.js';
import type { BundleBlobs, Manifest, Provenance } from './manifest.js';
import { FORMAT_VERSION, MANIFEST_FILE, ProvenanceSchema, blobEntries, parseManifest } from './manifest.js';

/** What a trainer hands over to be saved. */
export interface BundleInput extends Provenance, Omit<BundleContent, 'shape'> {
  /** Defaults to now. */
  readonly createdAt?: Date;
}

/**
 * Writes a bundle into `target` (a folder path, or a store rooted at the
 * bundle): every blob first, the manifest last and only if none exists, so a
 * reader sees the whole bundle or none. A target that already holds a bundle
 * is refused with a BundleError, unless it holds this very bundle (same
 * version, same blobs), so a retried write succeeds. Bad input is an
 * InvalidArgumentError raised before anything is written. Concurrent writers
 * of one target are not supported: the loser's blobs may replace the winner's.
 */
export async function writeBundle(target: string | BlobStore, input: BundleInput): Promise<Manifest> {
  const store = storeAt(target);
  const { location } = store;
  const parsed = ProvenanceSchema.safeParse(input);
  if (!parsed.success) throw new InvalidArgumentError(`bundle: ${formatIssues(parsed.error.issues)}`);
  const provenance = parsed.data;
  const createdAt = input.createdAt ?? new Date();
  if (Number.isNaN(createdAt.getTime())) throw new InvalidArgumentError('bundle: createdAt is an invalid date');
  const pending = encodeBundleBlobs(input);
  const head: Omit<Manifest, 'blobs'> = {
    formatVersion: FORMAT_VERSION,
    ...provenance,
    version: bundleVersion(provenance, createdAt),
    createdAt: createdAt.toISOString(),
  };

  const existing = await fetch(store, MANIFEST_FILE);
  if (existing !== undefined) return sameBundleOrRefuse(location, existing, head.version, hashBlobs(pending));

  // The writes run on the thread pool while this thread hashes.
  const files = pendingList(pending);
  const written = Promise.allSettled(files.map((blob) => store.put(blob.file, blob.data)));
  const blobs = hashBlobs(pending, sha256Hex);
  for (const [k, result] of (await written).entries()) {
    if (result.status === 'rejected') throw storeFailure(location, `cannot write blob ${files[k].file}`, result.reason);
  }

  const manifest: Manifest = { ...head, blobs };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  let created: boolean;
  try {
    created = await store.putIfAbsent(MANIFEST_FILE, Buffer.from(text, 'utf8'));
  } catch (error) {
    throw storeFailure(location, `cannot write ${MANIFEST_FILE}`, error);
  }
  if (!created) throw new BundleError(location, `another writer created a bundle here meanwhile`);
  return manifest;
}

async function fetch(store: BlobStore, key: string): Promise<Uint8Array | undefined> {
  try {
    return await store.get(key);
  } catch (error) {
    throw storeFailure(store.location, `cannot read ${key}`, error);
  }
}

function sameBundleOrRefuse(location: string, existingBytes: Uint8Array, version: string, blobs: BundleBlobs): Manifest {
  let existing: Manifest;
  try {
    existing = parseManifest(location, existingBytes);
  } catch (error) {
    throw new BundleError(location, 'already holds a manifest.json (unreadable); refusing to overwrite it', { cause: error });
  }
  const fingerprint = (b: BundleBlobs): string => JSON.stringify(blobEntries(b).map(([role, e]) => [role, e.file, e.sha256]));
  if (existing.version === version && fingerprint(existing.blobs) === fingerprint(blobs)) return existing;
  throw new BundleError(location, `already holds bundle ${existing.version}; bundle versions are immutable`);
}
