import { expect } from 'vitest';
import type { BlobStore } from '../blob-store.js';
import { subStore } from '../blob-store.js';

/**
 * The BlobStore contract (blob-store.ts) as a table of checks, written once
 * and run against every implementation (FS and S3): each check gets an
 * empty store.
 */
export interface ContractCase {
  readonly name: string;
  check(store: BlobStore): Promise<void>;
}

const text = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'));

export const BLOB_STORE_CONTRACT: readonly ContractCase[] = [
  {
    name: 'put then get answers the bytes; a second put replaces them',
    async check(store) {
      await store.put('models/svd/v1/bu.f32', Buffer.from('hello'));
      expect(text(await store.get('models/svd/v1/bu.f32'))).toBe('hello');
      await store.put('models/svd/v1/bu.f32', Buffer.from('again'));
      expect(text(await store.get('models/svd/v1/bu.f32'))).toBe('again');
    },
  },
  {
    name: 'get answers undefined for a missing key and under a missing prefix',
    async check(store) {
      expect(await store.get('nope')).toBeUndefined();
      expect(await store.get('no/such/prefix/manifest.json')).toBeUndefined();
    },
  },
  {
    name: 'putIfAbsent creates a key once and never overwrites it',
    async check(store) {
      expect(await store.putIfAbsent('m.json', Buffer.from('first'))).toBe(true);
      expect(await store.putIfAbsent('m.json', Buffer.from('second'))).toBe(false);
      expect(text(await store.get('m.json'))).toBe('first');
      expect(await store.list('')).toEqual(['m.json']);
    },
  },
  {
    name: 'get streams every byte through onData in order, into memory of its own',
    async check(store) {
      const big = new Uint8Array(3 * 1024 * 1024 + 7);
      for (let k = 0; k < big.length; k += 991) big[k] = k & 0xff;
      await store.put('big.bin', big);
      const chunks: Uint8Array[] = [];
      const bytes = await store.get('big.bin', { onData: (chunk) => chunks.push(chunk) });
      expect(Buffer.concat(chunks).equals(Buffer.from(big))).toBe(true);
      expect(bytes?.byteOffset).toBe(0);
      expect(Buffer.from(bytes ?? new Uint8Array()).equals(Buffer.from(big))).toBe(true);
    },
  },
  {
    name: 'an empty blob is a blob',
    async check(store) {
      await store.put('empty', new Uint8Array());
      expect((await store.get('empty'))?.length).toBe(0);
      expect(await store.list('')).toEqual(['empty']);
    },
  },
  {
    name: 'list answers every key under a prefix, sorted, and nothing beside it',
    async check(store) {
      for (const key of ['svd/b/manifest.json', 'svd/a/qi.f32', 'svd/a/manifest.json', 'svdpp/a/manifest.json', 'als/x']) {
        await store.put(key, Buffer.from(key));
      }
      expect(await store.list('svd/')).toEqual(['svd/a/manifest.json', 'svd/a/qi.f32', 'svd/b/manifest.json']);
      expect(await store.list('svd')).toEqual(['svd/a/manifest.json', 'svd/a/qi.f32', 'svd/b/manifest.json', 'svdpp/a/manifest.json']);
      expect(await store.list('absent/')).toEqual([]);
    },
  },
  {
    name: 'delete removes a key; deleting a missing key is fine',
    async check(store) {
      await store.put('a/x', Buffer.from('x'));
      await store.delete('a/x');
      await store.delete('a/never');
      expect(await store.get('a/x')).toBeUndefined();
      expect(await store.list('a/')).toEqual([]);
    },
  },
  {
    name: 'keys that are not plain relative paths are refused before any I/O',
    async check(store) {
      for (const bad of ['', '../x', 'a//b', '.hidden', 'a/./b', '/abs']) {
        await expect(store.put(bad, Buffer.from('x'))).rejects.toThrow(/invalid blob key/);
      }
    },
  },
  {
    name: 'a subStore sees and lists only its own prefix',
    async check(store) {
      const sub = subStore(store, 'svd/v1');
      await sub.put('manifest.json', Buffer.from('{}'));
      await store.put('svd/v2/manifest.json', Buffer.from('{}'));
      expect(await sub.list('')).toEqual(['manifest.json']);
      expect(text(await store.get('svd/v1/manifest.json'))).toBe('{}');
      expect(sub.location).toBe(`${store.location}/svd/v1`);
    },
  },
];
