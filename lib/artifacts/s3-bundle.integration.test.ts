import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BundleError } from '../errors.js';
import { listBundleVersions, publishBundle } from './bundle-catalog.js';
import { readBundle } from './read-bundle.js';
import { S3BlobStore } from './s3-blob-store.js';
import { ObjectStoreError } from './s3-retry.js';
import { storeAt } from './store-at.js';
import { syntheticBundle } from './synthetic-bundle.js';
import type { FaultyProxy, SeenRequest } from './test-helpers/faulty-proxy.js';
import { startFaultyProxy } from './test-helpers/faulty-proxy.js';
import type { LocalS3 } from './test-helpers/s3-server.js';
import { localS3Settings, startLocalS3 } from './test-helpers/s3-server.js';

let s3: LocalS3;
let proxy: FaultyProxy;
let run = 0;
beforeAll(async () => {
  s3 = await startLocalS3(['models']);
  proxy = await startFaultyProxy(s3.endpoint);
});
afterEach(() => {
  proxy.rule = () => 'pass';
});
afterAll(async () => {
  await proxy.close();
  await s3.close();
});

const input = (seed: number) => syntheticBundle({ nUsers: 300, nMovies: 120, factors: 8, seenPerUser: 6, seed, createdAt: new Date('2026-11-26T10:15:00Z') });
/** A fresh models root, reached directly or through the faulty proxy. */
const roots = () => {
  run += 1;
  return {
    direct: new S3BlobStore(`s3://models/run-${run}`, s3.settings),
    viaProxy: new S3BlobStore(`s3://models/run-${run}`, localS3Settings(proxy.url)),
  };
};
const isPut = (file: string) => (request: SeenRequest) => request.method === 'PUT' && request.path.split('?')[0].endsWith(`/${file}`);

