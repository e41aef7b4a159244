/**
 * `npm run bench`: every benchmark, printed as one markdown table beside the
 * reference figures (Surprise 1.1.4 on the same ML-100k folds, this machine
 * class, from ../shared/datasets/README.md) and the targets.
 * Timings live here and in the README, never in test assertions.
 */
import { benchBundleLoad } from './bundle-load.js';
import { benchCanary } from './canary.js';
import { benchCourseScale } from './course-scale.js';
import { median, quantile } from './stats.js';
import { benchMl100k } from './ml100k.js';
import { benchTopN } from './top-n.js';

const SURPRISE: Record<string, { rmse: number; mae: number; fit: number }> = {
  baseline: { rmse: 0.9457, mae: 0.7499, fit: 0.04 },
  svd: { rmse: 0.938, mae: 0.739, fit: 0.5 },
  svdpp: { rmse: 0.9218, mae: 0.7238, fit: 14.55 },
};
const TARGETS: Record<string, { rmse: number; fit: number }> = {
  svd: { rmse: 0.938, fit: 0.25 },
  svdpp: { rmse: 0.923, fit: 1.455 },
};

const rows: string[][] = [];
const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');

const log = (line: string): void => console.error(line);
for (const row of await benchMl100k({ log })) {
  const ref = SURPRISE[row.algorithm];
  const target = TARGETS[row.algorithm];
  rows.push([
    `ML-100k u1–u5, ${row.algorithm}`,
    `RMSE ${row.rmse.toFixed(4)}, MAE ${row.mae.toFixed(4)}, fit ${row.fitSeconds.toFixed(3)} s/fold`,
    ref ? `RMSE ${ref.rmse.toFixed(4)}, MAE ${ref.mae.toFixed(4)}, fit ${ref.fit} s/fold` : '',
    target
      ? `RMSE ≤ ${target.rmse}, fit ≤ ${target.fit} s: ${verdict(row.rmse <= target.rmse && row.fitSeconds <= target.fit)}`
      : '—',
  ]);
}

log('top-n: building a 1M × 27k × 64 model …');
const topN = benchTopN();
rows.push([`top-20, ${topN.shape} SVD`, `median ${topN.medianMs.toFixed(2)} ms, p99 ${topN.p99Ms.toFixed(2)} ms`, '', `median ≤ 2 ms: ${verdict(topN.medianMs <= 2)}`]);

log('bundle-load: writing and loading a 1M × 27k × 64 bundle …');
const load = await benchBundleLoad();
rows.push([
  `bundle load, ${load.shape} (${(load.bytes / 1e6).toFixed(0)} MB)`,
  `read + verify ${load.readSeconds.toFixed(2)} s; ready to serve ${load.serveSeconds.toFixed(2)} s; write ${load.writeSeconds.toFixed(2)} s`,
  '',
  `< 2 s: ${verdict(load.serveSeconds < 2)}`,
]);

for (const algorithm of ['svd', 'svdpp'] as const) {
  log(`course-scale: ${algorithm} on 1M users × 27k movies × 10M watches × 1M ratings …`);
  const r = benchCourseScale(algorithm);
  const target = algorithm === 'svd' ? `≤ 60 s, ≤ 4 GB: ${verdict(r.fitSeconds <= 60 && r.peakRssMb <= 4096)}` : 'report';
  rows.push([
    `course scale, ${algorithm} (${r.params.factors} factors, ${r.params.epochs} epochs)`,
    `fit ${r.fitSeconds.toFixed(1)} s, peak RSS ${(r.peakRssMb / 1024).toFixed(2)} GB (data ${r.generateSeconds.toFixed(1)} s + CSR ${r.buildSeconds.toFixed(1)} s)`,
    '',
    target,
  ]);
}

log('canary: 200 seeded trials per scenario in the simulated world …');
for (const r of benchCanary()) {
  const share = r.right / r.trials;
  const worst = Math.max(...r.candidateServed);
  rows.push([
    `canary, ${r.scenario.name} (${r.scenario.champion} → ${r.scenario.candidate}), right = ${r.scenario.right}`,
    `right ${(100 * share).toFixed(1)} %, candidate served at decision median ${median(r.candidateServed).toFixed(0)}, p90 ${quantile(r.candidateServed, 0.9).toFixed(0)}, max ${worst}`,
    '',
    `right ≥ 95 %, ≤ 2000 per side: ${verdict(share >= 0.95 && worst <= 2000 && r.candidateServed.length === r.trials)}`,
  ]);
}

console.log('| benchmark | movierec | Surprise (reference) | target |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
