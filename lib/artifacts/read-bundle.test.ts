import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleError } from '../errors.js';
import { FsBlobStore } from './fs-blob-store.js';
import { readBundle } from './read-bundle.js';
import { syntheticBundle } from './synthetic-bundle.js';
import { writeBundle } from './write-bundle.js';

const input = syntheticBundle({
  nUsers: 50,
  nMovies: 30,
  factors: 4,
  seenPerUser: 5,
  seed: 7,
  createdAt: new Date('2024-03-18T06:12:47.123Z'),
});

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'movierec-read-')), 'svd', 'v1');
});
afterEach(async () => {
  await rm(join(dir, '..', '..'), { recursive: true, force: true });
});

/** The BundleError `promise` rejects with (fails the test if it resolves or throws something else). */
async function refusal(promise: Promise<unknown>): Promise<BundleError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BundleError);
  if (!(error instanceof BundleError)) throw new Error('unreachable');
  return error;
}

/** Sets (or with undefined deletes) the manifest field at each dotted path. */
async function editManifest(edits: Record<string, unknown>): Promise<void> {
  const path = join(dir, 'manifest.json');
  const manifest: unknown = JSON.parse(await readFile(path, 'utf8'));
  for (const [field, value] of Object.entries(edits)) {
    const keys = field.split('.');
    const last = keys.pop() ?? '';
    let node = manifest;
    for (const key of keys) node = isRecord(node) ? node[key] : undefined;
    if (!isRecord(node)) throw new Error(`no ${field} in the manifest`);
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  await writeFile(path, JSON.stringify(manifest));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

function sha256Of(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('readBundle', () => {
  it('gives back exactly what was written', async () => {
    const written = await writeBundle(dir, input);
    const loaded = await readBundle(dir);
    expect(loaded.location).toBe(dir);
    expect(loaded.manifest).toEqual(written);
    expect(Object.keys(loaded.arrays).sort()).toEqual(['bi', 'bu', 'mu', 'pu', 'qi']);
    for (const [name, array] of Object.entries(input.arrays)) {
      expect(loaded.arrays[name].constructor).toBe(array.constructor);
      expect(Array.from(loaded.arrays[name])).toEqual(Array.from(array));
    }
    expect(loaded.users.toArray()).toEqual(input.users);
    expect(loaded.movies.toArray()).toEqual(input.movies);
    expect(loaded.users.indexOf(String(input.users[17]))).toBe(17);
    expect(loaded.seen.nRows).toBe(50);
    expect(loaded.seen.nCols).toBe(30);
    expect(Array.from(loaded.seen.indptr)).toEqual(Array.from(input.seen.indptr));
    expect(Array.from(loaded.seen.indices)).toEqual(Array.from(input.seen.indices));
    expect(Array.from(loaded.seen.values)).toEqual(Array.from(input.seen.values));
    expect(Array.from(loaded.popularity)).toEqual(Array.from(input.popularity));
  });

  it('reads through any BlobStore', async () => {
    await writeBundle(new FsBlobStore(dir), input);
    const loaded = await readBundle(new FsBlobStore(dir));
    expect(loaded.manifest.version).toBe('svd-20240318T061247.123Z-' + loaded.manifest.version.slice(-8));
  });

  it('says there is no bundle when the folder or its manifest is missing', async () => {
    expect((await refusal(readBundle(dir))).message).toBe(`${dir}: no bundle here (manifest.json not found)`);
    await writeBundle(dir, input);
    await unlink(join(dir, 'manifest.json'));
    expect((await refusal(readBundle(dir))).message).toContain('no bundle here');
  });

  it('refuses a blob with one flipped byte, naming both hashes', async () => {
    const manifest = await writeBundle(dir, input);
    const path = join(dir, 'qi.f32');
    const bytes = await readFile(path);
    bytes[5] ^= 0x01;
    await writeFile(path, bytes);
    const error = await refusal(readBundle(dir));
    expect(error.location).toBe(dir);
    expect(error.message).toContain(`${dir}: blob qi.f32: sha256 mismatch (manifest ${manifest.blobs.params.qi.sha256.slice(0, 12)}…, file `);
    expect(error.retriable).toBe(false);
  });

  it('refuses a truncated blob with its sizes', async () => {
    const manifest = await writeBundle(dir, input);
    const full = manifest.blobs.seenIndices.bytes;
    await truncate(join(dir, 'seen-indices.i32'), full - 4);
    const error = await refusal(readBundle(dir));
    expect(error.message).toBe(`${dir}: blob seen-indices.i32: size mismatch (manifest ${full} bytes, file ${full - 4} bytes)`);
  });

  it('refuses a bundle with a missing blob, naming it', async () => {
    await writeBundle(dir, input);
    await unlink(join(dir, 'user-ids.txt'));
    expect((await refusal(readBundle(dir))).message).toBe(`${dir}: blob user-ids.txt: missing`);
  });

  it.each([
    ['an unknown format version', 'formatVersion', 2, 'formatVersion: unknown bundle format 2 (this reader knows 1)'],
    ['a negative length', 'blobs.params.bu.length', -1, 'blobs.params.bu.length'],
    ['a missing sha256', 'blobs.params.qi.sha256', undefined, 'blobs.params.qi.sha256'],
    ['a malformed sha256', 'blobs.params.qi.sha256', 'abc', 'blobs.params.qi.sha256: expected 64 lower-case hex digits'],
    ['an unknown algorithm', 'algorithm', 'knn', 'algorithm'],
    ['a non-ISO creation time', 'createdAt', 'yesterday', 'createdAt'],
    ['a size that does not fit the length', 'blobs.params.bu.bytes', 3, 'blobs.params.bu.bytes: 3 bytes do not hold 50 float32 values'],
    ['a path for a file name', 'blobs.params.bu.file', '../bu.f32', 'blobs.params.bu.file'],
    ['a wrong dtype for a fixed blob', 'blobs.seenIndptr.dtype', 'float32', 'blobs.seenIndptr.dtype'],
    ['a vocabulary longer than the shape', 'blobs.users.length', 51, 'blobs.users.length: expected shape.nUsers = 50'],
    ['two blobs in one file', 'blobs.params.bi.file', 'bu.f32', 'blobs.params.bu.file: bu.f32 is also params.bi'],
  ])('refuses a manifest with %s, naming the field', async (_, field, value, expected) => {
    await writeBundle(dir, input);
    await editManifest({ [field]: value });
    const error = await refusal(readBundle(dir));
    expect(error.message).toContain(`${dir}: manifest.json: `);
    expect(error.message).toContain(expected);
  });

  it('refuses a manifest that is not JSON', async () => {
    await writeBundle(dir, input);
    await writeFile(join(dir, 'manifest.json'), '{"formatVersion": 1,');
    expect((await refusal(readBundle(dir))).message).toContain('manifest.json: not valid JSON');
  });

  it('refuses a vocabulary whose line count disagrees with the manifest', async () => {
    await writeBundle(dir, input);
    const text = `${input.movies.slice(0, 29).join('\n')}\nextra\nids\n`;
    await writeFile(join(dir, 'movie-ids.txt'), text);
    await editManifest({ 'blobs.movies.bytes': Buffer.byteLength(text), 'blobs.movies.sha256': sha256Of(text) });
    expect((await refusal(readBundle(dir))).message).toBe(`${dir}: blob movie-ids.txt: holds 31 lines, manifest says 30`);
  });

  it('refuses a seen-items CSR that points outside the movies, even with matching hashes', async () => {
    await writeBundle(dir, input);
    const indices = new Int32Array(input.seen.indices);
    indices[0] = 30;
    const bytes = Buffer.from(indices.buffer);
    await writeFile(join(dir, 'seen-indices.i32'), bytes);
    await editManifest({ 'blobs.seenIndices.bytes': bytes.length, 'blobs.seenIndices.sha256': sha256Of(bytes) });
    expect((await refusal(readBundle(dir))).message).toContain('not a valid seen-items CSR: row 0: column 30 is outside 0..29');
  });
});

