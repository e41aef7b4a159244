/**
 * Where segments are kept: a local folder (FsEventsStorage) or an S3-API
 * bucket prefix (S3EventsStorage, one immutable part object per append; see
 * its doc for the one deviation below). Keys are `/`-separated relative paths
 * (see segment-key.ts); the storage knows nothing of records.
 *
 * Contract every implementation keeps:
 * - `create` makes a new, empty segment that did not exist before (it never
 *   opens an existing one) and answers an appender for it; once `create`
 *   resolves, the segment's existence is durable.
 * - `SegmentAppender.append` resolves only once the bytes are durable (on a
 *   filesystem: written and fsynced). Calls are made one at a time. When an
 *   append fails the appender is broken: the storage removes what it can of
 *   the failed bytes (so nothing of a failed append stays visible when it
 *   can help it), every later append rejects, and the caller starts a new
 *   segment. (On S3 a part whose PUT the server applied after the client
 *   gave up may stay visible; readers drop its redelivered copy as a
 *   duplicate.)
 * - `read` answers the segment's bytes as they are now (a segment still being
 *   written may end in a torn line), undefined when it does not exist.
 * - `list` answers every segment under `prefix` (a folder such as `watch/`
 *   or `watch/2022-03-18/`, or '' for all), sorted by key, with its size.
 * - `delete` removes a segment; deleting an absent one is not an error.
 */
export interface SegmentInfo {
  readonly key: string;
  readonly bytes: number;
}

export interface SegmentAppender {
  readonly key: string;
  /** Bytes durably appended so far. */
  readonly size: number;
  append(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface EventsStorage {
  /** Where this storage points, for messages (a folder path, `s3://bucket/prefix`). */
  readonly location: string;
  create(key: string): Promise<SegmentAppender>;
  list(prefix?: string): Promise<SegmentInfo[]>;
  read(key: string): Promise<Uint8Array | undefined>;
  delete(key: string): Promise<void>;
}
