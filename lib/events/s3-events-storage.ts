import type { S3Settings } from '../artifacts/s3-client.js';
import type { SizedKey } from '../artifacts/s3-blob-store.js';
import { S3BlobStore } from '../artifacts/s3-blob-store.js';
import { InvalidArgumentError } from '../errors.js';
import type { EventsStorage, SegmentAppender, SegmentInfo } from './events-storage.js';

export interface S3EventsStorageOptions {
  /** Keys per listing page (default 1000). */
  readonly pageSize?: number;
  /** Merge a closed segment's parts into one object (default true). */
  readonly compact?: boolean;
}

const PIECE = /^(\d{6,})-(\d{6,})$/;
/** Requests in flight at once when a segment's parts are read, merged or deleted. */
const CONCURRENCY = 16;
const SEGMENT_PART = /^[^/\\\0.][^/\\\0]*$/;

/** A segment's objects: `<from>-<to>` covers parts from..to; `000000-000000` is the empty marker `create` writes. */
interface Piece extends SizedKey {
  readonly from: number;
  readonly to: number;
}

const pieceName = (from: number, to: number): string => `${String(from).padStart(6, '0')}-${String(to).padStart(6, '0')}`;

/**
 * EventsStorage on an S3-API bucket prefix. S3 has no append, so a segment
 * `watch/2022-03-18/x.jsonl` is a folder of immutable objects:
 *
 * - `create` puts the empty marker `<segment>/000000-000000` if absent
 *   (If-None-Match, see S3BlobStore), so once it resolves the segment exists
 *   durably, and an existing segment is never reopened.
 * - each `append` (one group commit of EventsWriter) puts one part
 *   `<segment>/000007-000007`; it is durable when PutObject answers 200, and
 *   visible whole or not at all, so readers never meet a torn line.
 * - `close` merges the parts into one object `<segment>/000001-000042` (in
 *   the background, `settled()` awaits it), then deletes the single parts;
 *   until they are gone, readers take the merged object and skip what it
 *   covers, so a crash midway changes nothing read.
 * - `read` concatenates the covering objects in order; `list` reports each
 *   segment with the summed size of those objects (no GET); `delete`
 *   removes the data objects, then the marker.
 *
 * Deviation from the folder storage: a failed append cannot always be
 * unwritten. The part is deleted after the failure, but a PUT that the
 * server applied after its client gave up (a timeout) can land after that
 * delete. Its records then count as stored although the append was
 * rejected; the redelivered copy is dropped by readers as a duplicate
 * (same `(source, id)`, same kind and day), so nothing is counted twice.
 *
 * Object count: one PUT per (kind, day) per group commit. At the course rate
 * (~1,000 events/s, 98 % watch) and ~30 ms per PUT, group commit writes
 * ~30 parts/s of watch: ~2.6 M PUTs a day (≈ $13/day at $0.005 per 1,000),
 * merged at close into one object per 64 MiB segment (~20 a day), so the
 * bucket holds few objects while PUTs are billed per commit. A longer commit
 * interval is the lever for PUT cost (see the report).
 */
export class S3EventsStorage implements EventsStorage {
  readonly location: string;
  private readonly store: S3BlobStore;
  private readonly compact: boolean;
  private readonly background = new Set<Promise<void>>();

  constructor(uri: string, settings: S3Settings = {}, options: S3EventsStorageOptions = {}) {
    this.store = new S3BlobStore(uri, settings, { pageSize: options.pageSize });
    this.location = this.store.location;
    this.compact = options.compact ?? true;
  }

  async create(key: string): Promise<SegmentAppender> {
    checkSegmentKey(key);
    if (!(await this.store.putIfAbsent(`${key}/${pieceName(0, 0)}`, new Uint8Array(0)))) {
      throw new InvalidArgumentError(`${this.location}/${key}: segment exists already`);
    }
    return new S3SegmentAppender(key, this.store, (appender) => this.closed(appender));
  }

