import { z } from 'zod';

/**
 * `io.movierec.evaluation.tick.v1`: run online evaluation now. The evaluation
 * PingSource delivers it as `dev.knative.sources.ping` with this JSON data.
 */
export const EVALUATION_TICK = 'io.movierec.evaluation.tick.v1' as const;

export const EvaluationTickSchema = z.object({ reason: z.string().min(1).max(200).default('schedule') }).default({ reason: 'schedule' });
export type EvaluationTick = z.output<typeof EvaluationTickSchema>;
