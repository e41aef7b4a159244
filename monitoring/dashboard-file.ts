import { z } from 'zod';

/** The parts of a Grafana dashboard JSON (schemaVersion 39) the monitoring tests read. */
const TargetSchema = z.looseObject({ refId: z.string(), expr: z.string().min(1), legendFormat: z.string().optional() });

const PanelSchema = z.looseObject({
  id: z.number().int(),
  type: z.string(),
  title: z.string().min(1),
  gridPos: z.object({ h: z.number(), w: z.number(), x: z.number(), y: z.number() }),
  targets: z.array(TargetSchema).optional(),
});
export type Panel = z.infer<typeof PanelSchema>;

export const DashboardSchema = z.looseObject({
  uid: z.string().min(1),
  title: z.string().min(1),
  schemaVersion: z.number().int(),
  panels: z.array(PanelSchema),
  templating: z.object({ list: z.array(z.looseObject({ name: z.string(), type: z.string(), query: z.unknown().optional() })) }),
  annotations: z.object({ list: z.array(z.looseObject({ name: z.string(), expr: z.string().optional() })) }).optional(),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

/** Every PromQL expression the dashboard runs: panel targets, query variables and annotations. */
export function dashboardQueries(dashboard: Dashboard): string[] {
  const targets = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
  const variables = dashboard.templating.list.flatMap((variable) => {
    const query = z.object({ query: z.string() }).safeParse(variable.query);
    const text = query.success ? query.data.query : typeof variable.query === 'string' && variable.type === 'query' ? variable.query : undefined;
    const labelValues = text === undefined ? null : /^label_values\(\s*(.+),\s*\w+\s*\)$/.exec(text);
    return labelValues === null ? [] : [labelValues[1]];
  });
  const annotations = (dashboard.annotations?.list ?? []).flatMap((annotation) => (annotation.expr === undefined ? [] : [annotation.expr]));
  return [...targets, ...variables, ...annotations];
}