  async list(prefix = ''): Promise<SegmentInfo[]> {
    const folder = prefix.replace(/\/+$/, '');
    const bySegment = new Map<string, Piece[]>();
    for (const object of await this.store.listSized(folder.length > 0 ? `${folder}/` : '')) {
      const cut = object.key.lastIndexOf('/');
      const match = PIECE.exec(object.key.slice(cut + 1));
      if (cut < 0 || match === null || !object.key.slice(0, cut).endsWith('.jsonl')) continue;
      const segment = object.key.slice(0, cut);
      const pieces = bySegment.get(segment) ?? [];
      pieces.push({ ...object, from: Number(match[1]), to: Number(match[2]) });
      bySegment.set(segment, pieces);
    }
    const out: SegmentInfo[] = [];
    for (const [key, pieces] of bySegment) out.push({ key, bytes: covering(pieces).reduce((sum, piece) => sum + piece.bytes, 0) });
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    checkSegmentKey(key);
    const pieces = await this.pieces(key);
    if (pieces.length === 0) return undefined;
    const bodies = await mapLimited(covering(pieces), CONCURRENCY, (piece) => this.store.get(piece.key));
    return Buffer.concat(bodies.filter((body): body is Uint8Array => body !== undefined)); // a piece merged away meanwhile is skipped
  }

  async delete(key: string): Promise<void> {
    checkSegmentKey(key);
    const pieces = await this.pieces(key);
    const marker = pieces.filter((piece) => piece.to === 0);
    await mapLimited(pieces.filter((piece) => piece.to !== 0), CONCURRENCY, (piece) => this.store.delete(piece.key));
    await mapLimited(marker, CONCURRENCY, (piece) => this.store.delete(piece.key));
  }

  /** Resolves once every background merge started by `close` has finished (for shutdown and tests). */
  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.all(this.background);
  }

  /** The objects of one segment, ordered by the parts they start at. */
  private async pieces(key: string): Promise<Piece[]> {
    const out: Piece[] = [];
    for (const object of await this.store.listSized(`${key}/`)) {
      const match = PIECE.exec(object.key.slice(key.length + 1));
      if (match !== null) out.push({ ...object, from: Number(match[1]), to: Number(match[2]) });
    }
    return out;
  }

  private closed(appender: S3SegmentAppender): void {
    if (!this.compact || appender.parts < 2) return;
    const merge = mergeParts(this.store, appender.key, appender.parts).catch(() => undefined); // the parts stay readable
    this.background.add(merge);
    void merge.finally(() => this.background.delete(merge));
  }
}

/** The objects a reader takes: by `from` ascending (widest first), skipping what an earlier one already covers. */
function covering(pieces: readonly Piece[]): Piece[] {
  const sorted = [...pieces].sort((a, b) => a.from - b.from || b.to - a.to);
  const out: Piece[] = [];
  let covered = -1;
  for (const piece of sorted) {
    if (piece.to <= covered) continue;
    out.push(piece);
    covered = piece.to;
  }
  return out;
}

/** Writes parts 1..last as one object, then deletes them; readers prefer the merged object throughout. */
async function mergeParts(store: S3BlobStore, key: string, last: number): Promise<void> {
  const names = Array.from({ length: last }, (_, k) => `${key}/${pieceName(k + 1, k + 1)}`);
  const bodies = await mapLimited(names, CONCURRENCY, (name) => store.get(name));
  if (bodies.some((body) => body === undefined)) return; // not ours to merge (deleted meanwhile)
  await store.put(`${key}/${pieceName(1, last)}`, Buffer.concat(bodies.filter((body): body is Uint8Array => body !== undefined)));
  await mapLimited(names, CONCURRENCY, (name) => store.delete(name));
}

/**
 * `fn` over `items`, at most `limit` at a time, results in order. (One
 * request per object: s3rver answers DeleteObjects with a 500, so batch
 * deletes are not used.)
 */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function checkSegmentKey(key: string): void {
  if (!key.split('/').every((part) => SEGMENT_PART.test(part))) throw new InvalidArgumentError(`invalid segment key ${JSON.stringify(key)}`);
}

class S3SegmentAppender implements SegmentAppender {
  private durable = 0;
  /** Parts written so far (they are numbered 1..parts). */
  parts = 0;
  private broken: unknown = undefined;

  constructor(
    readonly key: string,
    private readonly store: S3BlobStore,
    private readonly onClose: (appender: S3SegmentAppender) => void,
  ) {}

  get size(): number {
    return this.durable;
  }

  async append(bytes: Uint8Array): Promise<void> {
    if (this.broken !== undefined) throw new Error(`segment ${this.key} failed earlier`, { cause: this.broken });
    const part = `${this.key}/${pieceName(this.parts + 1, this.parts + 1)}`;
    try {
      await this.store.put(part, bytes);
    } catch (error) {
      this.broken = error;
      await this.store.delete(part).catch(() => undefined); // best effort: a part that landed after all goes away
      throw error;
    }
    this.parts += 1;
    this.durable += bytes.length;
  }

  async close(): Promise<void> {
    if (this.broken !== undefined) return;
    this.broken = new Error('closed');
    this.onClose(this);
  }
}
