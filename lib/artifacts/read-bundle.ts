import { createHash } from 'node:crypto';
import type { Csr } from '../data/csr.js';
import { Vocabulary } from '../data/vocabulary.js';
import { BundleError } from '../errors.js';
import type { ParamArrays } from '../models/model.js';
import type { BlobStore } from './blob-store.js';
import type { Fail } from './blob-codec.js';
import { decodeLines, viewArray, viewFloat32, viewInt32 } from './blob-codec.js';
import { popularityProblem, seenProblem } from './bundle-checks.js';
import { shortHash, storeFailure } from './bundle-failures.js';
import { storeAt } from './store-at.js';
import type { BlobEntry, Manifest } from './manifest.js';
import { MANIFEST_FILE, parseManifest } from './manifest.js';


/** A bundle in memory, every blob checked against the manifest. */
export interface LoadedBundle {
  /** Where it was read from, for messages. */
  readonly location: string;
  readonly manifest: Manifest;
  /** The model's parameter arrays by name, ready for `AlgorithmSpec.restore`. */
  readonly arrays: ParamArrays;
  readonly users: Vocabulary;
  readonly movies: Vocabulary;
  /** Movies each user has seen: rows users, columns movies. */
  readonly seen: Csr;
  /** Movie indices, most popular first. */
  readonly popularity: Int32Array;
}

/**
 * Reads and verifies the bundle at `target` (a folder path, or a store rooted
 * at the bundle). The manifest must pass its schema and every blob its size
 * and sha256; any failure is a BundleError naming the location and what is
 * wrong, and nothing half-loaded is returned. Blobs are read concurrently and
 * hashed as they stream in; numeric blobs become typed arrays without a copy.
 */
export async function readBundle(target: string | BlobStore): Promise<LoadedBundle> {
  const store = storeAt(target);
  const { location } = store;
  let manifestBytes: Uint8Array | undefined;
  try {
    manifestBytes = await store.get(MANIFEST_FILE);
  } catch (error) {
    throw storeFailure(location, `cannot read ${MANIFEST_FILE}`, error);
  }
  if (manifestBytes === undefined) throw new BundleError(location, `no bundle here (${MANIFEST_FILE} not found)`);
  const manifest = parseManifest(location, manifestBytes);
  const { blobs, shape } = manifest;

  const load = (entry: BlobEntry) => loadBlob(store, entry);
  const failFor =
    (entry: BlobEntry): Fail =>
    (what) => {
      throw new BundleError(location, `blob ${entry.file}: ${what}`);
    };
  const vocabulary = async (entry: BlobEntry): Promise<Vocabulary> => {
    const ids = decodeLines(await load(entry), entry.length, failFor(entry));
    const vocab = Vocabulary.from(ids);
    if (vocab.size !== ids.length) failFor(entry)('holds a duplicate id');
    return vocab;
  };
  const paramNames = Object.keys(blobs.params).sort();
  const [users, movies, indptr, indices, values, popularity, ...params] = await Promise.all([
    vocabulary(blobs.users),
    vocabulary(blobs.movies),
    load(blobs.seenIndptr).then(viewInt32),
    load(blobs.seenIndices).then(viewInt32),
    load(blobs.seenValues).then(viewFloat32),
    load(blobs.popularity).then(viewInt32),
    ...paramNames.map((name) => load(blobs.params[name]).then((bytes) => viewArray(blobs.params[name].dtype, bytes))),
  ]);

  const seenBad = seenProblem(indptr, indices, shape.nUsers, shape.nMovies);
  if (seenBad !== undefined) failFor(blobs.seenIndptr)(`not a valid seen-items CSR: ${seenBad}`);
  const popularityBad = popularityProblem(popularity, shape.nMovies);
  if (popularityBad !== undefined) failFor(blobs.popularity)(popularityBad);

  const arrays: ParamArrays = {};
  paramNames.forEach((name, k) => {
    arrays[name] = params[k];
  });
  return {
    location,
    manifest,
    arrays,
    users,
    movies,
    seen: { nRows: shape.nUsers, nCols: shape.nMovies, indptr, indices, values },
    popularity,
  };

  /**
   * One blob's bytes, refused unless present, of the manifest's size and
   * sha256. The hash is computed as the bytes stream in, overlapping the
   * store's reading of the rest.
   */
  async function loadBlob(from: BlobStore, entry: BlobEntry): Promise<Uint8Array> {
    const hash = createHash('sha256');
    let hashed = 0;
    let bytes: Uint8Array | undefined;
    try {
      bytes = await from.get(entry.file, {
        onData: (chunk) => {
          hash.update(chunk);
          hashed += chunk.length;
        },
      });
    } catch (error) {
      throw storeFailure(location, `blob ${entry.file}: cannot read`, error);
    }
    const fail = failFor(entry);
    if (bytes === undefined) return fail('missing');
    if (bytes.length !== entry.bytes) {
      return fail(`size mismatch (manifest ${entry.bytes} bytes, file ${bytes.length} bytes)`);
    }
    // A store that did not stream the bytes through onData gets them hashed whole.
    const digest = (hashed === bytes.length ? hash : createHash('sha256').update(bytes)).digest('hex');
    if (digest !== entry.sha256) {
      return fail(`sha256 mismatch (manifest ${shortHash(entry.sha256)}, file ${shortHash(digest)})`);
    }
    return bytes;
  }
}
