import { BundleError } from '../../lib/errors.js';
import type { ModelPromoted, ModelRef, ModelRejected } from '../../lib/messaging/events/model-decision.js';
import type { ModelTrained, TrainedModel } from '../../lib/messaging/events/model-trained.js';
import type { Logger } from '../../lib/ops/logger.js';
import { bestCandidate } from '../../lib/rollout/offline-gate.js';
import type { GateBasis } from '../../lib/rollout/offline-gate.js';
import type { RevisionState, ServingPlatform } from '../../lib/rollout/platform.js';
import { deployFirst, startCanary } from '../../lib/rollout/rollout-actions.js';
import { serviceRoles, servingRevision } from '../../lib/rollout/service-roles.js';
import type { Champion, CompareDeps, Comparison } from './compare-candidates.js';
import { compareCandidates, loadModel } from './compare-candidates.js';

export interface OfflineDeps extends CompareDeps {
  readonly platform: ServingPlatform;
  /** A new candidate's first traffic share (`CANARY_PERCENT`). */
  readonly canaryPercent: number;
  readonly logger: Logger;
}

/** One candidate's outcome. `unchanged`: a revision already serves it (a redelivered event); nothing is emitted. */
export type Decision =
  | ({ readonly outcome: 'promoted' } & ModelPromoted)
  | ({ readonly outcome: 'rejected' } & ModelRejected)
  | { readonly outcome: 'unchanged'; readonly candidate: ModelRef; readonly revision: string; readonly reason: string };

/** What evaluate did with one model.trained: the answer's body. */
export interface OfflineDecision {
  readonly runId: string;
  /** The comparison's basis; null when no comparison was needed (every model already served) or possible. */
  readonly basis: GateBasis | null;
  readonly slice: Comparison['slice'];
  readonly champion: (ModelRef & { readonly revision: string }) | null;
  readonly decisions: Decision[];
}

const refOf = (model: TrainedModel): ModelRef => ({ version: model.version, bundleUri: model.bundleUri });

type ChampionLoad = { readonly champion: Champion | null; readonly note: string } | { readonly unusable: string; readonly revision: RevisionState };

/**
 * The serving champion's model, loaded. A champion revision that never got
 * ready and whose bundle cannot be read (the bootstrap revision before any
 * model exists) counts as no champion; a ready one whose bundle cannot be
 * read makes every candidate wait (they are rejected: no comparison).
 */
async function loadChampion(revision: RevisionState | null, deps: OfflineDeps): Promise<ChampionLoad> {
  if (revision === null) return { champion: null, note: 'first model: nothing serves yet' };
  try {
    const { bundle, model } = await loadModel(revision.modelUri, deps);
    const ref = { version: bundle.manifest.version, bundleUri: revision.modelUri };
    return { champion: { ref, revision: revision.name, bundle, model }, note: `champion ${ref.version} (${revision.name})` };
  } catch (error) {
    if (!(error instanceof BundleError) || error.retriable) throw error;
    if (!revision.ready) return { champion: null, note: `first model: ${revision.name} never became ready and its bundle cannot be read` };
    return { unusable: error.message, revision };
  }
}

/**
 * Decide about the models of one training run (STYLE: the work, with
 * injected deps). Each model already served by a revision is `unchanged`.
 * The others are compared with the champion (compare-candidates.ts); the
 * best that passes the offline gate gets traffic — all of it as the new
 * champion when nothing serves yet, else CANARY_PERCENT as the candidate
 * when no canary is under online evaluation (otherwise it waits: rejected,
 * saying so) — and every other one is rejected with its reason. Platform failures are thrown (the caller answers 5xx and the
 * Broker redelivers; the next attempt starts from `describe` again).
 */
