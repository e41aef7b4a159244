import type { RevisionState, TrafficTag } from '../../lib/rollout/platform.js';
import type { RevisionProcess } from './function-process.js';

/**
 * One revision of `recommend` as the local runtime tracks it. Its life:
 * `starting` (process up, model loading, no traffic) → `ready` (may take its
 * share) → `draining` (no new requests; stopped once in-flight ones finish).
 * `failed`: it exited or never got ready; it takes no request.
 */
export const REVISION_PHASES = ['starting', 'ready', 'draining', 'failed'] as const;
export type RevisionPhase = (typeof REVISION_PHASES)[number];

export interface Revision {
  readonly name: string;
  /** As requested (the DeployRequest's, or the manifest's). */
  readonly modelUri: string;
  readonly createdAt: string;
  readonly process: RevisionProcess;
  phase: RevisionPhase;
  modelVersion: string | null;
  percent: number;
  tag: TrafficTag | null;
  /** Requests proxied to it that have not finished. */
  inFlight: number;
  /** Requests proxied to it that finished, and how many of those were errors (5xx or no answer). */
  requests: number;
  errors: number;
  /** What a deploy asked for, applied once ready; null once applied or overridden by setTraffic. */
  pending: { readonly percent: number; readonly tag: TrafficTag | null } | null;
  /** Why it failed, when it did. */
  reason: string | null;
}

/** A revision as `/status` shows it: the ServiceState fields and the runtime's own. */
export interface RevisionStatus extends RevisionState {
  readonly phase: RevisionPhase;
  readonly url: string;
  readonly pid: number | null;
  readonly inFlight: number;
  readonly reason: string | null;
}

export function revisionState(revision: Revision): RevisionState {
  return {
    name: revision.name,
    modelUri: revision.modelUri,
    modelVersion: revision.modelVersion,
    ready: revision.phase === 'ready',
    percent: revision.percent,
    tag: revision.tag,
    createdAt: revision.createdAt,
    requests: revision.requests,
    errors: revision.errors,
  };
}

export function revisionStatus(revision: Revision): RevisionStatus {
  return {
    ...revisionState(revision),
    phase: revision.phase,
    url: revision.process.url,
    pid: revision.process.pid,
    inFlight: revision.inFlight,
    reason: revision.reason,
  };
}
