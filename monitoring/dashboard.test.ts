// The Grafana dashboard's shape: valid JSON Grafana imports (ids, grid, a Prometheus datasource variable) and
// the panels the project asks for. That its queries name real metrics is metric-names.test.ts; that they parse
// in a real Prometheus is alerting.integration.test.ts.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from './dashboard-file.js';
import { DashboardSchema } from './dashboard-file.js';

let dashboard: Dashboard;
beforeAll(async () => {
  dashboard = DashboardSchema.parse(JSON.parse(await readFile(resolve(import.meta.dirname, 'grafana/movierec.json'), 'utf8')));
});

describe('monitoring/grafana/movierec.json', () => {
  it('has unique panel ids, panels inside the 24-column grid that do not overlap, and a query in every panel', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const { title, type, gridPos, targets } of dashboard.panels) {
      expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${title} overlaps another panel at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
      if (type !== 'row') expect(targets?.length, title).toBeGreaterThan(0);
    }
  });

  it('reads from a Prometheus datasource variable and filters by recommend revision', () => {
    expect(dashboard.templating.list.map((v) => [v.name, v.type])).toEqual([
      ['datasource', 'datasource'],
      ['revision', 'query'],
    ]);
  });

  it.each([
    [/latency/i, 'movierec_recommend_request_duration_seconds_bucket'],
    [/traffic split/i, 'movierec_recommend_requests_total'],
    [/errors/i, 'status=~"5.."'],
    [/online hit rate per revision/i, 'movierec_online_hit_rate'],
    [/RMSE history/i, 'movierec_model_rmse'],
    [/ingest rate/i, 'movierec_ingest_lines_total'],
    [/rejects/i, 'movierec_ingest_rejects_total'],
    [/CPU/i, 'process_cpu_seconds_total'],
    [/memory/i, 'process_resident_memory_bytes'],
  ])('has a panel titled %s querying %s', (title, query) => {
    const panel = dashboard.panels.find((p) => title.test(p.title));
    expect(panel?.targets?.some((t) => t.expr.includes(query))).toBe(true);
  });
});
