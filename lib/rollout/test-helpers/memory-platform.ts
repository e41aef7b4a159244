import { basename } from 'node:path';
import { z } from 'zod';
import { formatIssues } from '../../errors.js';
import type { DeployRequest, RevisionState, ServiceState, ServingPlatform, TrafficTarget } from '../platform.js';
import { DeployRequestSchema, TrafficTargetSchema } from '../platform.js';
import { PlatformError } from '../platform-error.js';

/** What was asked of the platform, in order (describe calls are not recorded). */
export type PlatformCall =
  | { readonly operation: 'deploy'; readonly request: z.output<typeof DeployRequestSchema> }
  | { readonly operation: 'setTraffic'; readonly targets: ReadonlyArray<z.output<typeof TrafficTargetSchema>> };

export interface MemoryPlatformOptions {
  /** Revisions become ready (model loaded) the moment they are deployed. Default true; else call `markReady`. */
  readonly readyOnDeploy?: boolean;
  readonly now?: () => Date;
}

interface Revision extends RevisionState {
  /** The share a deploy asked for, applied once the revision is ready. */
  pending: number | null;
}

/**
 * TEST HELPER — an in-memory ServingPlatform standing in for the local
 * runtime's platform (local/, being built separately), with the rules
 * local/API.md documents: a deployed revision gets its percent once ready
 * and the others are scaled down pro rata; a tag names one revision at a
 * time; a split must sum to 100 and name existing revisions, else it is
 * refused (a 400 PlatformError with reasons); revisions left at 0 % without
 * a tag are drained and disappear. Serve it over HTTP with
 * `startPlatformServer` to exercise `local-platform.ts` and evaluate.
 */
export class MemoryPlatform implements ServingPlatform {
  readonly calls: PlatformCall[] = [];
  private revisions: Revision[] = [];
  private seq = 0;
  private readonly readyOnDeploy: boolean;
  private readonly now: () => Date;

  constructor(options: MemoryPlatformOptions = {}) {
    this.readyOnDeploy = options.readyOnDeploy ?? true;
    this.now = options.now ?? (() => new Date());
  }

  /** Start afresh: no revisions, no calls, names from recommend-00001 again. */
  reset(): void {
    this.revisions = [];
    this.calls.length = 0;
    this.seq = 0;
  }

  /** The answers a revision gave and how many were errors, as the local runtime's ingress counts them. */
  recordAnswers(name: string, requests: number, errors: number): void {
    const revision = this.revisions.find((r) => r.name === name);
    if (revision === undefined) throw new Error(`no revision ${name}`);
    revision.requests = requests;
    revision.errors = errors;
  }

  async describe(): Promise<ServiceState> {
    return { revisions: this.revisions.map(({ pending: _pending, ...revision }) => ({ ...revision })) };
  }

  async deploy(input: DeployRequest): Promise<{ readonly revision: string }> {
    const parsed = DeployRequestSchema.safeParse(input);
    if (!parsed.success) throw refused('deploy', [formatIssues(parsed.error.issues)]);
    const request = parsed.data;
    this.calls.push({ operation: 'deploy', request });
    const name = `recommend-${String(++this.seq).padStart(5, '0')}`;
    if (request.tag !== null) for (const r of this.revisions) if (r.tag === request.tag) r.tag = null;
    const revision: Revision = {
      name,
      modelUri: request.modelUri,
      modelVersion: null,
      ready: false,
      percent: 0,
      tag: request.tag,
      createdAt: this.now().toISOString(),
      pending: request.percent,
    };
    this.revisions.push(revision);
    if (this.readyOnDeploy) this.markReady(name);
    return { revision: name };
  }

  /** The revision's model has loaded: it reports its version and takes the share its deploy asked for. */
  markReady(name: string): void {
    const revision = this.revisions.find((r) => r.name === name);
    if (revision === undefined) throw new Error(`no revision ${name}`);
    revision.ready = true;
    revision.modelVersion = basename(revision.modelUri);
    const share = revision.pending ?? 0;
    revision.pending = null;
    const others = this.revisions.filter((r) => r !== revision && r.percent > 0);
    const total = others.reduce((sum, r) => sum + r.percent, 0);
    revision.percent = total === 0 ? 100 : share;
    // Largest remainder, so the split still sums to 100.
    const room = 100 - revision.percent;
    const exact = others.map((r) => (total === 0 ? 0 : (r.percent * room) / total));
    others.forEach((r, j) => {
      r.percent = Math.floor(exact[j]);
    });
    let left = room - others.reduce((sum, r) => sum + r.percent, 0);
    const order = others.map((_, j) => j).sort((a, b) => exact[b] - Math.floor(exact[b]) - (exact[a] - Math.floor(exact[a])));
    for (const j of order) if (left-- > 0) others[j].percent += 1;
    this.drain();
  }

  async setTraffic(input: readonly TrafficTarget[]): Promise<void> {
    const parsed = z.array(TrafficTargetSchema).safeParse(input);
    if (!parsed.success) throw refused('setTraffic', [formatIssues(parsed.error.issues)]);
    const targets = parsed.data;
    const reasons: string[] = [];
    const sum = targets.reduce((total, t) => total + t.percent, 0);
    if (sum !== 100) reasons.push(`percents sum to ${sum}, not 100`);
    for (const t of targets) if (!this.revisions.some((r) => r.name === t.revision)) reasons.push(`no revision ${t.revision}`);
    const names = targets.map((t) => t.revision);
    if (new Set(names).size !== names.length) reasons.push('a revision is named twice');
    const tags = targets.flatMap((t) => (t.tag === null ? [] : [t.tag]));
    if (new Set(tags).size !== tags.length) reasons.push('a tag is given to two revisions');
    if (reasons.length > 0) throw refused('setTraffic', reasons);
    this.calls.push({ operation: 'setTraffic', targets });
    for (const r of this.revisions) {
      const target = targets.find((t) => t.revision === r.name);
      r.percent = target?.percent ?? 0;
      r.tag = target?.tag ?? null;
      r.pending = null;
    }
    this.drain();
  }

  /** Ready revisions with no traffic and no tag are drained and stopped. */
  private drain(): void {
    this.revisions = this.revisions.filter((r) => !r.ready || r.percent > 0 || r.tag !== null);
  }
}

function refused(operation: 'deploy' | 'setTraffic', reasons: string[]): PlatformError {
  return new PlatformError(operation, 'refused (HTTP 400)', { status: 400, reasons });
}
