import type { LoadedBundle } from '../../lib/artifacts/read-bundle.js';
import { servingModel } from '../../lib/artifacts/model-bundle.js';
import type { InteractionRecord, RatingScale } from '../../lib/data/records.js';
import { BundleError } from '../../lib/errors.js';
import type { ModelRef } from '../../lib/messaging/events/model-decision.js';
import type { ModelTrained, TrainedModel } from '../../lib/messaging/events/model-trained.js';
import type { Model } from '../../lib/models/model.js';
import type { GateParams } from '../../lib/rollout/evaluate-params.js';
import { scoreOnSlice } from '../../lib/rollout/holdout-score.js';
import type { HoldoutSlice } from '../../lib/rollout/holdout-slice.js';
import { holdoutSlice } from '../../lib/rollout/holdout-slice.js';
import type { GateBasis, GateResult, ModelScores } from '../../lib/rollout/offline-gate.js';
import { offlineGate, scoresFromMetrics } from '../../lib/rollout/offline-gate.js';
import type { ServedList } from '../../lib/rollout/recommended-pairs.js';
import { DEFAULT_EXPOSURE_LOOKBACK_MS } from '../../lib/rollout/recommended-pairs.js';

/** What comparing needs from outside: bundles and the events store. */
export interface CompareDeps {
  /** Read and verify the bundle at a `bundleUri` / `MODEL_URI` (lib/artifacts `readBundle`). */
  readonly readBundle: (uri: string) => Promise<LoadedBundle>;
  /** The watch and rate records with from ≤ time < to (ms), ratings parsed on `scale`. */
  readonly readHoldout: (window: { readonly from: number; readonly to: number }, scale: RatingScale) => Promise<InteractionRecord[]>;
  /** The recommendation lists served with from ≤ servedAt < to (ms): the events store's `served` records. */
  readonly readServed: (window: { readonly from: number; readonly to: number }) => Promise<readonly ServedList[]>;
  /** How long before holdoutFrom a served list still counts as exposure (default one hour). */
  readonly exposureLookbackMs?: number;
  readonly gate: GateParams;
}

/** The serving champion, loaded. */
export interface Champion {
  readonly ref: ModelRef;
  readonly revision: string;
  readonly bundle: LoadedBundle;
  readonly model: Model;
}

export type Verdict =
  | { readonly usable: true; readonly model: TrainedModel; readonly scores: ModelScores; readonly gate: GateResult }
  | { readonly usable: false; readonly model: TrainedModel; readonly problem: string };

export interface Comparison {
  readonly basis: GateBasis;
  /** What the held-out slice held (null on the offline basis). */
  readonly slice: { readonly ratings: number; readonly users: number; readonly dropped: number; readonly recommended: number } | null;
  /** Why the basis is what it is, for the decision's reason. */
  readonly note: string;
  readonly champion: ModelScores | null;
  readonly verdicts: Verdict[];
}

/** Load and verify a bundle, rebuilding its model. A bundle that cannot be used is a non-retriable BundleError. */
export async function loadModel(uri: string, deps: Pick<CompareDeps, 'readBundle'>): Promise<{ bundle: LoadedBundle; model: Model }> {
  const bundle = await deps.readBundle(uri);
  return { bundle, model: servingModel(bundle).model };
}

/**
 * Score every candidate and the champion on the held-out slice of `trained`
 * and put each candidate through the offline gate. Bundles are loaded one at
 * a time (course-scale bundles are hundreds of MB). The held-out slice was
 * logged under the serving models' recommendations, so the ranking metrics
 * use only its organic pairs: a pair whose movie was served to its user from
 * `exposureLookbackMs` before holdoutFrom up to the pair's last event is
 * left out of them (lib/rollout/recommended-pairs.ts); RMSE keeps every
 * rating. Without a slice (`holdoutFrom` null, nothing held out survives, or
 * nothing organic is left) the candidates' own offline metrics are compared
 * with those in the champion's manifest.
 * A candidate bundle that is missing or corrupt is not usable (its verdict
 * says why); store I/O failures are thrown (retriable).
 */
