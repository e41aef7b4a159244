import { z } from 'zod';

/**
 * `io.movierec.retrain.requested.v1`: train now. Sent by hand (`movierec`),
 * by a new-data threshold, or — as `dev.knative.sources.ping` — by the
 * retrain PingSource, whose JSON data has the same shape.
 */
export const RETRAIN_REQUESTED = 'io.movierec.retrain.requested.v1' as const;

export const RetrainRequestedSchema = z
  .object({
    /** Why: `schedule`, `new-data`, `manual`, … (free text, for logs and lineage). */
    reason: z.string().min(1).max(200).default('manual'),
    /** Limit the run to these algorithms (default: the configured ones). */
    algorithms: z.array(z.string().min(1)).max(16).optional(),
  })
  .default({ reason: 'manual' });
export type RetrainRequested = z.output<typeof RetrainRequestedSchema>;
