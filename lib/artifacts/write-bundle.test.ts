import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Vocabulary } from '../data/vocabulary.js';
import { BundleError, InvalidArgumentError } from '../errors.js';
import { readBundle } from './read-bundle.js';
import { syntheticBundle } from './synthetic-bundle.js';
import type { BundleInput } from './write-bundle.js';
import { writeBundle } from './write-bundle.js';

const createdAt = new Date('2024-03-18T06:12:47.123Z');
const input = syntheticBundle({ nUsers: 6, nMovies: 5, factors: 2, seenPerUser: 2, seed: 3, createdAt });

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'movierec-write-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeBundle', () => {
  it('writes one blob per array, vocabularies as lines, and a manifest describing each', async () => {
    const dir = join(root, 'b');
    const manifest = await writeBundle(dir, input);
    expect((await readdir(dir)).sort()).toEqual([
      'bi.f32',
      'bu.f32',
      'manifest.json',
      'movie-ids.txt',
      'mu.f64',
      'popularity-rank.i32',
      'pu.f32',
      'qi.f32',
      'seen-indices.i32',
      'seen-indptr.i32',
      'seen-values.f32',
      'user-ids.txt',
    ]);
    expect(await readFile(join(dir, 'user-ids.txt'), 'utf8')).toBe(`${input.users.join('\n')}\n`);
    expect(manifest).toMatchObject({
      formatVersion: 1,
      algorithm: 'svd',
      createdAt: '2024-03-18T06:12:47.123Z',
      params: input.params,
      shape: input.shape,
      data: input.data,
      code: input.code,
      metrics: input.metrics,
    });
    expect(manifest.version).toMatch(/^svd-20240318T061247\.123Z-[0-9a-f]{8}$/);
    expect(manifest.blobs.params.pu).toMatchObject({ file: 'pu.f32', dtype: 'float32', length: 12, bytes: 48 });
    expect(manifest.blobs.params.mu).toMatchObject({ file: 'mu.f64', dtype: 'float64', length: 1, bytes: 8 });
    expect(manifest.blobs.users).toMatchObject({ dtype: 'utf8-lines', length: 6 });
    expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);
  });

  it('round-trips ids with unicode, +, %, spaces and quotes, from a Vocabulary', async () => {
    const movies = ['the+incredibles+2004', 'am%C3%A9lie+2001', 'amélie 2001', '千と千尋の神隠し+2001', 'emoji 🎬 "x"'];
    const dir = join(root, 'b');
    await writeBundle(dir, { ...input, movies: Vocabulary.from(movies) });
    const loaded = await readBundle(dir);
    expect(loaded.movies.toArray()).toEqual(movies);
    expect(loaded.movies.indexOf('千と千尋の神隠し+2001')).toBe(3);
  });

  it.each([
    ['a newline', 'bad\nid', 'movie id 2 "bad\\nid" contains a line break'],
    ['a carriage return', 'bad\rid', 'contains a line break'],
    ['an empty id', '', 'movie id 2 is empty'],
    ['a lone surrogate', 'bad\uD800', 'is not well-formed Unicode'],
    ['a duplicate', 'movie+number+0+1930', 'movie id "movie+number+0+1930" appears twice'],
  ])('rejects a movie id with %s and writes nothing', async (_, id, message) => {
    const movies = input.movies.slice();
    movies[2] = id;
    const dir = join(root, 'b');
    const error = await writeBundle(dir, { ...input, movies }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(String(error)).toContain(message);
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
  });

  it.each<[string, Partial<BundleInput>, string]>([
    ['vocabulary sizes off the shape', { users: input.users.slice(1) }, '5 user ids for shape.nUsers = 6'],
    ['a seen matrix of another shape', { seen: { ...input.seen, nCols: 4 } }, 'seen is 6×4'],
    ['a popularity ranking outside the movies', { popularity: new Int32Array([0, 5]) }, 'popularity: entry 1 is 5'],
    ['a bad parameter name', { arrays: { 'q-i': new Float32Array(2) } }, 'parameter name "q-i"'],
    ['a non-finite hyper-parameter', { params: { lr: Number.NaN } }, 'params.lr'],
    ['a git commit that is not hex', { code: { packageVersion: '1.0.0', gitCommit: 'HEAD' } }, 'code.gitCommit'],
  ])('rejects %s', async (_, change, message) => {
    const error = await writeBundle(join(root, 'b'), { ...input, ...change }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(String(error)).toContain(message);
  });

  it('refuses to write over a different bundle, and leaves it intact', async () => {
    const dir = join(root, 'b');
    const first = await writeBundle(dir, input);
    const other = syntheticBundle({ nUsers: 6, nMovies: 5, factors: 2, seenPerUser: 2, seed: 4, createdAt });
    const error = await writeBundle(dir, other).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect(String(error)).toContain(`${dir}: already holds bundle ${first.version}; bundle versions are immutable`);
    expect((await readBundle(dir)).manifest).toEqual(first);
  });

  it('refuses the same recipe with other arrays', async () => {
    const dir = join(root, 'b');
    await writeBundle(dir, input);
    const changed = { ...input, popularity: input.popularity.slice().reverse() };
    await expect(writeBundle(dir, changed)).rejects.toThrow(/already holds bundle/);
  });

  it('accepts writing the very same bundle again (a retried write)', async () => {
    const dir = join(root, 'b');
    const first = await writeBundle(dir, input);
    expect(await writeBundle(dir, input)).toEqual(first);
  });

  it('finishes a bundle whose earlier write died before its manifest', async () => {
    const dir = join(root, 'b');
    await writeBundle(dir, input);
    await rm(join(dir, 'manifest.json'));
    await rm(join(dir, 'qi.f32'));
    await writeBundle(dir, input);
    expect((await readBundle(dir)).arrays.qi).toEqual(input.arrays.qi);
  });

  it('gives the same version to the same recipe and another to other hyper-parameters', async () => {
    const a = await writeBundle(join(root, 'a'), input);
    const b = await writeBundle(join(root, 'b'), input);
    const c = await writeBundle(join(root, 'c'), { ...input, params: { ...input.params, reg: 0.05 } });
    expect(b.version).toBe(a.version);
    expect(c.version).not.toBe(a.version);
  });
});
