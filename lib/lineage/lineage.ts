import { createHash } from 'node:crypto';
import type { BlobStore } from '../artifacts/blob-store.js';
import { storeFailure } from '../artifacts/bundle-failures.js';
import { storeAt } from '../artifacts/store-at.js';
import type { Manifest } from '../artifacts/manifest.js';
import { MANIFEST_FILE, parseManifest } from '../artifacts/manifest.js';
import { BundleError } from '../errors.js';
import type { EventsStorage } from '../events/events-storage.js';
import { snapshotHash } from '../events/read-interactions.js';
import { parseSegmentKey } from '../events/segment-key.js';
import type { LatestOnlineStats } from './online-reports.js';
import { latestOnlineStats } from './online-reports.js';
import type { ServedUsage } from './served-usage.js';
import { servedUsage } from './served-usage.js';

/**
 * A model's lineage: the data it was trained on (window, segments and their
 * sha256, content hash) → its hyper-parameters → the code (package version,
 * git commit, the model's git tag) → its offline metrics → the revisions
 * that served it and their online metrics. Everything but the serving part
 * comes from the bundle's manifest; with an events store, every segment is
 * checked against the store (a segment is append-only, so the bytes the
 * model read are its first `bytes` bytes) and the `served` records and
 * online evaluation reports are read.
 */

export const SEGMENT_STATUSES = ['verified', 'changed', 'missing', 'unchecked'] as const;
export type SegmentStatus = (typeof SEGMENT_STATUSES)[number];

export interface SegmentLineage {
  readonly key: string;
  /** As the manifest records it; null for a manifest that names the segment only. */
  readonly bytes: number | null;
  readonly sha256: string | null;
  /** Against the events store: the same bytes are there (`verified`), others (`changed`), none (`missing`); no store given (`unchecked`). */
  readonly status: SegmentStatus;
  /** The segment has grown since (more records appended after the model read it). */
  readonly grown: boolean;
}

export interface Lineage {
  readonly model: { readonly location: string; readonly algorithm: string; readonly version: string; readonly createdAt: string };
  readonly data: {
    readonly window: { readonly from: string; readonly to: string } | null;
    readonly contentHash: string;
    readonly counts: Manifest['data']['counts'];
    readonly segments: readonly SegmentLineage[];
    /** Sources that are not events-store segments (files a `train --input` read). */
    readonly files: readonly string[];
    /** The content hash recomputed from the store matches (`verified`), does not, or was not checked. */
    readonly check: 'verified' | 'changed' | 'unchecked';
  };
  readonly params: Readonly<Record<string, number>>;
  readonly code: { readonly packageVersion: string; readonly gitCommit: string | null; readonly tag: string | null };
  readonly offline: Readonly<Record<string, number | null>>;
  /** null without an events store; else every revision that served the model. */
  readonly serving: ReadonlyArray<ServedUsage & { readonly online: LatestOnlineStats | null }> | null;
}

export interface LineageDeps {
  /** The events store the model was trained from and served into. */
  readonly events?: EventsStorage;
  /** Finds the commit a model's git tag names (lib/lineage/git-tag's `taggedCommit`), when asked. */
  readonly findTag?: (algorithm: string, version: string) => Promise<string | null>;
}

/** The lineage of the bundle at `target` (a folder, or a store rooted at the bundle). Reads its manifest only. */
export async function traceLineage(target: string | BlobStore, deps: LineageDeps = {}): Promise<Lineage> {
  const store = storeAt(target);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await store.get(MANIFEST_FILE);
  } catch (error) {
    throw storeFailure(store.location, `cannot read ${MANIFEST_FILE}`, error);
  }
  if (bytes === undefined) throw new BundleError(store.location, `no bundle here (${MANIFEST_FILE} not found)`);
  const manifest = parseManifest(store.location, bytes);
  const { data } = manifest;
  const recorded = data.segments ?? data.sources.filter((s) => parseSegmentKey(s) !== undefined).map((key) => ({ key, bytes: null, sha256: null }));
  const segments = deps.events === undefined ? recorded.map((s) => ({ ...s, status: 'unchecked' as const, grown: false })) : await checkSegments(deps.events, recorded);
  const tagged = deps.findTag === undefined ? null : await deps.findTag(manifest.algorithm, manifest.version);
  return {
    model: { location: store.location, algorithm: manifest.algorithm, version: manifest.version, createdAt: manifest.createdAt },
    data: {
      window: data.window ?? null,
      contentHash: data.contentHash,
      counts: data.counts,
      segments,
      files: data.sources.filter((s) => parseSegmentKey(s) === undefined),
      check: deps.events === undefined || segments.length === 0 ? 'unchecked' : contentCheck(segments, data.contentHash),
    },
    params: manifest.params,
    code: { ...manifest.code, tag: tagged === null ? null : `model/${manifest.algorithm}/${manifest.version}` },
    offline: manifest.metrics,
    serving: deps.events === undefined ? null : await serving(deps.events, manifest),
  };
}

type Recorded = { readonly key: string; readonly bytes: number | null; readonly sha256: string | null };

async function checkSegments(events: EventsStorage, recorded: readonly Recorded[]): Promise<SegmentLineage[]> {
  const out: SegmentLineage[] = [];
  for (const segment of recorded) {
    const now = await events.read(segment.key);
    if (now === undefined) {
      out.push({ ...segment, status: 'missing', grown: false });
      continue;
    }
    const read = segment.bytes === null ? now : now.subarray(0, segment.bytes);
    const sha256 = createHash('sha256').update(read).digest('hex');
    const same = segment.bytes === null ? true : read.length === segment.bytes && sha256 === segment.sha256;
    out.push({ key: segment.key, bytes: segment.bytes ?? read.length, sha256: segment.sha256 ?? sha256, status: same ? 'verified' : 'changed', grown: same && now.length > read.length });
  }
  return out;
}

/** The content hash over the segments as now checked equals the manifest's. */
function contentCheck(segments: readonly SegmentLineage[], contentHash: string): 'verified' | 'changed' {
  if (segments.some((s) => s.status !== 'verified' || s.bytes === null || s.sha256 === null)) return 'changed';
  const refs = segments.map((s) => ({ key: s.key, bytes: s.bytes ?? 0, sha256: s.sha256 ?? '' }));
  return snapshotHash(refs) === contentHash ? 'verified' : 'changed';
}

async function serving(events: EventsStorage, manifest: Manifest): Promise<Array<ServedUsage & { online: LatestOnlineStats | null }>> {
  const usage = await servedUsage(events, manifest.version, Date.parse(manifest.createdAt));
  const online = await latestOnlineStats(events, manifest.version);
  const revisions = new Set([...usage.map((u) => u.revision), ...online.keys()]);
  return [...revisions].map((revision) => {
    const used = usage.find((u) => u.revision === revision);
    const base: ServedUsage = used ?? { revision, modelVersion: manifest.version, served: 0, fallbacks: 0, firstServed: '', lastServed: '' };
    return { ...base, online: online.get(revision) ?? null };
  });
}
