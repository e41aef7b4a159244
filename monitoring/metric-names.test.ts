// Every metric the Grafana dashboard and the alert rules name is one the functions really expose
// (their handlers' GET /metrics; evaluate's registry as its handler serves it — see test-helpers/exposed-metrics.ts).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { METRIC_NAMES } from '../lib/ops/metrics.js';
import { DashboardSchema, dashboardQueries } from './dashboard-file.js';
import { PROMETHEUS_SERIES, promqlMetricNames } from './promql-names.js';
import { RulesFileSchema } from './rules-file.js';
import { exposedMetricNames } from './test-helpers/exposed-metrics.js';

const HERE = import.meta.dirname;
let exposed: Set<string>;
let byFunction: Awaited<ReturnType<typeof exposedMetricNames>>;

beforeAll(async () => {
  byFunction = await exposedMetricNames();
  exposed = new Set([...Object.values(byFunction).flatMap((names) => [...names]), ...PROMETHEUS_SERIES]);
});

const unknownIn = (exprs: readonly string[]) => [...new Set(exprs.flatMap((expr) => [...promqlMetricNames(expr)]))].filter((name) => !exposed.has(name));

describe('metric names', () => {
  it.each(['ingest', 'train', 'recommend', 'evaluate'] as const)('%s exposes exactly its METRIC_NAMES (lib/ops/metrics.ts) and the default process metrics', (fn) => {
    const families = [...byFunction[fn]].filter((name) => name.startsWith('movierec_') && !/_(bucket|sum|count)$/.test(name));
    expect(families.sort()).toEqual([...METRIC_NAMES[fn]].sort());
    expect([...byFunction[fn]]).toEqual(expect.arrayContaining(['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds']));
  });

  it('every metric the dashboard queries is exposed', async () => {
    const dashboard = DashboardSchema.parse(JSON.parse(await readFile(resolve(HERE, 'grafana/movierec.json'), 'utf8')));
    const exprs = dashboardQueries(dashboard);
    expect(exprs.length).toBeGreaterThanOrEqual(20);
    expect(unknownIn(exprs)).toEqual([]);
  });

  it('every metric the alert rules read is exposed', async () => {
    const rules = RulesFileSchema.parse(parse(await readFile(resolve(HERE, 'prometheus/rules.yml'), 'utf8')));
    const exprs = rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr));
    expect(unknownIn(exprs)).toEqual([]);
  });

  it('would catch a name nobody exposes', () => {
    expect(unknownIn(['rate(movierec_recommend_requests_totl[5m])', 'movierec_model_rmse'])).toEqual(['movierec_recommend_requests_totl']);
  });
});
