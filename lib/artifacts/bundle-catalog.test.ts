import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleKey, listBundleVersions, publishBundle } from './bundle-catalog.js';
import { FsBlobStore } from './fs-blob-store.js';
import { readBundle } from './read-bundle.js';
import { syntheticBundle } from './synthetic-bundle.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'movierec-catalog-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const bundleAt = (iso: string, algorithm: 'svd' | 'als' = 'svd') =>
  syntheticBundle({ nUsers: 4, nMovies: 3, factors: 2, seenPerUser: 1, seed: 1, algorithm, createdAt: new Date(iso) });

describe('publishBundle', () => {
  it('writes under <algorithm>/<version> and the result reads back', async () => {
    const published = await publishBundle(root, bundleAt('2024-05-01T10:00:00.000Z'));
    expect(published.key).toBe(bundleKey('svd', published.manifest.version));
    expect(published.store.location).toBe(`${root}/${published.key}`);
    expect((await readBundle(join(root, 'svd', published.manifest.version))).manifest).toEqual(published.manifest);
  });
});

describe('listBundleVersions', () => {
  it('lists complete bundles of one algorithm, oldest first', async () => {
    const store = new FsBlobStore(root);
    const late = await publishBundle(store, bundleAt('2024-05-02T00:00:00.000Z'));
    const early = await publishBundle(store, bundleAt('2024-05-01T00:00:00.000Z'));
    await publishBundle(store, bundleAt('2024-05-03T00:00:00.000Z', 'als'));
    await store.put('svd/svd-20240504T000000.000Z-00000000/qi.f32', new Uint8Array(4)); // no manifest yet
    await store.put('svd/notes.txt', new Uint8Array(1));
    expect(await listBundleVersions(store, 'svd')).toEqual([early.manifest.version, late.manifest.version]);
    expect(await listBundleVersions(join(root, 'absent'), 'svd')).toEqual([]);
  });
});