describe('bundles on S3 (s3rver)', () => {
  it('publishes and reads back a bundle, every checksum verified, through an s3:// URI', async () => {
    const { direct } = roots();
    const written = await publishBundle(direct, input(1));
    expect(written.store.location).toBe(`${direct.location}/${written.key}`);
    expect(written.store.location).toMatch(/^s3:\/\/models\/run-\d+\/svd\/svd-20261126T101500\.000Z-[0-9a-f]{8}$/);
    const loaded = await readBundle(storeAt(written.store.location, { s3: s3.settings }));
    expect(loaded.manifest).toEqual(written.manifest);
    expect(loaded.users.size).toBe(300);
    expect(Array.from(loaded.arrays.qi.slice(0, 4))).toEqual(Array.from((input(1).arrays.qi as Float32Array).slice(0, 4)));
    expect(await listBundleVersions(direct, 'svd')).toEqual([written.manifest.version]);
  });

  it('refuses a blob whose bytes changed on the server (sha256 mismatch)', async () => {
    const { direct } = roots();
    const written = await publishBundle(direct, input(2));
    const qi = await written.store.get('qi.f32');
    if (qi === undefined) throw new Error('qi.f32 missing');
    const flipped = Buffer.from(qi);
    flipped[10] ^= 0xff;
    await written.store.put('qi.f32', flipped);
    await expect(readBundle(written.store)).rejects.toThrow(/blob qi\.f32: sha256 mismatch/);
  });

  it('never shows a reader half a bundle: the manifest goes last', async () => {
    const { direct, viaProxy } = roots();
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    proxy.rule = (request) => (isPut('manifest.json')(request) ? { hold: held } : 'pass');
    const publishing = publishBundle(viaProxy, input(3));
    await waitFor(() => proxy.seen.some((request) => isPut('manifest.json')(request)));
    const blobs = await direct.list('svd/');
    expect(blobs.length).toBeGreaterThan(5); // every blob is there …
    expect(blobs.some((name) => name.endsWith('manifest.json'))).toBe(false); // … but no manifest
    expect(await listBundleVersions(direct, 'svd')).toEqual([]);
    const version = blobs[0].split('/')[1];
    await expect(readBundle(storeAt(`${direct.location}/svd/${version}`, { s3: s3.settings }))).rejects.toThrow(/no bundle here \(manifest\.json not found\)/);
    release();
    const published = await publishing;
    expect((await readBundle(published.store)).manifest.version).toBe(version);
  });

  it('rides out transient failures inside the store: 500s, throttling, a reset upload, a cut download', async () => {
    const { viaProxy } = roots();
    const struck = new Map<string, number>();
    const once = (what: string, fault: 'status-500' | 'status-503-slowdown' | 'reset-mid-upload' | 'cut-response') => {
      if (struck.has(what)) return 'pass' as const;
      struck.set(what, 1);
      return fault;
    };
    proxy.rule = (request) => {
      const path = request.path.split('?')[0];
      if (request.method === 'PUT' && path.endsWith('/qi.f32')) return once('put qi', 'reset-mid-upload');
      if (request.method === 'PUT' && path.endsWith('/pu.f32')) return once('put pu', 'status-500');
      if (request.method === 'PUT' && path.endsWith('/bu.f32')) return once('put bu', 'status-503-slowdown');
      if (request.method === 'GET' && path.endsWith('/qi.f32')) return once('get qi', 'cut-response');
      return 'pass';
    };
    const published = await publishBundle(viaProxy, input(4));
    const loaded = await readBundle(published.store);
    expect(loaded.manifest.version).toBe(published.manifest.version);
    expect([...struck.keys()].sort()).toEqual(['get qi', 'put bu', 'put pu', 'put qi']);
  });

  it('a store that fails mid-upload leaves no bundle, names the blob, and a retry succeeds', async () => {
    const { direct, viaProxy } = roots();
    proxy.rule = (request) => (isPut('pu.f32')(request) ? 'status-500' : 'pass');
    const before = proxy.seen.length;
    const failed = await publishBundle(viaProxy, input(5)).then(
      () => undefined,
      (error: unknown) => error,
    );
    if (!(failed instanceof BundleError)) throw new Error(`expected a BundleError, got ${String(failed)}`);
    const error = failed;
    expect(error.retriable).toBe(true);
    expect(error.message).toMatch(/cannot write blob pu\.f32: s3:\/\/models\/run-\d+\/svd\/svd-[^/]+\/pu\.f32: PUT failed \(after 3 attempts\): InternalError \(HTTP 500\)/);
    expect(error.message).not.toMatch(/S3RVER/);
    expect(error.cause).toBeInstanceOf(ObjectStoreError);
    const seen = proxy.seen.slice(before);
    expect(seen.filter(isPut('pu.f32'))).toHaveLength(3); // tried 3 times in the store, then given up
    expect(seen.some(isPut('manifest.json'))).toBe(false);
    expect(await listBundleVersions(direct, 'svd')).toEqual([]);

    proxy.rule = () => 'pass';
    const retried = await publishBundle(viaProxy, input(5));
    expect((await readBundle(retried.store)).manifest).toEqual(retried.manifest);
    expect(await listBundleVersions(direct, 'svd')).toEqual([retried.manifest.version]);
  });

  it('fails at once, not retriable, on a permission error, without echoing the secret', async () => {
    const denied = new S3BlobStore('s3://models/denied', { ...s3.settings, credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'very-secret-value' } });
    const error = await denied.put('x', Buffer.from('x')).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(error instanceof ObjectStoreError)) throw new Error(`expected an ObjectStoreError, got ${String(error)}`);
    const failure = error;
    expect(failure.retriable).toBe(false);
    expect(failure.message).toMatch(/^s3:\/\/models\/denied\/x: PUT failed: \w+ \(HTTP 403\)/);
    expect(`${failure.message} ${String(failure.cause)} ${JSON.stringify(failure.cause)}`).not.toMatch(/very-secret-value|NOT-A-KEY/);
  });

  it('a manifest put whose answer was lost is recognised on retry as our own, not as another writer', async () => {
    const { viaProxy } = roots();
    let lost = false;
    proxy.rule = (request) => {
      if (!lost && isPut('manifest.json')(request)) {
        lost = true;
        return 'lose-answer';
      }
      return 'pass';
    };
    const published = await publishBundle(viaProxy, input(6));
    expect(lost).toBe(true);
    expect((await readBundle(published.store)).manifest).toEqual(published.manifest);
  });

  it('lists more keys than a page holds', async () => {
    const paged = new S3BlobStore(`s3://models/paging-${++run}`, localS3Settings(proxy.url), { pageSize: 3 });
    const keys = Array.from({ length: 11 }, (_, k) => `svd/v${String(k).padStart(2, '0')}/manifest.json`);
    await Promise.all(keys.map((key) => paged.put(key, Buffer.from(key))));
    await paged.put('svdpp/v00/manifest.json', Buffer.from('beside'));
    const before = proxy.seen.length;
    expect(await paged.list('svd/')).toEqual(keys);
    expect(proxy.seen.slice(before).filter((request) => request.method === 'GET' && /^\/models\/?\?/.test(request.path))).toHaveLength(4); // 3 + 3 + 3 + 2
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
