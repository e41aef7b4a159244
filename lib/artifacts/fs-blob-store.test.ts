import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { joinKey, subStore } from './blob-store.js';
import { FsBlobStore } from './fs-blob-store.js';
import { storeAt } from './store-at.js';

let root: string;
let store: FsBlobStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'movierec-store-'));
  store = new FsBlobStore(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const text = (bytes: Uint8Array | undefined): string | undefined =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');

describe('FsBlobStore', () => {
  it('puts and gets bytes under nested keys, creating folders', async () => {
    await store.put('models/svd/v1/bu.f32', Buffer.from('hello'));
    expect(text(await store.get('models/svd/v1/bu.f32'))).toBe('hello');
    await store.put('models/svd/v1/bu.f32', Buffer.from('again'));
    expect(text(await store.get('models/svd/v1/bu.f32'))).toBe('again');
  });

  it('gets undefined for a missing key, a missing folder and a missing root', async () => {
    expect(await store.get('nope')).toBeUndefined();
    expect(await store.get('no/such/folder/file')).toBeUndefined();
    await store.put('file', Buffer.from('x'));
    expect(await store.get('file/below')).toBeUndefined();
    expect(await new FsBlobStore(join(root, 'absent')).get('manifest.json')).toBeUndefined();
  });

  it('creates a key with putIfAbsent only once', async () => {
    expect(await store.putIfAbsent('m.json', Buffer.from('first'))).toBe(true);
    expect(await store.putIfAbsent('m.json', Buffer.from('second'))).toBe(false);
    expect(text(await store.get('m.json'))).toBe('first');
    expect(await readdir(root)).toEqual(['m.json']); // no temporary file left behind
  });

  it('streams a large blob through onData in order, into memory of its own', async () => {
    const big = new Uint8Array(20 * 1024 * 1024 + 3);
    for (let k = 0; k < big.length; k += 997) big[k] = k & 0xff;
    await store.put('big.bin', big);
    const chunks: Uint8Array[] = [];
    const bytes = await store.get('big.bin', { onData: (chunk) => chunks.push(chunk) });
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(Buffer.from(big))).toBe(true);
    expect(bytes?.byteOffset).toBe(0);
    expect(Buffer.from(bytes ?? new Uint8Array()).equals(Buffer.from(big))).toBe(true);
  });

  it('gets an empty blob', async () => {
    await store.put('empty', new Uint8Array());
    expect((await store.get('empty'))?.length).toBe(0);
  });

  it('lists keys by prefix, sorted, without temporary files', async () => {
    for (const key of ['svd/v2/manifest.json', 'svd/v1/manifest.json', 'svd/v1/bu.f32', 'als/v1/manifest.json', 'svdpp/v1/x']) {
      await store.put(key, Buffer.from(key));
    }
    await writeFile(join(root, 'svd', 'v1', '.0123.tmp'), 'partial');
    expect(await store.list('svd/')).toEqual(['svd/v1/bu.f32', 'svd/v1/manifest.json', 'svd/v2/manifest.json']);
    expect(await store.list('svd')).toEqual([
      'svd/v1/bu.f32',
      'svd/v1/manifest.json',
      'svd/v2/manifest.json',
      'svdpp/v1/x',
    ]);
    expect(await store.list('')).toHaveLength(5);
    expect(await store.list('nothing/here/')).toEqual([]);
  });

  it('deletes a key, and a missing key quietly', async () => {
    await store.put('a', Buffer.from('x'));
    await store.delete('a');
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
  });

  it.each(['', '/abs', 'a//b', '../up', 'a/../b', '.hidden', 'a/.tmp', 'back\\slash', 'nul\0'])(
    'refuses the key %j',
    async (key) => {
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(store.put(key, new Uint8Array())).rejects.toBeInstanceOf(InvalidArgumentError);
    },
  );

  it('writes and syncs in durable mode too', async () => {
    const durable = new FsBlobStore(root, { durable: true });
    await durable.put('d/x', Buffer.from('x'));
    expect(await durable.putIfAbsent('d/y', Buffer.from('y'))).toBe(true);
    expect(text(await durable.get('d/y'))).toBe('y');
  });
});

describe('subStore', () => {
  it('keeps every key under its prefix and says where it points', async () => {
    const models = subStore(store, 'models/');
    const bundle = subStore(models, 'svd/v1');
    expect(bundle.location).toBe(`${root}/models/svd/v1`);
    await bundle.put('manifest.json', Buffer.from('{}'));
    expect(await store.list('')).toEqual(['models/svd/v1/manifest.json']);
    expect(await models.list('svd/')).toEqual(['svd/v1/manifest.json']);
    expect(text(await bundle.get('manifest.json'))).toBe('{}');
    expect(await bundle.putIfAbsent('manifest.json', Buffer.from('x'))).toBe(false);
    await bundle.delete('manifest.json');
    expect(await bundle.list('')).toEqual([]);
    expect(() => subStore(store, '../elsewhere')).toThrow(InvalidArgumentError);
    await expect(bundle.get('../../x')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('is the store itself for an empty prefix', () => {
    expect(subStore(store, '/')).toBe(store);
  });
});

describe('joinKey and storeAt', () => {
  it('joins parts with single slashes', () => {
    expect(joinKey('models/', '/svd', '', 'v1/')).toBe('models/svd/v1');
  });

  it('opens a folder path as a store and passes a store through', () => {
    expect(storeAt(root).location).toBe(root);
    expect(storeAt(store)).toBe(store);
  });
});
