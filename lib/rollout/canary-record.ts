import { z } from 'zod';
import { CANARY_VERDICTS } from './canary-verdicts.js';

/**
 * One canary decision as evaluate keeps it (the events store's `canary`
 * records) and serves it (`GET /online` → `decisions`): when, what, about
 * whom, at which share, and why.
 */
const SideSchema = z.object({ revision: z.string().min(1), modelVersion: z.string().min(1) });

export const CanaryDecisionRecordSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  verdict: z.enum(CANARY_VERDICTS),
  candidate: SideSchema,
  champion: SideSchema,
  /** The candidate's share when the decision was made. */
  candidatePercent: z.number().min(0).max(100),
  /** The share a step-up moved it to; null otherwise. */
  nextPercent: z.number().min(0).max(100).nullable(),
  evidence: z.array(z.string()),
  figures: z.record(z.string(), z.number().nullable()),
});
export type CanaryDecisionRecord = z.infer<typeof CanaryDecisionRecordSchema>;
