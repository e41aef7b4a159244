import { z } from 'zod';

/**
 * The `evaluate.canary:` section of params.yaml: how the canary analysis
 * (canary-analysis.ts) decides. Every key is optional; a missing one takes
 * the default below.
 *
 * ```yaml
 * evaluate:
 *   canary:
 *     min_served: 100          # fewer served recommendations on either side: hold
 *     max_served: 1800         # the smaller side reached this: decide now (fixed-sample test)
 *     margin: 0.05             # non-inferiority margin on the hit rate (absolute)
 *     alpha: 0.05              # error rate of the whole sequential procedure, every look included
 *     mixture_sd: 0.05         # τ of the normal mixture: the hit-rate difference the test is tuned to
 *     max_error_ratio: 0.02    # candidate 5xx ratio may exceed the champion's by at most this
 *     max_p95_latency_ms: 300  # candidate p95 latency above this: roll back
 *     max_p95_ratio: 2         # … or above this many times the champion's
 *     p95_slack_ms: 20         # … and that only when also this much above it (2 ms vs 5 ms is noise)
 *     steps: [10, 50]          # the candidate's shares before promotion (step up when the evidence leans its way)
 * ```
 */

export const DEFAULT_CANARY = Object.freeze({
  minServed: 100,
  maxServed: 1800,
  margin: 0.05,
  alpha: 0.05,
  mixtureSd: 0.05,
  maxErrorRatio: 0.02,
  maxP95LatencyMs: 300,
  maxP95Ratio: 2,
  p95SlackMs: 20,
  steps: Object.freeze([10, 50]) as readonly number[],
});
export type CanaryParams = Readonly<{
  minServed: number;
  maxServed: number;
  margin: number;
  alpha: number;
  mixtureSd: number;
  maxErrorRatio: number;
  maxP95LatencyMs: number;
  maxP95Ratio: number;
  p95SlackMs: number;
  steps: readonly number[];
}>;

const number = () => z.number({ error: 'expected a number' }).finite();
const whole = () => z.int({ error: 'expected a whole number' });
const share = whole().min(1, 'expected a whole number from 1 to 99').max(99, 'expected a whole number from 1 to 99');

export const CanarySectionSchema = z
  .strictObject(
    {
      min_served: whole().min(1, 'expected a whole number ≥ 1').default(DEFAULT_CANARY.minServed),
      max_served: whole().min(1, 'expected a whole number ≥ 1').default(DEFAULT_CANARY.maxServed),
      margin: number().min(0, 'expected a number from 0 to 1').max(1, 'expected a number from 0 to 1').default(DEFAULT_CANARY.margin),
      alpha: number().gt(0, 'expected a number above 0 and at most 0.5').max(0.5, 'expected a number above 0 and at most 0.5').default(DEFAULT_CANARY.alpha),
      mixture_sd: number().gt(0, 'expected a number above 0 and at most 1').max(1, 'expected a number above 0 and at most 1').default(DEFAULT_CANARY.mixtureSd),
      max_error_ratio: number().min(0, 'expected a number from 0 to 1').max(1, 'expected a number from 0 to 1').default(DEFAULT_CANARY.maxErrorRatio),
      max_p95_latency_ms: number().gt(0, 'expected a number above 0').default(DEFAULT_CANARY.maxP95LatencyMs),
      max_p95_ratio: number().min(1, 'expected a number ≥ 1').default(DEFAULT_CANARY.maxP95Ratio),
      p95_slack_ms: number().min(0, 'expected a number ≥ 0').default(DEFAULT_CANARY.p95SlackMs),
      steps: z
        .array(share, { error: 'expected a list of shares' })
        .refine((steps) => steps.every((step, k) => k === 0 || step > steps[k - 1]), { error: 'expected increasing shares' })
        .default([...DEFAULT_CANARY.steps]),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : 'expected a mapping') },
  )
  .refine((canary) => canary.max_served >= canary.min_served, {
    error: 'max_served must be at least min_served',
    path: ['max_served'],
  })
  .transform(
    (canary): CanaryParams => ({
      minServed: canary.min_served,
      maxServed: canary.max_served,
      margin: canary.margin,
      alpha: canary.alpha,
      mixtureSd: canary.mixture_sd,
      maxErrorRatio: canary.max_error_ratio,
      maxP95LatencyMs: canary.max_p95_latency_ms,
      maxP95Ratio: canary.max_p95_ratio,
      p95SlackMs: canary.p95_slack_ms,
      steps: canary.steps,
    }),
  );
