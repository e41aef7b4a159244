import { z } from 'zod';

/**
 * The parts of Knative Serving v1 objects the Knative adapter reads, as the
 * API reference documents them (serving.knative.dev/v1 Service, Revision,
 * TrafficTarget; Kubernetes ObjectMeta and conditions). Unknown fields pass
 * through: the adapter sends back what it does not own untouched.
 */

export const ConditionSchema = z.object({
  type: z.string(),
  /** `True`, `False` or `Unknown`. */
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;

const ObjectMetaSchema = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().optional(),
  resourceVersion: z.string().optional(),
  creationTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** A traffic target in `spec.traffic` or `status.traffic`. */
export const KnativeTrafficTargetSchema = z.object({
  revisionName: z.string().optional(),
  configurationName: z.string().optional(),
  latestRevision: z.boolean().optional(),
  percent: z.number().int().min(0).max(100).optional(),
  tag: z.string().optional(),
  url: z.string().optional(),
});
export type KnativeTrafficTarget = z.infer<typeof KnativeTrafficTargetSchema>;

const EnvVarSchema = z.looseObject({ name: z.string(), value: z.string().optional() });
export const ContainerSchema = z.looseObject({
  name: z.string().optional(),
  image: z.string().optional(),
  env: z.array(EnvVarSchema).optional(),
});
export type Container = z.infer<typeof ContainerSchema>;

export const KnativeServiceSchema = z.object({
  apiVersion: z.literal('serving.knative.dev/v1'),
  kind: z.literal('Service'),
  metadata: ObjectMetaSchema,
  spec: z.looseObject({
    template: z.looseObject({
      metadata: z.looseObject({ name: z.string().optional(), annotations: z.record(z.string(), z.string()).optional() }).optional(),
      spec: z.looseObject({ containers: z.array(ContainerSchema).min(1) }),
    }),
    traffic: z.array(KnativeTrafficTargetSchema).optional(),
  }),
  status: z
    .looseObject({
      observedGeneration: z.number().optional(),
      conditions: z.array(ConditionSchema).optional(),
      latestCreatedRevisionName: z.string().optional(),
      latestReadyRevisionName: z.string().optional(),
      traffic: z.array(KnativeTrafficTargetSchema).optional(),
    })
    .optional(),
});
export type KnativeService = z.infer<typeof KnativeServiceSchema>;

export const KnativeRevisionSchema = z.object({
  metadata: ObjectMetaSchema,
  spec: z.looseObject({ containers: z.array(ContainerSchema).min(1) }),
  status: z.looseObject({ conditions: z.array(ConditionSchema).optional() }).optional(),
});
export type KnativeRevision = z.infer<typeof KnativeRevisionSchema>;

export const KnativeRevisionListSchema = z.object({
  apiVersion: z.literal('serving.knative.dev/v1'),
  kind: z.literal('RevisionList'),
  items: z.array(KnativeRevisionSchema),
});

/** The annotations movierec puts on a revision's template. */
export const MODEL_URI_ANNOTATION = 'movierec.io/model-uri';
export const MODEL_VERSION_ANNOTATION = 'movierec.io/model-version';
export const MODEL_URI_ENV = 'MODEL_URI';

/** The `Ready` condition's status: `True`, `False`, or `Unknown` when absent. */
export function readyStatus(conditions: readonly Condition[] | undefined): string {
  return conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
}

/** `MODEL_URI` of the first container that sets it. */
export function modelUriOf(containers: readonly Container[]): string | undefined {
  for (const container of containers) {
    const value = container.env?.find((e) => e.name === MODEL_URI_ENV)?.value;
    if (value !== undefined) return value;
  }
  return undefined;
}
