import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { arrayBytes, decodeLines, encodeLines, viewFloat32, viewInt32 } from '../artifacts/blob-codec.js';
import { sha256Hex } from '../artifacts/bundle-blobs.js';
import type { BlobEntry } from '../artifacts/manifest.js';
import { BYTES_PER_ELEMENT, isNumericDtype } from '../artifacts/manifest.js';
import type { Csr } from '../data/csr.js';
import type { TestSet } from '../data/train-set.js';
import { Vocabulary } from '../data/vocabulary.js';
import { DataFileError } from '../errors.js';
import type { SplitData } from '../training/train-model.js';
import type { PreparedBlob, PreparedManifest } from './prepared-format.js';
import { readJsonFile, writeJsonFile } from './json-file.js';
import { PREPARED_BLOBS, PREPARED_FILE, PreparedManifestSchema } from './prepared-format.js';

export interface PreparedData {
  readonly manifest: PreparedManifest;
  /** The split as lib/training fits and scores it. */
  readonly split: SplitData;
}

/** Write a prepared split into `dir`: every file, then `prepared.json` last. */
export async function writePrepared(dir: string, split: SplitData, head: Omit<PreparedManifest, 'blobs' | 'formatVersion'>): Promise<PreparedManifest> {
  const { train, users, movies } = split.data;
  const test: TestSet = split.test ?? { user: new Int32Array(0), movie: new Int32Array(0), rating: new Float32Array(0), minutes: new Float32Array(0) };
  const data = new Map<PreparedBlob, Uint8Array>([
    ['users', encodeLines(users.toArray(), 'user id')],
    ['movies', encodeLines(movies.toArray(), 'movie id')],
    ...csrBytes('ratings', train.ratings),
    ...csrBytes('implicit', train.implicit),
    ...csrBytes('seen', split.seen),
    ['testUser', arrayBytes(test.user)],
    ['testMovie', arrayBytes(test.movie)],
    ['testRating', arrayBytes(test.rating)],
    ['testMinutes', arrayBytes(test.minutes)],
  ]);
  await mkdir(dir, { recursive: true });
  const blobs: Partial<Record<PreparedBlob, BlobEntry>> = {};
  for (const [role, bytes] of data) {
    const file = PREPARED_BLOBS[role];
    await writeFile(join(dir, file), bytes);
    const length = role === 'users' ? users.size : role === 'movies' ? movies.size : bytes.length / 4;
    blobs[role] = { file, dtype: dtypeOfFile(file), length, bytes: bytes.length, sha256: sha256Hex(bytes) };
  }
  const manifest = PreparedManifestSchema.parse({ formatVersion: 1, ...head, blobs });
  await writeJsonFile(join(dir, PREPARED_FILE), manifest);
  return manifest;
}

/** Read and verify a prepared split (every file's size and sha256). */
export async function readPrepared(dir: string): Promise<PreparedData> {
  const manifest = await readJsonFile(join(dir, PREPARED_FILE), PreparedManifestSchema, 'is this a `movierec prepare` folder?');
  const read = new Map<PreparedBlob, Uint8Array>();
  for (const role of ROLES) read.set(role, await readBlob(dir, manifest.blobs[role]));
  const bytes = (role: PreparedBlob): Uint8Array => read.get(role) ?? new Uint8Array(0);
  const fail = (file: string) => (what: string): never => {
    throw new DataFileError(join(dir, file), undefined, what);
  };
  const users = Vocabulary.from(decodeLines(bytes('users'), manifest.blobs.users.length, fail(PREPARED_BLOBS.users)));
  const movies = Vocabulary.from(decodeLines(bytes('movies'), manifest.blobs.movies.length, fail(PREPARED_BLOBS.movies)));
  const { nUsers, nMovies } = manifest;
  const csr = (prefix: 'ratings' | 'implicit' | 'seen'): Csr => ({
    nRows: nUsers,
    nCols: nMovies,
    indptr: viewInt32(bytes(`${prefix}Indptr`)),
    indices: viewInt32(bytes(`${prefix}Indices`)),
    values: viewFloat32(bytes(`${prefix}Values`)),
  });
  const test: TestSet = {
    user: viewInt32(bytes('testUser')),
    movie: viewInt32(bytes('testMovie')),
    rating: viewFloat32(bytes('testRating')),
    minutes: viewFloat32(bytes('testMinutes')),
  };
  const train = { nUsers, nMovies, ratings: csr('ratings'), implicit: csr('implicit'), globalMean: manifest.globalMean ?? Number.NaN, scale: manifest.scale };
  return {
    manifest,
    split: { data: { train, users, movies }, test: manifest.nValidation === 0 ? null : test, seen: csr('seen'), nTrain: manifest.nTrain, nValidation: manifest.nValidation },
  };
}

const ROLES: readonly PreparedBlob[] = Object.keys(PREPARED_BLOBS).filter((role): role is PreparedBlob => role in PREPARED_BLOBS);

function csrBytes(prefix: 'ratings' | 'implicit' | 'seen', m: Csr): Array<[PreparedBlob, Uint8Array]> {
  return [
    [`${prefix}Indptr`, arrayBytes(m.indptr)],
    [`${prefix}Indices`, arrayBytes(m.indices)],
    [`${prefix}Values`, arrayBytes(m.values)],
  ];
}

function dtypeOfFile(file: string): BlobEntry['dtype'] {
  if (file.endsWith('.txt')) return 'utf8-lines';
  return file.endsWith('.f32') ? 'float32' : 'int32';
}

async function readBlob(dir: string, entry: BlobEntry): Promise<Uint8Array> {
  const path = join(dir, entry.file);
  let data: Uint8Array;
  try {
    data = await readFile(path);
  } catch {
    throw new DataFileError(path, undefined, 'missing');
  }
  if (data.length !== entry.bytes) throw new DataFileError(path, undefined, `size mismatch (prepared.json ${entry.bytes} bytes, file ${data.length})`);
  if (isNumericDtype(entry.dtype) && data.length !== entry.length * BYTES_PER_ELEMENT[entry.dtype]) {
    throw new DataFileError(path, undefined, `holds ${data.length} bytes, not ${entry.length} ${entry.dtype} values`);
  }
  const actual = sha256Hex(data);
  if (actual !== entry.sha256) throw new DataFileError(path, undefined, `sha256 mismatch (prepared.json ${entry.sha256.slice(0, 12)}…, file ${actual.slice(0, 12)}…)`);
  return data;
}