export async function decideOnTrained(trained: ModelTrained, deps: OfflineDeps): Promise<OfflineDecision> {
  const state = await deps.platform.describe();
  const roles = serviceRoles(state);
  const decisions: Decision[] = [];
  const fresh: TrainedModel[] = [];
  for (const model of trained.models) {
    const serving = servingRevision(state, model.bundleUri);
    if (serving === null) fresh.push(model);
    else {
      const reason = `already served by ${serving.name} (${serving.percent} %${serving.tag === null ? '' : `, ${serving.tag}`})`;
      decisions.push({ outcome: 'unchanged', candidate: refOf(model), revision: serving.name, reason });
    }
  }
  const summary = { runId: trained.runId, basis: null, slice: null, champion: null };
  if (fresh.length === 0) return { ...summary, decisions };

  const load = await loadChampion(roles.champion, deps);
  if ('unusable' in load) {
    const reason = `no comparison possible: the champion's bundle (${load.revision.name}) cannot be read: ${load.unusable}`;
    for (const model of fresh) decisions.push({ outcome: 'rejected', candidate: refOf(model), champion: null, evidence: [], reason });
    return { ...summary, decisions };
  }
  const { champion } = load;
  const comparison = await compareCandidates(trained, fresh, champion, deps);
  const usable = comparison.verdicts.flatMap((v) => (v.usable ? [v] : []));
  const best = bestCandidate(usable.map((v) => ({ passed: v.gate.passed, scores: v.scores })));
  const winner = best < 0 ? null : usable[best];
  const context = `${load.note}; ${comparison.note}`;

  for (const verdict of comparison.verdicts) {
    const candidate = refOf(verdict.model);
    const base = { candidate, champion: champion?.ref ?? null };
    if (!verdict.usable) decisions.push({ outcome: 'rejected', ...base, evidence: [], reason: verdict.problem });
    else if (verdict === winner && champion !== null && roles.candidate !== null) {
      // One canary at a time: replacing an undecided one would throw its online evidence away, and with
      // retraining every ~17 minutes against a 30-minute attribution window no canary would ever be decided.
      const reason = `passed the offline gate (${verdict.gate.checks.join(', ')}), but the canary ${roles.candidate.name} is still under online evaluation; the next training run tries again; ${context}`;
      decisions.push({ outcome: 'rejected', ...base, evidence: verdict.gate.evidence, reason });
    } else if (verdict === winner) {
      const rollout = champion === null ? await deployFirst(deps.platform, candidate.bundleUri) : await startCanary(deps.platform, candidate.bundleUri, deps.canaryPercent);
      const replaced = rollout.replaced === null ? '' : `; replaces the canary ${rollout.replaced}`;
      decisions.push({
        outcome: 'promoted',
        ...base,
        revision: rollout.revision,
        percent: rollout.percent,
        stage: rollout.stage,
        evidence: verdict.gate.evidence,
        reason:
          champion === null
            ? `${load.note} (${verdict.gate.checks.join(', ')}); ${comparison.note}`
            : `passed the offline gate (${verdict.gate.checks.join(', ')}); ${context}${replaced}`,
      });
      const fields = { runId: trained.runId, modelVersion: candidate.version, recommendRevision: rollout.revision, percent: rollout.percent };
      deps.logger.info('model promoted', { ...fields, stage: rollout.stage, replaced: rollout.replaced });
    } else {
      const why = verdict.gate.passed
        ? `passed the offline gate, but ${winner?.model.version ?? 'another candidate'} did better`
        : `failed the offline gate (${verdict.gate.checks.join(', ')})`;
      decisions.push({ outcome: 'rejected', ...base, evidence: verdict.gate.evidence, reason: `${why}; ${context}` });
    }
  }
  for (const d of decisions) if (d.outcome === 'rejected') deps.logger.info('model rejected', { runId: trained.runId, modelVersion: d.candidate.version, reason: d.reason });
  return {
    runId: trained.runId,
    basis: comparison.basis,
    slice: comparison.slice,
    champion: champion === null ? null : { ...champion.ref, revision: champion.revision },
    decisions,
  };
}
