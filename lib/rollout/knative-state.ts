import type { KnativeRevision, KnativeService, KnativeTrafficTarget } from './knative-shapes.js';
import { MODEL_URI_ANNOTATION, MODEL_VERSION_ANNOTATION, modelUriOf, readyStatus } from './knative-shapes.js';
import type { RevisionState, ServiceState, TrafficTag } from './platform.js';
import { TRAFFIC_TAGS } from './platform.js';
import { scaleProRata } from './pro-rata.js';

/**
 * Pure mapping between Knative objects and the port's shapes: a Service and
 * its Revisions → ServiceState, and the `spec.traffic` a deploy writes.
 */

/** A `spec.traffic` entry the adapter writes: always a fixed revision. */
export interface FixedTarget {
  readonly revisionName: string;
  readonly percent: number;
  readonly tag?: string;
}

const isTrafficTag = (tag: string | undefined): tag is TrafficTag => tag !== undefined && (TRAFFIC_TAGS as readonly string[]).includes(tag);

/** What actually routes: `status.traffic` summed per revision, with the first movierec tag each carries. */
function routed(service: KnativeService): Map<string, { percent: number; tag: TrafficTag | null }> {
  const out = new Map<string, { percent: number; tag: TrafficTag | null }>();
  for (const target of service.status?.traffic ?? []) {
    if (target.revisionName === undefined) continue;
    const entry = out.get(target.revisionName) ?? { percent: 0, tag: null };
    entry.percent += target.percent ?? 0;
    if (entry.tag === null && isTrafficTag(target.tag)) entry.tag = target.tag;
    out.set(target.revisionName, entry);
  }
  return out;
}

export function serviceStateOf(service: KnativeService, revisions: readonly KnativeRevision[]): ServiceState {
  const live = routed(service);
  const named = new Set(specSplit(service).map((t) => t.revisionName));
  const latest = service.status?.latestCreatedRevisionName;
  const listed: RevisionState[] = [];
  for (const revision of revisions) {
    const { name, annotations, creationTimestamp } = revision.metadata;
    const ready = readyStatus(revision.status?.conditions);
    const route = live.get(name);
    const pending = named.has(name) || name === latest;
    if (route === undefined && !(pending && ready !== 'False')) continue;
    const modelUri = modelUriOf(revision.spec.containers) ?? annotations?.[MODEL_URI_ANNOTATION];
    if (modelUri === undefined || creationTimestamp === undefined) continue;
    listed.push({
      name,
      modelUri,
      modelVersion: ready === 'True' ? (annotations?.[MODEL_VERSION_ANNOTATION] ?? null) : null,
      ready: ready === 'True',
      percent: route?.percent ?? 0,
      tag: route?.tag ?? null,
      createdAt: creationTimestamp,
    });
  }
  listed.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
  return { revisions: listed };
}

/**
 * `spec.traffic` as fixed revisions: a `latestRevision: true` entry becomes
 * the revision it routes to now (`status.traffic`, else the latest ready), so
 * a new template does not move its share before anyone decided so.
 */
export function specSplit(service: KnativeService): FixedTarget[] {
  const status = service.status?.traffic ?? [];
  const latestNow = status.find((t) => t.latestRevision === true)?.revisionName ?? service.status?.latestReadyRevisionName;
  const out: FixedTarget[] = [];
  for (const target of service.spec.traffic ?? []) {
    const revisionName = target.revisionName ?? (target.latestRevision === true ? latestNow : undefined);
    if (revisionName === undefined) continue;
    out.push({ revisionName, percent: target.percent ?? 0, ...(target.tag === undefined ? {} : { tag: target.tag }) });
  }
  return out;
}

/**
 * The split after deploying `next`: it takes its percent (all 100 when
 * nothing else has a share), the others are scaled down pro rata (largest
 * remainder, so the sum stays 100), its tag leaves whoever had it, and
 * entries left with neither share nor tag are dropped.
 */
export function nextSplit(current: readonly FixedTarget[], next: { revisionName: string; percent: number; tag: string | null }): KnativeTrafficTarget[] {
  const others = current.filter((t) => t.revisionName !== next.revisionName);
  const serving = others.some((t) => t.percent > 0);
  const share = serving ? next.percent : 100;
  const scaled = scaleProRata(
    others.map((t) => t.percent),
    100 - share,
  );
  const kept: KnativeTrafficTarget[] = [];
  others.forEach((t, i) => {
    const tag = t.tag === next.tag ? undefined : t.tag;
    if (scaled[i] === 0 && tag === undefined) return;
    kept.push({ revisionName: t.revisionName, percent: scaled[i], ...(tag === undefined ? {} : { tag }) });
  });
  return [...kept, { revisionName: next.revisionName, percent: share, ...(next.tag === null ? {} : { tag: next.tag }) }];
}
