import { z } from 'zod';
import { TRAFFIC_TAGS } from '../../lib/rollout/platform.js';
import { IngestStatsSchema } from '../ingest-stats.js';
import { REVISION_PHASES } from '../serving/revision.js';
import { OnlineReportSchema } from './online-answer.js';

/**
 * `GET /dashboard/data`: everything the dashboard page draws, in one answer
 * the page polls every ~2 s. The runtime builds it (collect-data.ts); the
 * schema is the contract with the page and with anyone scripting against it.
 */

const time = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();

export const DashboardRevisionSchema = z.object({
  name: z.string(),
  tag: z.enum(TRAFFIC_TAGS).nullable(),
  percent: z.number().int().min(0).max(100),
  ready: z.boolean(),
  phase: z.enum(REVISION_PHASES),
  modelVersion: z.string().nullable(),
  createdAt: time,
  reason: z.string().nullable(),
});
export type DashboardRevision = z.infer<typeof DashboardRevisionSchema>;

export const DECISION_SOURCES = ['canary', 'offline'] as const;
export type DecisionSource = (typeof DECISION_SOURCES)[number];

const ModelAtRevisionSchema = z.object({ revision: z.string().nullable(), modelVersion: z.string() });

/** A canary decision (evaluate's `/online`) or an offline gate / rollback event (the Broker), in one shape. */
export const DecisionViewSchema = z.object({
  id: z.string(),
  at: time,
  source: z.enum(DECISION_SOURCES),
  /** promote | hold | roll-back | step-up (canary); promoted | rejected | rolled-back (offline). */
  verdict: z.string(),
  summary: z.string(),
  candidate: ModelAtRevisionSchema,
  champion: ModelAtRevisionSchema.nullable(),
  evidence: z.array(z.string()),
  figures: z.record(z.string(), z.number().nullable()),
});
export type DecisionView = z.infer<typeof DecisionViewSchema>;

/** One trained model, from its manifest. */
export const TrainingEntrySchema = z.object({
  version: z.string(),
  algorithm: z.string(),
  createdAt: time,
  metrics: z.record(z.string(), z.number().nullable()),
  counts: z.object({ users: count, movies: count, ratings: count, interactions: count }),
});
export type TrainingEntry = z.infer<typeof TrainingEntrySchema>;

/** Ingest throughput between two samples of its counts, stamped with the later one. */
export const IngestRateSchema = z.object({
  at: time,
  recordsPerSecond: z.number().nonnegative(),
  duplicatesPerSecond: z.number().nonnegative(),
  rejectedPerSecond: z.number().nonnegative(),
});
export type IngestRate = z.infer<typeof IngestRateSchema>;

export const DashboardDataSchema = z.object({
  generatedAt: time,
  system: z.object({
    ingress: z.string(),
    channel: z.enum(['memory', 'kafka']),
    functions: z.array(z.object({ name: z.string(), ready: z.boolean(), restarts: count })),
    /** Model bundles published. */
    models: count,
    audience: z.boolean(),
  }),
  revisions: z.array(DashboardRevisionSchema),
  online: z.object({
    available: z.boolean(),
    /** Why there is no online data, when there is none. */
    reason: z.string().nullable(),
    /** Oldest first. */
    reports: z.array(OnlineReportSchema),
  }),
  /** Canary and offline decisions, newest first. */
  decisions: z.array(DecisionViewSchema),
  /** Newest first. */
  training: z.array(TrainingEntrySchema),
  ingest: z.object({
    totals: IngestStatsSchema.nullable(),
    /** Oldest first. */
    rates: z.array(IngestRateSchema),
  }),
});
export type DashboardData = z.infer<typeof DashboardDataSchema>;
