import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { InvalidArgumentError } from '../errors.js';
import type { SegmentRef } from '../events/events-reader.js';
import { EventsReader } from '../events/events-reader.js';
import type { EventsStorage } from '../events/events-storage.js';
import { FsEventsStorage } from '../events/fs-events-storage.js';
import { snapshotHash } from '../events/read-interactions.js';
import { dayOf, dayStart } from '../events/segment-key.js';
import type { StoredKind } from '../events/stored-record.js';
import { readJsonFile, writeJsonFile } from './json-file.js';

/**
 * A data snapshot for the pipeline (DVC's `snapshot` stage): the watch and
 * rate segments of an events-store window, copied byte for byte into a
 * folder that is itself an events store, plus `snapshot.json` naming the
 * window, every segment with its sha256, and the content hash — the same
 * hash the train function puts in a manifest for the same window, because
 * the same segments are read (whole UTC days, as the reader selects them).
 */
export const SNAPSHOT_FILE = 'snapshot.json';
/** In the order readInteractions reads them, so the content hash is the same. */
export const SNAPSHOT_KINDS: readonly StoredKind[] = ['rate', 'watch'];
const DAY_MS = 86_400_000;

const SegmentRefSchema = z.object({ key: z.string().min(1), bytes: z.int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const SnapshotManifestSchema = z.object({
  formatVersion: z.literal(1),
  /** The events store copied from. */
  source: z.string(),
  window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
  segments: z.array(SegmentRefSchema),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Records of the window by kind (once per `(source, id)`), duplicates and corrupt lines skipped. */
  counts: z.object({ records: z.record(z.string(), z.int().nonnegative()), duplicates: z.int().nonnegative(), corrupt: z.int().nonnegative() }),
});
export type SnapshotManifest = z.infer<typeof SnapshotManifestSchema>;

/** Window ends: an instant (ms), `now`, or `latest` (just after the newest watch or rate record in the store). */
export type WindowEnd = number | 'now' | 'latest';

export type WindowSpec = { readonly from: number; readonly to: number } | { readonly days: number; readonly end: WindowEnd };

/** The window in ms: `[from, to)`. `latest` on an empty store is an error. */
export async function resolveWindow(storage: EventsStorage, spec: WindowSpec, now: () => number = Date.now): Promise<{ from: number; to: number }> {
  if ('from' in spec) {
    if (!(spec.from < spec.to)) throw new InvalidArgumentError(`window: --from must be before --to`);
    return { from: spec.from, to: spec.to };
  }
  const to = spec.end === 'now' ? now() : spec.end === 'latest' ? await latestTime(storage) : spec.end;
  return { from: to - spec.days * DAY_MS, to };
}

/** Just after the newest watch or rate record: the last day with segments is scanned. */
async function latestTime(storage: EventsStorage): Promise<number> {
  const reader = new EventsReader(storage);
  const days = (await reader.segments(SNAPSHOT_KINDS)).map((segment) => segment.day).sort();
  const last = days.at(-1);
  if (last === undefined) throw new InvalidArgumentError(`${storage.location}: no watch or rate events: the window end "latest" is undefined`);
  let newest = Number.NEGATIVE_INFINITY;
  await reader.scan({ from: dayStart(last), kinds: SNAPSHOT_KINDS }, (record) => {
    newest = Math.max(newest, record.time);
  });
  if (!Number.isFinite(newest)) throw new InvalidArgumentError(`${storage.location}: no readable watch or rate record on ${last}`);
  return newest + 1;
}

/**
 * Copy the window's segments from `storage` into the folder `out` (which
 * must not hold segments yet) and write `snapshot.json`. Each segment is read
 * once: what is hashed is exactly what is written.
 */
export async function exportSnapshot(
  storage: EventsStorage,
  out: string,
  window: { from: number; to: number },
  onSegment: (done: number, total: number) => void = () => undefined,
): Promise<SnapshotManifest> {
  const target = new FsEventsStorage(out);
  if ((await target.list()).length > 0) throw new InvalidArgumentError(`${out}: already holds segments; a snapshot goes to an empty folder`);
  const firstDay = dayOf(window.from);
  const lastDay = dayOf(window.to - 1);
  const segments: SegmentRef[] = [];
  const listed = (await new EventsReader(storage).segments(SNAPSHOT_KINDS)).filter((s) => s.day >= firstDay && s.day <= lastDay);
  for (const [done, segment] of listed.entries()) {
    onSegment(done, listed.length);
    const bytes = await storage.read(segment.key);
    if (bytes === undefined) continue; // deleted since it was listed
    const appender = await target.create(segment.key);
    try {
      if (bytes.length > 0) await appender.append(bytes);
    } finally {
      await appender.close();
    }
    segments.push({ key: segment.key, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  onSegment(listed.length, listed.length);
  const records: Record<string, number> = {};
  const scanned = await new EventsReader(target).scan({ ...window, kinds: SNAPSHOT_KINDS }, (record) => {
    records[record.kind] = (records[record.kind] ?? 0) + 1;
  });
  const manifest: SnapshotManifest = {
    formatVersion: 1,
    source: storage.location,
    window: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() },
    segments,
    contentHash: snapshotHash(segments),
    counts: { records, duplicates: scanned.duplicates, corrupt: scanned.corrupt },
  };
  await writeJsonFile(join(out, SNAPSHOT_FILE), manifest);
  return manifest;
}

/** `snapshot.json` of a snapshot folder, validated. */
export async function readSnapshotManifest(dir: string): Promise<SnapshotManifest> {
  return readJsonFile(join(dir, SNAPSHOT_FILE), SnapshotManifestSchema, 'is this a `movierec snapshot` folder?');
}
