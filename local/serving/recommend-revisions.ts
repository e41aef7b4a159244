import type { Logger } from '../../lib/ops/logger.js';
import type { DeployRequest, ServiceState, ServingPlatform, TrafficTag, TrafficTarget } from '../../lib/rollout/platform.js';
import { DeployRequestSchema } from '../../lib/rollout/platform.js';
import { formatIssues, MovierecError } from '../../lib/errors.js';
import { revisionName } from './function-env.js';
import type { RevisionProcess } from './function-process.js';
import type { Revision, RevisionPhase, RevisionStatus } from './revision.js';
import { revisionState, revisionStatus } from './revision.js';
import { TrafficError } from './serving-errors.js';
import { scaleProRata } from '../../lib/rollout/pro-rata.js';
import { pickWeighted } from './traffic-split.js';
import { parseTargets, trafficProblems } from './traffic-validation.js';

export interface RecommendRevisionsOptions {
  /** Start the process of a new revision serving `modelUri`. */
  readonly launch: (revision: string, modelUri: string) => Promise<RevisionProcess>;
  /** The version the bundle at `modelUri` reports; null when it cannot be read. */
  readonly modelVersion: (modelUri: string) => Promise<string | null>;
  readonly logger: Logger;
  /** A revision not ready within this long is marked failed. */
  readonly readyTimeoutMs: number;
  /** A draining revision is stopped after this long even with requests in flight. Default 30 s. */
  readonly drainTimeoutMs?: number;
  readonly service?: string;
  readonly now?: () => Date;
}

const KEEP_FAILED = 20;

/**
 * The revisions of `recommend` and their traffic split: the ServingPlatform
 * in-process. A deployed revision takes its share only once ready; a revision
 * left without share or tag is drained — no new requests, in-flight ones
 * finish — then its process is stopped. A revision that exits or never gets
 * ready is failed and takes nothing; one that failed before it was ever ready
 * leaves the ServiceState (it is kept in `statuses()`).
 */
export class RecommendRevisions implements ServingPlatform {
  private readonly table = new Map<string, Revision>();
  private readonly failed: Revision[] = [];
  private readonly settledBy = new Map<string, Promise<RevisionPhase>>();
  private readonly idle = new Map<Revision, () => void>();
  private readonly tasks = new Set<Promise<unknown>>();
  private routable: Revision[] = [];
  private counter = 0;
  private closed = false;

  constructor(private readonly options: RecommendRevisionsOptions) {}

  async describe(): Promise<ServiceState> {
    return { revisions: [...this.table.values()].map(revisionState) };
  }

  async deploy(request: DeployRequest): Promise<{ readonly revision: string }> {
    const parsed = DeployRequestSchema.safeParse(request);
    if (!parsed.success) throw new TrafficError(parsed.error.issues.map((issue) => formatIssues([issue])));
    const stopping = () => new MovierecError('the serving platform is stopping', { retriable: true });
    if (this.closed) throw stopping();
    const { modelUri, percent, tag } = parsed.data;
    const name = revisionName(this.options.service ?? 'recommend', ++this.counter);
    const process = await this.options.launch(name, modelUri);
    if (this.closed) {
      await process.stop();
      throw stopping();
    }
    const revision: Revision = {
      name,
      modelUri,
      createdAt: (this.options.now ?? (() => new Date()))().toISOString(),
      process,
      phase: 'starting',
      modelVersion: null,
      percent: 0,
      tag: null,
      inFlight: 0,
      requests: 0,
      errors: 0,
      pending: { percent, tag },
      reason: null,
    };
    this.table.set(name, revision);
    this.options.logger.info('revision deployed', { revision: name, modelUri, percent, tag, pid: process.pid });
    this.settledBy.set(name, this.track(this.follow(revision)));
    this.track(process.exited.then((exit) => !exit.expected && this.crashed(revision, exit.code)));
    return { revision: name };
  }

  async setTraffic(targets: readonly TrafficTarget[]): Promise<void> {
    const parsed = parseTargets(targets);
    if (!parsed.ok) throw new TrafficError(parsed.reasons);
    const phases = new Map([...this.table.values()].map((r) => [r.name, r.phase] as const));
    const problems = trafficProblems(parsed.targets, phases);
    if (problems.length > 0) throw new TrafficError(problems);
    const byName = new Map(parsed.targets.map((t) => [t.revision, t] as const));
    for (const revision of this.table.values()) {
      if (revision.phase === 'draining') continue;
      const target = byName.get(revision.name);
      revision.percent = target?.percent ?? 0;
      revision.tag = target?.tag ?? null;
      revision.pending = null;
    }
    this.options.logger.info('traffic set', { traffic: parsed.targets });
    this.drainUnrouted(undefined);
  }

  /** The revision that takes the next request: a ready one, by weighted random over the shares. */
  pick(random: () => number): Revision | undefined {
    return pickWeighted(this.routable, random);
  }

  /** Count a request proxied to `revision` until `end` says how it was answered (0: no answer). */
  begin(revision: Revision): void {
    revision.inFlight += 1;
  }

