import type { OnlineRevisionStats } from '../metrics/online-stats.js';

/**
 * The canary analysis' contract (types only): evaluate's tick gathers the
 * online stats of champion and candidate since the candidate started and
 * asks a `decideCanary(input) => CanaryDecision` function
 * (lib/rollout/canary-analysis.ts `analyzeCanary`) what to do.
 */

export type CanaryVerdict = 'promote' | 'hold' | 'roll-back' | 'step-up';

export interface CanaryInput {
  readonly champion: OnlineRevisionStats;
  readonly candidate: OnlineRevisionStats;
  /** The candidate's current traffic share, 0–100. */
  readonly candidatePercent: number;
  /** Error ratios per side when the platform knows them (5xx / requests), else null. */
  readonly championErrorRatio: number | null;
  readonly candidateErrorRatio: number | null;
}

export interface CanaryDecision {
  readonly verdict: CanaryVerdict;
  /** For step-up: the candidate's next share. */
  readonly nextPercent: number | null;
  /** Plain sentences: the test, its statistic and p-value, the guards and their figures. */
  readonly evidence: readonly string[];
  /** The figures behind it, for events, Slack and the dashboard. */
  readonly figures: Readonly<Record<string, number | null>>;
}

/** The injected analysis. */
export type DecideCanary = (input: CanaryInput) => CanaryDecision;
