import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../lib/ops/logger.js';
import { BENCH_USERS, startBenchServing, writeCourseishBundle } from './ingress.js';
import { isMain, median } from './stats.js';

/**
 * A new `recommend` revision's cold start: from `deploy()` of a 100k-user ×
 * 27k-movie × 64-factor bundle to the revision ready (process spawned under
 * the functions-framework CLI, bundle read and verified, model rebuilt,
 * `/healthz` 200, traffic switched). Each run deploys at 100 % and waits for
 * the previous revision to drain before the next.
 * `node dist/bench/cold-start.js [--runs N]`.
 */

export interface ColdStartResult {
  readonly users: number;
  readonly runs: number;
  readonly medianSeconds: number;
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

export async function benchColdStart(options: { readonly runs?: number } = {}): Promise<ColdStartResult> {
  const root = await mkdtemp(join(tmpdir(), 'movierec-bench-cold-'));
  const logger = createLogger({ out: process.stderr, level: 'WARNING' });
  const bench = await startBenchServing(join(root, 'data'), logger);
  try {
    const modelUri = await writeCourseishBundle(root);
    const runs = options.runs ?? 5;
    const seconds: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const { revision } = await bench.serving.platform.deploy({ modelUri, percent: 100, tag: 'champion' });
      const phase = await bench.serving.platform.settled(revision);
      const elapsed = (performance.now() - started) / 1000;
      if (phase !== 'ready') throw new Error(`${revision} settled ${phase}`);
      seconds.push(elapsed);
      console.error(`cold-start: ${revision} ready in ${elapsed.toFixed(3)} s`);
      // Let the previous revision drain and exit before the next measurement.
      while (bench.serving.status().revisions.length > 1) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { users: BENCH_USERS, runs, medianSeconds: median(seconds), minSeconds: Math.min(...seconds), maxSeconds: Math.max(...seconds) };
  } finally {
    await bench.close();
    await rm(root, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const at = process.argv.indexOf('--runs');
  const runs = at < 0 ? 5 : Math.max(1, Number(process.argv[at + 1]) || 5);
  const r = await benchColdStart({ runs });
  console.log('| bench | result | target |');
  console.log('|---|---|---|');
  console.log(
    `| cold start, deploy() → ready, ${r.users} users × 27000 × 64 (${r.runs} runs) | median ${r.medianSeconds.toFixed(2)} s ` +
      `(min ${r.minSeconds.toFixed(2)}, max ${r.maxSeconds.toFixed(2)}) | ≤ 2 s: ${r.medianSeconds <= 2 ? 'met' : '**missed**'} |`,
  );
}
