import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import type { EventsStorage, SegmentAppender, SegmentInfo } from './events-storage.js';

export interface FsEventsStorageOptions {
  /**
   * Called just before every fsync (of a segment file or of a folder), for
   * metrics and tests. An error it throws fails that sync as an I/O error would.
   */
  readonly beforeSync?: (path: string, what: 'file' | 'folder') => void;
}

const PART = /^[^/\\\0.][^/\\\0]*$/;

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/**
 * EventsStorage on a local folder: key `watch/2022-03-18/x.jsonl` is the file
 * `<root>/watch/2022-03-18/x.jsonl`. Durability: every append is written at
 * the appender's own offset and `datasync`ed; a new file and every folder
 * created for it are fsynced into their parents before `create` resolves.
 */
export class FsEventsStorage implements EventsStorage {
  readonly location: string;
  /** The folder, absolute. */
  readonly root: string;

  constructor(
    root: string,
    private readonly options: FsEventsStorageOptions = {},
  ) {
    this.root = resolve(root);
    this.location = root;
  }

  async create(key: string): Promise<SegmentAppender> {
    const path = this.pathOf(key);
    const folder = dirname(path);
    const firstCreated = await mkdir(folder, { recursive: true });
    const handle = await open(path, 'wx');
    try {
      await this.syncFolder(folder);
      if (firstCreated !== undefined) {
        // Every folder from firstCreated down to `folder` is new: make each one durable in its parent.
        for (let dir = folder; dir.length >= firstCreated.length; dir = dirname(dir)) await this.syncFolder(dirname(dir));
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new FsSegmentAppender(key, path, handle, this.options.beforeSync);
  }

  async list(prefix = ''): Promise<SegmentInfo[]> {
    const folder = prefix.replace(/\/+$/, '');
    const out: SegmentInfo[] = [];
    await this.walk(folder.length > 0 ? this.pathOf(folder) : this.root, out);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await rm(path, { force: true });
    // Drop the folders the segment leaves empty (never the root); a folder in use stays.
    for (let dir = dirname(path); dir.startsWith(this.root + sep); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
    }
  }

  private pathOf(key: string): string {
    const parts = key.split('/');
    if (!parts.every((part) => PART.test(part))) throw new InvalidArgumentError(`invalid segment key ${JSON.stringify(key)}`);
    return join(this.root, ...parts);
  }

  private async walk(dir: string, into: SegmentInfo[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await this.walk(path, into);
      else if (entry.isFile() && entry.name.endsWith('.jsonl')) {
        const key = relative(this.root, path).split(sep).join('/');
        into.push({ key, bytes: (await stat(path)).size });
      }
    }
  }

  private async syncFolder(folder: string): Promise<void> {
    this.options.beforeSync?.(folder, 'folder');
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** Appends at its own offset, so bytes anyone else put past it never glue onto a record. */
class FsSegmentAppender implements SegmentAppender {
  private durable = 0;
  private broken: unknown = undefined;

  constructor(
    readonly key: string,
    private readonly path: string,
    private readonly handle: FileHandle,
    private readonly beforeSync: FsEventsStorageOptions['beforeSync'],
  ) {}

  get size(): number {
    return this.durable;
  }

  async append(bytes: Uint8Array): Promise<void> {
    if (this.broken !== undefined) throw new Error(`segment ${this.key} failed earlier`, { cause: this.broken });
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset, this.durable + offset);
        offset += bytesWritten;
      }
      this.beforeSync?.(this.path, 'file');
      await this.handle.datasync();
      this.durable += bytes.length;
    } catch (error) {
      this.broken = error;
      // Best effort: cut the failed bytes off, so no record of a failed append stays visible.
      await this.handle.truncate(this.durable).catch(() => undefined);
      await this.handle.datasync().catch(() => undefined);
      await this.handle.close().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.broken !== undefined) return;
    this.broken = new Error('closed');
    await this.handle.close();
  }
}
