// Every metric the Grafana dashboard and the alert rules name is one the functions really expose
// (their handlers' GET /metrics; evaluate's from COMMON.md until merge — see test-helpers/exposed-metrics.ts).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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
  it('the functions expose the contract names and the default process metrics', () => {
    expect([...byFunction.recommend]).toEqual(
      expect.arrayContaining(['movierec_recommend_request_duration_seconds_bucket', 'movierec_recommend_requests_total', 'movierec_recommend_fallback_total', 'movierec_model_created_timestamp_seconds']),
    );
    expect([...byFunction.ingest]).toEqual(
      expect.arrayContaining(['movierec_ingest_lines_total', 'movierec_ingest_rejects_total', 'movierec_ingest_commit_duration_seconds_bucket', 'movierec_ingest_last_stored_timestamp_seconds', 'movierec_ingest_lag_seconds']),
    );
    expect([...byFunction.train]).toEqual(
      expect.arrayContaining(['movierec_train_runs_total', 'movierec_train_duration_seconds_bucket', 'movierec_train_last_success_timestamp_seconds', 'movierec_model_rmse', 'movierec_model_ndcg_at_20', 'movierec_model_hit_rate_at_20']),
    );
    for (const names of [byFunction.ingest, byFunction.train, byFunction.recommend]) {
      expect([...names]).toEqual(expect.arrayContaining(['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds']));
    }
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
