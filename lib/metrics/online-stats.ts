/**
 * Online metrics of one `recommend` revision over one evaluation window: the
 * shape online evaluation (lib/metrics/online-evaluation.ts) produces and the
 * canary analysis (lib/rollout/canary-analysis.ts), evaluate's gauges, the
 * dashboard page and `movierec status` read.
 *
 * A served recommendation is a *hit* when the same user starts watching any
 * of its movies after it was served and within the attribution window;
 * watches before it never count.
 */
export interface OnlineRevisionStats {
  readonly revision: string;
  readonly modelVersion: string;
  /** Recommendations served whose attribution window has closed (the denominator). */
  readonly served: number;
  /** Of those, how many were followed by a watch of a recommended movie. */
  readonly hits: number;
  /** hits / served; null when served is 0. */
  readonly hitRate: number | null;
  /** Minutes of recommended movies watched after the recommendation, summed. */
  readonly watchedMinutes: number;
  /** Recommended movies the user went on to rate, and their mean rating (null when none). */
  readonly ratings: number;
  readonly meanRating: number | null;
  /** Share of answers that were the popularity fallback (unknown user). */
  readonly fallbackShare: number | null;
  /** Latency inside the function, from the served events. */
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
}

/** One evaluation: every revision seen over `[from, to)`, computed at `at`. */
export interface OnlineReport {
  readonly at: string;
  readonly from: string;
  readonly to: string;
  /** The attribution window used, in minutes. */
  readonly windowMinutes: number;
  readonly revisions: readonly OnlineRevisionStats[];
}
