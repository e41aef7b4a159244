import { z } from 'zod';

/**
 * The two Prometheus Operator kinds of `knative/base/monitoring`
 * (monitoring.coreos.com/v1), from the operator's API reference: a
 * PrometheusRule's rule groups and a PodMonitor's selector and endpoints.
 * Only the fields movierec uses are allowed (strict objects catch typos).
 */

const Metadata = z.looseObject({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a DNS-1123 name'),
  namespace: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const PromDuration = z.string().regex(/^(\d+(ms|s|m|h|d|w|y))+$/, 'a Prometheus duration such as 5m');

export const RuleSchema = z
  .strictObject({
    alert: z.string().min(1).optional(),
    record: z.string().min(1).optional(),
    expr: z.union([z.string().min(1), z.number()]),
    for: PromDuration.optional(),
    keep_firing_for: PromDuration.optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .refine((rule) => (rule.alert === undefined) !== (rule.record === undefined), { error: 'a rule is an alert or a record, not both' });

export const RuleGroupSchema = z.strictObject({
  name: z.string().min(1),
  interval: PromDuration.optional(),
  limit: z.number().int().min(0).optional(),
  rules: z.array(RuleSchema),
});

export const PrometheusRuleSchema = z.strictObject({
  apiVersion: z.literal('monitoring.coreos.com/v1'),
  kind: z.literal('PrometheusRule'),
  metadata: Metadata,
  spec: z.strictObject({ groups: z.array(RuleGroupSchema) }),
});

const LabelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(z.strictObject({ key: z.string().min(1), operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: z.array(z.string()).optional() }))
    .optional(),
});

const Relabeling = z.strictObject({
  sourceLabels: z.array(z.string().min(1)).optional(),
  separator: z.string().optional(),
  targetLabel: z.string().min(1).optional(),
  regex: z.string().optional(),
  replacement: z.string().optional(),
  action: z.enum(['replace', 'keep', 'drop', 'labelmap', 'labeldrop', 'labelkeep', 'hashmod', 'lowercase', 'uppercase']).optional(),
});

export const PodMonitorSchema = z.strictObject({
  apiVersion: z.literal('monitoring.coreos.com/v1'),
  kind: z.literal('PodMonitor'),
  metadata: Metadata,
  spec: z.strictObject({
    selector: LabelSelector,
    namespaceSelector: z.strictObject({ any: z.boolean().optional(), matchNames: z.array(z.string()).optional() }).optional(),
    podMetricsEndpoints: z
      .array(
        z.strictObject({
          port: z.string().min(1).optional(),
          path: z.string().startsWith('/').optional(),
          scheme: z.enum(['http', 'https']).optional(),
          interval: PromDuration.optional(),
          scrapeTimeout: PromDuration.optional(),
          relabelings: z.array(Relabeling).optional(),
          metricRelabelings: z.array(Relabeling).optional(),
        }),
      )
      .min(1),
  }),
});
