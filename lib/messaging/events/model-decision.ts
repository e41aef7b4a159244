import { z } from 'zod';

/**
 * evaluate's decisions about a model: `io.movierec.model.promoted.v1` (it got
 * traffic — a canary share first, 100 % when promoted in full),
 * `io.movierec.model.rejected.v1` (it failed the offline gate and never
 * served) and `io.movierec.model.rolled-back.v1` (it served and lost).
 */
export const MODEL_PROMOTED = 'io.movierec.model.promoted.v1' as const;
export const MODEL_REJECTED = 'io.movierec.model.rejected.v1' as const;
export const MODEL_ROLLED_BACK = 'io.movierec.model.rolled-back.v1' as const;

export const ModelRefSchema = z.object({
  version: z.string().min(1),
  bundleUri: z.string().min(1),
});
export type ModelRef = z.infer<typeof ModelRefSchema>;

/** The evidence: one metric of candidate and champion on the same held-out slice. */
export const GateEvidenceSchema = z.object({
  metric: z.string().min(1),
  candidate: z.number().nullable(),
  /** Null when there was no champion to compare with. */
  champion: z.number().nullable(),
  /** The allowed slack (same units as the metric). */
  margin: z.number(),
  /** Held-out interactions the comparison used. */
  n: z.number().int().nonnegative(),
  passed: z.boolean(),
});
export type GateEvidence = z.infer<typeof GateEvidenceSchema>;

/**
 * The online evidence of a canary decision (evaluate's tick): the verdict of
 * the canary analysis, the candidate's share when it was made, its plain
 * sentences and figures. Absent on offline-gate decisions.
 */
export const CanaryEvidenceSchema = z.object({
  verdict: z.enum(['promote', 'hold', 'roll-back', 'step-up']),
  candidatePercent: z.number().min(0).max(100),
  evidence: z.array(z.string()),
  figures: z.record(z.string(), z.number().nullable()),
});
export type CanaryEvidence = z.infer<typeof CanaryEvidenceSchema>;

export const ModelPromotedSchema = z.object({
  candidate: ModelRefSchema,
  champion: ModelRefSchema.nullable(),
  /** The `recommend` revision now serving the candidate. */
  revision: z.string().min(1),
  /** Its traffic share, 1–100. */
  percent: z.number().int().min(1).max(100),
  stage: z.enum(['canary', 'full']),
  evidence: z.array(GateEvidenceSchema),
  reason: z.string().min(1),
  /** Set when the canary analysis promoted it or stepped its share up. */
  canary: CanaryEvidenceSchema.optional(),
});
export type ModelPromoted = z.infer<typeof ModelPromotedSchema>;

export const ModelRejectedSchema = z.object({
  candidate: ModelRefSchema,
  champion: ModelRefSchema.nullable(),
  evidence: z.array(GateEvidenceSchema),
  reason: z.string().min(1),
});
export type ModelRejected = z.infer<typeof ModelRejectedSchema>;

export const ModelRolledBackSchema = z.object({
  candidate: ModelRefSchema,
  champion: ModelRefSchema.nullable(),
  revision: z.string().min(1),
  evidence: z.array(GateEvidenceSchema),
  reason: z.string().min(1),
  /** Set when the canary analysis rolled it back. */
  canary: CanaryEvidenceSchema.optional(),
});
export type ModelRolledBack = z.infer<typeof ModelRolledBackSchema>;
