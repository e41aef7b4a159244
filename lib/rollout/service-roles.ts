import type { RevisionState, ServiceState, TrafficTarget } from './platform.js';

/** Who is who in the `recommend` service. */
export interface ServiceRoles {
  /**
   * The revision serving the model to beat: the one tagged `champion`, else
   * the ready revision with the largest share (ties: the newer); null when
   * nothing serves.
   */
  readonly champion: RevisionState | null;
  /** The revision tagged `candidate` (a canary), if any. */
  readonly candidate: RevisionState | null;
}

export function serviceRoles(state: ServiceState): ServiceRoles {
  const tagged = state.revisions.find((r) => r.tag === 'champion');
  let champion = tagged ?? null;
  if (champion === null) {
    for (const r of state.revisions) {
      if (!r.ready || r.percent === 0 || r.tag === 'candidate') continue;
      if (champion === null || r.percent > champion.percent || (r.percent === champion.percent && r.createdAt > champion.createdAt)) {
        champion = r;
      }
    }
  }
  const candidate = state.revisions.find((r) => r.tag === 'candidate' && r !== champion) ?? null;
  return { champion, candidate };
}

/** The revision already serving `modelUri` with traffic or a tag, if any: the decision about it was made before. */
export function servingRevision(state: ServiceState, modelUri: string): RevisionState | null {
  return state.revisions.find((r) => r.modelUri === modelUri && (r.percent > 0 || r.tag !== null)) ?? null;
}

/**
 * The split with `revision` taken out and its share handed to `champion`:
 * how an older canary makes way for a new one, and (later) how a canary
 * analysis rolls one back. Revisions with neither traffic nor a tag are left
 * out (the platform drains them); percents still sum to 100 — the champion
 * takes whatever the others do not hold.
 */
export function trafficWithout(state: ServiceState, revision: string, champion: string): TrafficTarget[] {
  const kept = state.revisions.filter((r) => r.name !== revision && r.name !== champion && (r.percent > 0 || r.tag !== null));
  const others = kept.reduce((sum, r) => sum + r.percent, 0);
  const lead = state.revisions.find((r) => r.name === champion);
  return [
    { revision: champion, percent: Math.max(0, 100 - others), tag: lead?.tag ?? null },
    ...kept.map((r) => ({ revision: r.name, percent: r.percent, tag: r.tag })),
  ];
}
