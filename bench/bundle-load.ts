import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { blobEntries } from '../lib/artifacts/manifest.js';
import { loadServingModel } from '../lib/artifacts/model-bundle.js';
import { readBundle } from '../lib/artifacts/read-bundle.js';
import { writeBundle } from '../lib/artifacts/write-bundle.js';
import type { RandomModelOptions } from './random-model.js';
import { randomBundleInput, randomSvd } from './random-model.js';
import { isMain, median } from './stats.js';

export interface BundleLoadResult {
  readonly shape: string;
  readonly bytes: number;
  readonly writeSeconds: number;
  /** Median seconds to read and verify every blob (schema, sizes, sha256, CSR). */
  readonly readSeconds: number;
  /** Median seconds from folder to a model answering by raw id: read, verify, restore, build the recommender. */
  readonly serveSeconds: number;
}

/**
 * Write a served-size SVD bundle (1M users × 27k movies × 64 factors, 10M
 * seen entries) to a temporary folder, then load it several times: warm page
 * cache, as a new revision starting on a node that already pulled it.
 */
export async function benchBundleLoad(options: RandomModelOptions & { readonly runs?: number } = {}): Promise<BundleLoadResult> {
  const random = randomSvd(options);
  const { model, shape } = random;
  const users = Array.from({ length: model.shape.nUsers }, (_, u) => String(100_000 + u * 3));
  const root = await mkdtemp(join(tmpdir(), 'movierec-bench-bundle-'));
  try {
    const dir = join(root, 'svd', 'bench');
    let started = performance.now();
    const manifest = await writeBundle(dir, randomBundleInput(random, users));
    const writeSeconds = (performance.now() - started) / 1000;
    const bytes = blobEntries(manifest.blobs).reduce((sum, [, entry]) => sum + entry.bytes, 0);
    const runs = options.runs ?? 5;
    const reads: number[] = [];
    const serves: number[] = [];
    for (let run = 0; run < runs; run++) {
      started = performance.now();
      await readBundle(dir);
      reads.push((performance.now() - started) / 1000);
      started = performance.now();
      const serving = await loadServingModel(dir);
      serving.recommend(users[0], 20);
      serves.push((performance.now() - started) / 1000);
    }
    return { shape, bytes, writeSeconds, readSeconds: median(reads), serveSeconds: median(serves) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const r = await benchBundleLoad();
  console.log(
    `bundle ${r.shape}: ${(r.bytes / 1e6).toFixed(0)} MB, write ${r.writeSeconds.toFixed(2)} s, ` +
      `read+verify ${r.readSeconds.toFixed(2)} s, ready to serve ${r.serveSeconds.toFixed(2)} s (medians)`,
  );
}
