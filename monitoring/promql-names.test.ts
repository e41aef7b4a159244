import { describe, expect, it } from 'vitest';
import { promqlMetricNames } from './promql-names.js';

describe('promqlMetricNames', () => {
  it.each([
    ['up', ['up']],
    [
      'histogram_quantile(0.95, sum by (revision, le) (rate(movierec_recommend_request_duration_seconds_bucket{status="200",revision=~"$revision"}[$__rate_interval])))',
      ['movierec_recommend_request_duration_seconds_bucket'],
    ],
    [
      'sum by (revision) (rate(a_total{status=~"5.."}[5m])) / ignoring(status) group_left sum(rate(b_total[5m])) > 0.01',
      ['a_total', 'b_total'],
    ],
    ['max(x{tag="champion"}) < 0.8 * max(x{tag="champion"} offset 1d)', ['x']],
    ['(sum(increase(y{outcome="stored", kind!="dead_letter"}[15m])) or vector(0)) == 0', ['y']],
    ['time() - max by (revision) (z) > 3 * 86400 and 1e3 < Inf', ['z']],
    ['label_replace(w, "dst", "$1", "src", "(.*)")', ['w']],
    ['rate(process_cpu_seconds_total{function="${fn}"}[1m:10s])', ['process_cpu_seconds_total']],
  ])('%s', (expr, names) => {
    expect([...promqlMetricNames(expr)].sort()).toEqual(names);
  });
});
