import { z } from 'zod';

/**
 * The serving platform as evaluate sees it: the `recommend` service's
 * revisions and its traffic split. One port, two adapters — the local runtime
 * (`local-platform.ts`, HTTP to its ingress) and, with the closed loop, the
 * Kubernetes API (PATCH of the Knative Service's `spec.template` and
 * `spec.traffic`). The shapes follow Knative Serving v1: a revision per model,
 * traffic targets with a percent and an optional tag (`champion`, `candidate`).
 */

export const TRAFFIC_TAGS = ['champion', 'candidate'] as const;
export type TrafficTag = (typeof TRAFFIC_TAGS)[number];

export const RevisionStateSchema = z.object({
  /** The revision name, e.g. `recommend-00003`. */
  name: z.string().min(1),
  /** The bundle its `MODEL_URI` names. */
  modelUri: z.string().min(1),
  /** The model version it reports once loaded; null before. */
  modelVersion: z.string().nullable(),
  /** Ready: its model is loaded and `/healthz` answers 200. */
  ready: z.boolean(),
  /** Its share of `/recommend` traffic, 0–100. */
  percent: z.number().int().min(0).max(100),
  tag: z.enum(TRAFFIC_TAGS).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  /**
   * Answers it gave since it started, and how many were errors (5xx, or no
   * answer): what the canary analysis' error guard compares. The local
   * runtime counts them at its ingress; the Kubernetes API has no such
   * figures (absent there).
   */
  requests: z.number().int().nonnegative().optional(),
  errors: z.number().int().nonnegative().optional(),
});
export type RevisionState = z.infer<typeof RevisionStateSchema>;

export const ServiceStateSchema = z.object({
  /** The service's revisions that exist (serving, waiting to be ready, or draining). */
  revisions: z.array(RevisionStateSchema),
});
export type ServiceState = z.infer<typeof ServiceStateSchema>;

export const TrafficTargetSchema = z.object({
  revision: z.string().min(1),
  percent: z.number().int().min(0).max(100),
  tag: z.enum(TRAFFIC_TAGS).nullable().default(null),
});
export type TrafficTarget = z.input<typeof TrafficTargetSchema>;

export const DeployRequestSchema = z.object({
  /** The bundle the new revision serves (its `MODEL_URI`). */
  modelUri: z.string().min(1),
  /** Its traffic share once it is ready; the rest stays with the other revisions, scaled down pro rata. */
  percent: z.number().int().min(0).max(100),
  tag: z.enum(TRAFFIC_TAGS).nullable().default('candidate'),
});
export type DeployRequest = z.input<typeof DeployRequestSchema>;

export interface ServingPlatform {
  /** The `recommend` revisions and their traffic. */
  describe(): Promise<ServiceState>;
  /**
   * A new revision serving `modelUri`. It gets no traffic until ready; then
   * `percent`. Resolves with its name once the platform accepted the change
   * (not when it is ready: watch `describe`).
   */
  deploy(request: DeployRequest): Promise<{ readonly revision: string }>;
  /**
   * Set the whole split; percents sum to 100. A revision left out (or at 0 %
   * without a tag) is drained — no new requests, in-flight ones finish — and
   * removed.
   */
  setTraffic(targets: readonly TrafficTarget[]): Promise<void>;
}