export async function compareCandidates(
  trained: ModelTrained,
  candidates: readonly TrainedModel[],
  champion: Champion | null,
  deps: CompareDeps,
): Promise<Comparison> {
  const held: { slice?: HoldoutSlice | null; note: string } = { note: 'no held-out slice (holdoutFrom is null)' };
  if (trained.snapshot.holdoutFrom === null) held.slice = null;
  const sliceFor = async (scale: RatingScale): Promise<HoldoutSlice | null> => {
    if (held.slice !== undefined) return held.slice;
    const { holdoutFrom, to } = trained.snapshot;
    const window = { from: Date.parse(holdoutFrom ?? to), to: Date.parse(to) };
    const since = window.from - (deps.exposureLookbackMs ?? DEFAULT_EXPOSURE_LOOKBACK_MS);
    const records = await deps.readHoldout(window, scale);
    const served = await deps.readServed({ from: since, to: window.to });
    const read = holdoutSlice(records, champion?.bundle ?? null, { exposure: { served, since } });
    const organic = read.table.size - read.recommended;
    const usable = organic > 0 && (read.ratings > 0 || read.relevant.size > 0);
    held.slice = usable ? read : null;
    held.note = usable
      ? `held-out slice ${holdoutFrom} – ${to}: ${read.ratings} ratings, ${read.relevant.size} users with a relevant organic movie, ` +
        `${read.dropped} pairs the champion had seen left out, ${read.recommended} pairs the users were recommended left out`
      : read.table.size > 0 && organic === 0
        ? `the organic held-out slice is empty (all ${read.table.size} pairs left were recommended to their users, ${read.dropped} the champion had seen)`
        : `the held-out slice is empty (${read.table.size} pairs left, ${read.dropped} the champion had seen)`;
    return held.slice;
  };

  const scored: Array<{ model: TrainedModel; scores: ModelScores } | { model: TrainedModel; problem: string }> = [];
  for (const model of candidates) {
    let loaded: { bundle: LoadedBundle; model: Model };
    try {
      loaded = await loadModel(model.bundleUri, deps);
    } catch (error) {
      if (!(error instanceof BundleError) || error.retriable) throw error;
      scored.push({ model, problem: `the bundle cannot be used: ${error.message}` });
      continue;
    }
    if (loaded.bundle.manifest.version !== model.version) {
      scored.push({ model, problem: `${model.bundleUri} holds ${loaded.bundle.manifest.version}, not ${model.version}` });
      continue;
    }
    const slice = await sliceFor(champion?.bundle.manifest.shape.scale ?? loaded.bundle.manifest.shape.scale);
    scored.push({ model, scores: slice === null ? scoresFromMetrics(model.metrics) : scoreOnSlice(loaded.bundle, loaded.model, slice) });
  }
  const slice = held.slice ?? null;
  const basis: GateBasis = slice === null ? 'offline' : 'holdout';
  let championScores: ModelScores | null = null;
  if (champion !== null) {
    championScores = slice === null ? scoresFromMetrics(champion.bundle.manifest.metrics) : scoreOnSlice(champion.bundle, champion.model, slice);
  }
  const counts = { ratings: slice?.ratings ?? 0, users: slice?.relevant.size ?? 0 };
  const verdicts = scored.map((entry): Verdict => {
    if ('problem' in entry) return { usable: false, model: entry.model, problem: entry.problem };
    const gate = offlineGate({ basis, candidate: entry.scores, champion: championScores, ...counts }, deps.gate);
    return { usable: true, model: entry.model, scores: entry.scores, gate };
  });
  return {
    basis,
    slice: slice === null ? null : { ratings: slice.ratings, users: slice.relevant.size, dropped: slice.dropped, recommended: slice.recommended },
    note: slice === null ? `${held.note}: train's offline metrics${champion === null ? '' : " compared with the champion manifest's"}` : held.note,
    champion: championScores,
    verdicts,
  };
}
