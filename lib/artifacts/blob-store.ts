import { InvalidArgumentError } from '../errors.js';

/** Options for reading one blob. */
export interface GetOptions {
  /**
   * Called with each contiguous piece of the blob, in order, as it arrives,
   * so a caller can hash while the rest is still being read. The pieces are
   * views into the returned bytes, not copies.
   */
  readonly onData?: (chunk: Uint8Array) => void;
}

/**
 * Flat key → bytes storage: a folder today, an object-storage bucket prefix
 * later. Keys are `/`-separated relative paths (see `checkKey`).
 *
 * Contract every implementation keeps:
 * - `put` is atomic per key: a reader sees the old bytes or the new, never a
 *   partial write.
 * - `putIfAbsent` creates the key only if it does not exist yet, atomically
 *   (a link on a filesystem, `If-None-Match: *` on S3); false if it existed.
 * - `get` returns undefined for a key that does not exist (including when its
 *   folder or bucket prefix does not exist), and bytes whose `byteOffset` is 0
 *   whenever it can (so typed arrays can view them without copying).
 * - `list` returns every key that starts with `prefix`, sorted, in no
 *   particular grouping.
 * - Failures other than "absent" reject with the underlying error.
 */
export interface BlobStore {
  /** Where this store points, for messages (a folder path, `s3://bucket/prefix`). */
  readonly location: string;
  put(key: string, bytes: Uint8Array): Promise<void>;
  putIfAbsent(key: string, bytes: Uint8Array): Promise<boolean>;
  get(key: string, options?: GetOptions): Promise<Uint8Array | undefined>;
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
}

const SEGMENT = /^[^/\\\0.][^/\\\0]*$/;

/**
 * Throws an InvalidArgumentError unless `key` is a relative `/`-separated
 * path whose segments are non-empty, do not start with `.` (no `..`, and
 * dot-names stay free for temporary files) and hold no `\` or NUL.
 */
export function checkKey(key: string): void {
  if (key.length === 0 || !key.split('/').every((segment) => SEGMENT.test(segment))) {
    throw new InvalidArgumentError(`invalid blob key ${JSON.stringify(key)}`);
  }
}

/** Joins key parts with `/`, ignoring empty parts and stray slashes at the ends. */
export function joinKey(...parts: string[]): string {
  return parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part.length > 0)
    .join('/');
}

/** A view of `store` in which every key is under `prefix` (a folder of the store). */
export function subStore(store: BlobStore, prefix: string): BlobStore {
  const base = joinKey(prefix);
  if (base.length === 0) return store;
  checkKey(base);
  const full = (key: string): string => {
    checkKey(key);
    return `${base}/${key}`;
  };
  return {
    location: `${store.location.replace(/\/+$/, '')}/${base}`,
    put: async (key, bytes) => store.put(full(key), bytes),
    putIfAbsent: async (key, bytes) => store.putIfAbsent(full(key), bytes),
    get: async (key, options) => store.get(full(key), options),
    delete: async (key) => store.delete(full(key)),
    list: async (prefix) => {
      const keys = await store.list(`${base}/${prefix}`);
      return keys.map((key) => key.slice(base.length + 1));
    },
  };
}
