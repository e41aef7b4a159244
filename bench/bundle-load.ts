import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { blobEntries, MANIFEST_FILE } from '../lib/artifacts/manifest.js';
import { readBundle } from '../lib/artifacts/read-bundle.js';
import { syntheticBundle } from '../lib/artifacts/synthetic-bundle.js';
import { writeBundle } from '../lib/artifacts/write-bundle.js';
import { Vocabulary } from '../lib/data/vocabulary.js';

export interface BundleLoadOptions {
  /** Default: the course stream's size, 1M users × 27k movies × 64 factors, ~10 seen movies per user. */
  readonly nUsers?: number;
  readonly nMovies?: number;
  readonly factors?: number;
  readonly seenPerUser?: number;
  /** How many times to load (default 5); the median is reported. */
  readonly runs?: number;
  readonly seed?: number;
  /** Where progress lines go (default console.log). */
  readonly log?: (line: string) => void;
}

export interface BundleLoadResult {
  readonly writeSeconds: number;
  /** Median over the runs. */
  readonly loadSeconds: number;
  /** Every load, in order. */
  readonly loadRuns: readonly number[];
  /** Bundle size on disk: blobs and manifest. */
  readonly bytes: number;
}

function median(xs: readonly number[]): number {
  const sorted = xs.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Writes a random bundle of the reference size into a temporary folder, loads
 * it (fully verified: schema, sizes, sha256, CSR) several times and reports
 * the write time and the median load time. Loads read a warm page cache.
 */
export async function benchBundleLoad(options: BundleLoadOptions = {}): Promise<BundleLoadResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const runs = options.runs ?? 5;
  const synthetic = syntheticBundle({
    nUsers: options.nUsers ?? 1_000_000,
    nMovies: options.nMovies ?? 27_000,
    factors: options.factors ?? 64,
    seenPerUser: options.seenPerUser ?? 10,
    seed: options.seed ?? 42,
  });
  // Trainers hand over Vocabulary objects (plain arrays would add a duplicate check to the write).
  const input = { ...synthetic, users: Vocabulary.from(synthetic.users), movies: Vocabulary.from(synthetic.movies) };
  const root = await mkdtemp(join(tmpdir(), 'movierec-bench-bundle-'));
  try {
    const dir = join(root, 'models', 'svd', 'bench');
    let started = performance.now();
    const manifest = await writeBundle(dir, input);
    const writeSeconds = (performance.now() - started) / 1000;
    const bytes =
      blobEntries(manifest.blobs).reduce((sum, [, entry]) => sum + entry.bytes, 0) +
      Buffer.byteLength(`${JSON.stringify(manifest, null, 2)}\n`);
    log(`bundle-load write ${writeSeconds.toFixed(3)} s, ${(bytes / 1e6).toFixed(1)} MB (${MANIFEST_FILE} + ${blobEntries(manifest.blobs).length} blobs)`);

    const loadRuns: number[] = [];
    for (let run = 0; run < runs; run++) {
      started = performance.now();
      const loaded = await readBundle(dir);
      const seconds = (performance.now() - started) / 1000;
      loadRuns.push(seconds);
      log(`bundle-load load ${run + 1}/${runs} ${seconds.toFixed(3)} s (${loaded.users.size} users, ${loaded.seen.indices.length} seen)`);
    }
    const loadSeconds = median(loadRuns);
    log(`bundle-load median load ${loadSeconds.toFixed(3)} s`);
    return { writeSeconds, loadSeconds, loadRuns, bytes };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await benchBundleLoad();
}
