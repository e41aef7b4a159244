import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { link, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BlobStore, GetOptions } from './blob-store.js';
import { checkKey } from './blob-store.js';

/** Reads are issued in pieces of this size so hashing one overlaps reading the next. */
const READ_CHUNK = 8 * 1024 * 1024;

export interface FsBlobStoreOptions {
  /**
   * fsync every file and its folder before a put resolves, so a bundle
   * survives a power cut once its manifest is written. Off by default: the
   * bundle checksums already catch what a crash could leave behind.
   */
  readonly durable?: boolean;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/** A BlobStore on a local folder: key `a/b.bin` is the file `<root>/a/b.bin`. */
export class FsBlobStore implements BlobStore {
  readonly location: string;
  private readonly durable: boolean;

  constructor(
    readonly root: string,
    options: FsBlobStoreOptions = {},
  ) {
    this.location = root;
    this.durable = options.durable ?? false;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    const temp = await this.writeTemp(path, bytes);
    try {
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await this.syncFolder(dirname(path));
  }

  async putIfAbsent(key: string, bytes: Uint8Array): Promise<boolean> {
    const path = this.pathOf(key);
    const temp = await this.writeTemp(path, bytes);
    try {
      await link(temp, path);
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return false;
      throw error;
    } finally {
      await rm(temp, { force: true });
    }
    await this.syncFolder(dirname(path));
    return true;
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
    try {
      return await readAll(handle, options.onData);
    } finally {
      await handle.close();
    }
  }

  async list(prefix: string): Promise<string[]> {
    const cut = prefix.lastIndexOf('/');
    const folder = cut < 0 ? '' : prefix.slice(0, cut);
    if (folder.length > 0) checkKey(folder);
    const keys: string[] = [];
    await this.walk(folder, keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    checkKey(key);
    return join(this.root, ...key.split('/'));
  }

  private async walk(folder: string, into: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder.length > 0 ? this.pathOf(folder) : this.root, { withFileTypes: true });
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue; // temporary files of writes in progress
      const key = folder.length > 0 ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await this.walk(key, into);
      else if (entry.isFile()) into.push(key);
    }
  }

  /** Writes `bytes` to a fresh hidden file beside `path` and returns its name. */
  private async writeTemp(path: string, bytes: Uint8Array): Promise<string> {
    await mkdir(dirname(path), { recursive: true });
    const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx');
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
      }
      if (this.durable) await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    return temp;
  }

  private async syncFolder(folder: string): Promise<void> {
    if (!this.durable) return;
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/**
 * Reads a whole file into memory of its own (byteOffset 0), keeping the next
 * read in flight while `onData` handles the previous piece.
 */
async function readAll(handle: FileHandle, onData?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
  const { size } = await handle.stat();
  const bytes = Buffer.allocUnsafeSlow(size);
  const readAt = (offset: number) => handle.read(bytes, offset, Math.min(READ_CHUNK, size - offset), offset);
  let offset = 0;
  let pending = size > 0 ? readAt(0) : undefined;
  while (pending !== undefined) {
    const { bytesRead } = await pending;
    if (bytesRead === 0) return bytes.subarray(0, offset); // the file shrank while we read it
    const start = offset;
    offset += bytesRead;
    pending = offset < size ? readAt(offset) : undefined;
    try {
      onData?.(bytes.subarray(start, offset));
    } catch (error) {
      await pending?.catch(() => undefined); // never close the file under a read in flight
      throw error;
    }
  }
  return bytes;
}