  end(revision: Revision, status: number): void {
    revision.inFlight -= 1;
    if (status >= 0) {
      revision.requests += 1;
      if (status === 0 || status >= 500) revision.errors += 1;
    }
    if (revision.inFlight === 0) this.idle.get(revision)?.();
  }

  /** Resolves with the phase a revision settles in after starting: `ready`, `failed` or `draining`. */
  settled(name: string): Promise<RevisionPhase> {
    return this.settledBy.get(name) ?? Promise.resolve('failed');
  }

  /** Every revision that exists, then the last ones that failed before they were ready. */
  statuses(): RevisionStatus[] {
    return [...this.table.values(), ...this.failed].map(revisionStatus);
  }

  /** Stop every revision (no draining) and wait for the background work. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.table.values()];
    for (const revision of all) revision.phase = 'draining';
    this.refresh();
    await Promise.all(all.map((revision) => revision.process.stop()));
    for (const wake of this.idle.values()) wake();
    await Promise.allSettled([...this.tasks]);
  }

  private async follow(revision: Revision): Promise<RevisionPhase> {
    const version = this.options.modelVersion(revision.modelUri).catch(() => null);
    try {
      await revision.process.waitReady(this.options.readyTimeoutMs);
    } catch (error) {
      if (revision.phase !== 'starting') return revision.phase;
      this.failBeforeReady(revision, error instanceof Error ? error.message : String(error));
      await revision.process.stop();
      return 'failed';
    }
    revision.modelVersion = await version;
    if (revision.phase !== 'starting') return revision.phase;
    revision.phase = 'ready';
    if (revision.pending !== null) this.applyDeploy(revision, revision.pending);
    this.refresh();
    this.options.logger.info('revision ready', {
      revision: revision.name,
      modelVersion: revision.modelVersion,
      percent: revision.percent,
      tag: revision.tag,
    });
    return 'ready';
  }

  /** A ready revision takes its deployed share; the others' shares scale down pro rata; its tag moves to it. */
  private applyDeploy(revision: Revision, pending: { readonly percent: number; readonly tag: TrafficTag | null }): void {
    revision.pending = null;
    const others = [...this.table.values()].filter((r) => r !== revision && r.phase !== 'draining');
    const before = others.map((r) => r.percent);
    // The first revision to take traffic takes all of it.
    const othersServe = before.some((p) => p > 0);
    revision.percent = othersServe ? pending.percent : 100;
    scaleProRata(before, othersServe ? 100 - pending.percent : 0).forEach((percent, i) => (others[i].percent = percent));
    if (pending.tag !== null) for (const other of others) if (other.tag === pending.tag) other.tag = null;
    revision.tag = pending.tag;
    this.drainUnrouted(revision);
  }

  /** Drain every revision left at 0 % without a tag (except `keep`). */
  private drainUnrouted(keep: Revision | undefined): void {
    for (const revision of [...this.table.values()]) {
      if (revision === keep || revision.phase === 'draining') continue;
      if (revision.percent === 0 && revision.tag === null && revision.pending === null) this.drain(revision);
    }
    this.refresh();
  }

  private drain(revision: Revision): void {
    const wasReady = revision.phase === 'ready';
    revision.phase = 'draining';
    revision.percent = 0;
    revision.tag = null;
    revision.pending = null;
    this.refresh();
    this.options.logger.info('revision draining', { revision: revision.name, inFlight: revision.inFlight, wasReady });
    this.track(this.stopWhenIdle(revision));
  }

  private async stopWhenIdle(revision: Revision): Promise<void> {
    if (revision.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolveIdle) => {
        this.idle.set(revision, resolveIdle);
        timer = setTimeout(resolveIdle, this.options.drainTimeoutMs ?? 30_000);
      });
      clearTimeout(timer);
      this.idle.delete(revision);
    }
    const exit = await revision.process.stop();
    this.table.delete(revision.name);
    this.options.logger.info('revision stopped', { revision: revision.name, inFlight: revision.inFlight, code: exit.code, signal: exit.signal });
  }

  private failBeforeReady(revision: Revision, reason: string): void {
    revision.phase = 'failed';
    revision.reason = reason;
    revision.pending = null;
    revision.percent = 0;
    revision.tag = null;
    this.table.delete(revision.name);
    this.failed.push(revision);
    if (this.failed.length > KEEP_FAILED) this.failed.shift();
    this.refresh();
    this.options.logger.error('revision failed before it was ready; it gets no traffic', { revision: revision.name, reason });
  }

  /** A revision that was ready exited on its own: it keeps its share on paper and takes no request. */
  private crashed(revision: Revision, code: number | null): void {
    if (revision.phase !== 'ready') return;
    revision.phase = 'failed';
    revision.reason = `exited with code ${String(code)}`;
    this.refresh();
    this.options.logger.error('ready revision exited; it takes no more requests', { revision: revision.name, code });
  }

  private refresh(): void {
    this.routable = [...this.table.values()].filter((r) => r.phase === 'ready' && r.percent > 0);
  }

  private track<T>(task: Promise<T>): Promise<T> {
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task)).catch(() => undefined);
    return task;
  }
}
