/** Model bundles: the format, where they live, how they are written and read. See API.md. */
export type { BlobStore, GetOptions } from './blob-store.js';
export { checkKey, joinKey, subStore } from './blob-store.js';
export type { FsBlobStoreOptions } from './fs-blob-store.js';
export { FsBlobStore, storeAt } from './fs-blob-store.js';
export type { BlobEntry, BundleBlobs, CodeVersion, DataSnapshot, Dtype, Manifest, Provenance } from './manifest.js';
export { DTYPES, FORMAT_VERSION, MANIFEST_FILE, ManifestSchema, parseManifest } from './manifest.js';
export type { BundleContent } from './bundle-blobs.js';
export { bundleVersion, versionTime } from './bundle-version.js';
export type { BundleInput } from './write-bundle.js';
export { writeBundle } from './write-bundle.js';
export type { LoadedBundle } from './read-bundle.js';
export { readBundle } from './read-bundle.js';
export type { PublishedBundle } from './bundle-catalog.js';
export { bundleKey, listBundleVersions, publishBundle } from './bundle-catalog.js';
