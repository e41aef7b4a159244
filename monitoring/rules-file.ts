import { z } from 'zod';

/** The part of a Prometheus rules file the monitoring tests read (alerting rules only). */
export const AlertRuleSchema = z.object({
  alert: z.string().min(1),
  expr: z.string().min(1),
  for: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
});
export type AlertRule = z.infer<typeof AlertRuleSchema>;

export const RulesFileSchema = z.object({
  groups: z.array(z.object({ name: z.string(), interval: z.string().optional(), rules: z.array(AlertRuleSchema) })),
});
export type RulesFile = z.infer<typeof RulesFileSchema>;

/** A promtool unit-test file: which alerts each test expects at which time. */
export const RulesTestsSchema = z.object({
  tests: z.array(
    z.object({
      alert_rule_test: z.array(z.object({ alertname: z.string(), eval_time: z.string(), exp_alerts: z.array(z.unknown()) })).default([]),
    }),
  ),
});
