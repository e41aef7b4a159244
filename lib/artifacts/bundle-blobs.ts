import { createHash } from 'node:crypto';
import type { Csr } from '../data/csr.js';
import { Vocabulary } from '../data/vocabulary.js';
import { InvalidArgumentError } from '../errors.js';
import type { ModelShape, ParamArrays } from '../models/model.js';
import { FILE_SUFFIX, arrayBytes, dtypeOf, encodeLines } from './blob-codec.js';
import { duplicateProblem, popularityProblem, seenProblem } from './bundle-checks.js';
import type { BlobEntry, BundleBlobs } from './manifest.js';
import { PARAM_NAME } from './manifest.js';

/** The arrays a bundle holds besides its metadata. */
export interface BundleContent {
  readonly shape: ModelShape;
  readonly arrays: ParamArrays;
  readonly users: Vocabulary | readonly string[];
  readonly movies: Vocabulary | readonly string[];
  /** Movies each user has seen (rows users, columns movies): excluded when serving. */
  readonly seen: Csr;
  /** Movie indices, most popular first: the fallback for unknown users. */
  readonly popularity: Int32Array;
}

/** A blob ready to write: its manifest entry without size and hash, and its bytes. */
export type Unhashed<E extends BlobEntry> = Omit<E, 'sha256' | 'bytes'> & { readonly data: Uint8Array };
type Fixed = Exclude<keyof BundleBlobs, 'params'>;
export type PendingBlobs = { readonly params: Record<string, Unhashed<BundleBlobs['params'][string]>> } & {
  readonly [K in Fixed]: Unhashed<BundleBlobs[K]>;
};

/** The blob file names of the fixed blobs; parameter `qi` (float32) is `qi.f32`. Parameter names hold no `-`. */
export const FIXED_FILES: Readonly<Record<Fixed, string>> = {
  users: 'user-ids.txt',
  movies: 'movie-ids.txt',
  seenIndptr: 'seen-indptr.i32',
  seenIndices: 'seen-indices.i32',
  seenValues: 'seen-values.f32',
  popularity: 'popularity-rank.i32',
};

/** Checks the content for consistency and encodes every blob (views, not copies, where it can). */
export function encodeBundleBlobs(content: BundleContent): PendingBlobs {
  const { shape, seen, popularity } = content;
  const refuse = (what: string): never => {
    throw new InvalidArgumentError(`bundle: ${what}`);
  };
  const users = idsOf(content.users, 'user', refuse);
  const movies = idsOf(content.movies, 'movie', refuse);
  if (users.length !== shape.nUsers) refuse(`${users.length} user ids for shape.nUsers = ${shape.nUsers}`);
  if (movies.length !== shape.nMovies) refuse(`${movies.length} movie ids for shape.nMovies = ${shape.nMovies}`);
  if (seen.nRows !== shape.nUsers || seen.nCols !== shape.nMovies) {
    refuse(`seen is ${seen.nRows}×${seen.nCols}, shape is ${shape.nUsers}×${shape.nMovies}`);
  }
  const seenBad = seenProblem(seen.indptr, seen.indices, seen.nRows, seen.nCols);
  if (seenBad !== undefined) refuse(`seen: ${seenBad}`);
  if (seen.values.length !== seen.indices.length) refuse(`seen has ${seen.values.length} values for ${seen.indices.length} entries`);
  const popularityBad = popularityProblem(popularity, shape.nMovies);
  if (popularityBad !== undefined) refuse(`popularity: ${popularityBad}`);

  const params: PendingBlobs['params'] = {};
  for (const [name, array] of Object.entries(content.arrays)) {
    if (!PARAM_NAME.test(name)) refuse(`parameter name ${JSON.stringify(name)} does not match ${PARAM_NAME}`);
    const dtype = dtypeOf(array);
    params[name] = { file: `${name}.${FILE_SUFFIX[dtype]}`, dtype, length: array.length, data: arrayBytes(array) };
  }
  const int32 = (file: string, array: Int32Array) => ({ file, dtype: 'int32', length: array.length, data: arrayBytes(array) }) as const;
  return {
    params,
    users: { file: FIXED_FILES.users, dtype: 'utf8-lines', length: users.length, data: encodeLines(users, 'user id') },
    movies: { file: FIXED_FILES.movies, dtype: 'utf8-lines', length: movies.length, data: encodeLines(movies, 'movie id') },
    seenIndptr: int32(FIXED_FILES.seenIndptr, seen.indptr),
    seenIndices: int32(FIXED_FILES.seenIndices, seen.indices),
    seenValues: { file: FIXED_FILES.seenValues, dtype: 'float32', length: seen.values.length, data: arrayBytes(seen.values) },
    popularity: int32(FIXED_FILES.popularity, popularity),
  };
}

function idsOf(ids: Vocabulary | readonly string[], what: string, refuse: (what: string) => never): readonly string[] {
  if (ids instanceof Vocabulary) return ids.toArray();
  const duplicate = duplicateProblem(ids);
  if (duplicate !== undefined) refuse(`${what} id ${duplicate}`);
  return ids;
}

/** Every pending blob, fixed ones first, then parameters in name order. */
export function pendingList(blobs: PendingBlobs): Array<{ readonly file: string; readonly data: Uint8Array }> {
  const { params, ...fixed } = blobs;
  return [
    ...Object.values(fixed),
    ...Object.keys(params)
      .sort()
      .map((name) => params[name]),
  ];
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The manifest entries of `blobs`, hashing each with `hash`. */
export function hashBlobs(blobs: PendingBlobs, hash: (data: Uint8Array) => string = sha256Hex): BundleBlobs {
  const entry = <T extends { readonly data: Uint8Array }>(pending: T) => {
    const { data, ...rest } = pending;
    return { ...rest, bytes: data.length, sha256: hash(data) };
  };
  const params: BundleBlobs['params'] = {};
  for (const [name, pending] of Object.entries(blobs.params)) params[name] = entry(pending);
  return {
    params,
    users: entry(blobs.users),
    movies: entry(blobs.movies),
    seenIndptr: entry(blobs.seenIndptr),
    seenIndices: entry(blobs.seenIndices),
    seenValues: entry(blobs.seenValues),
    popularity: entry(blobs.popularity),
  };
}
