import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import S3rver from 's3rver';
import { publishBundle } from '../lib/artifacts/bundle-catalog.js';
import { blobEntries } from '../lib/artifacts/manifest.js';
import { readBundle } from '../lib/artifacts/read-bundle.js';
import type { S3Settings } from '../lib/artifacts/s3-client.js';
import { S3BlobStore } from '../lib/artifacts/s3-blob-store.js';
import { EventsWriter } from '../lib/events/events-writer.js';
import { S3EventsStorage } from '../lib/events/s3-events-storage.js';
import { courseRecord } from '../lib/events/stored-record.js';
import { parseLine } from '../lib/stream/parse-line.js';
import { randomBundleInput, randomSvd } from './random-model.js';
import { isMain, median } from './stats.js';

export interface S3StoreResult {
  readonly shape: string;
  readonly bytes: number;
  readonly writeSeconds: number;
  readonly readSeconds: number;
  readonly events: number;
  readonly concurrency: number;
  readonly eventsPerSecond: number;
  /** Parts (PUTs) the events took: one per group commit per (kind, day). */
  readonly parts: number;
}

/**
 * Object storage over the S3 API against s3rver on 127.0.0.1 (s3rver
 * writes every object to a local folder, so this measures the adapter,
 * HTTP and signing, not a network): publish and read back a mid-size SVD
 * bundle, then append course watch events through EventsWriter with
 * `concurrency` appends in flight.
 */
export async function benchS3Store(options: { nUsers?: number; nMovies?: number; events?: number; concurrency?: number } = {}): Promise<S3StoreResult> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const directory = await mkdtemp(join(tmpdir(), 'movierec-bench-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: 'bench', configs: [] }] });
  const address: AddressInfo = await server.run();
  const settings: S3Settings = {
    endpoint: `http://127.0.0.1:${address.port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
  try {
    const random = randomSvd({ nUsers: options.nUsers ?? 100_000, nMovies: options.nMovies ?? 10_000, factors: 64, seenPerUser: 10 });
    const users = Array.from({ length: random.model.shape.nUsers }, (_, u) => String(100_000 + u * 3));
    let started = performance.now();
    const published = await publishBundle(new S3BlobStore('s3://bench/models', settings), randomBundleInput(random, users));
    const writeSeconds = (performance.now() - started) / 1000;
    const bytes = blobEntries(published.manifest.blobs).reduce((sum, [, entry]) => sum + entry.bytes, 0);
    const reads: number[] = [];
    for (let run = 0; run < 3; run++) {
      started = performance.now();
      await readBundle(published.store);
      reads.push((performance.now() - started) / 1000);
    }

    const total = options.events ?? 20_000;
    const concurrency = options.concurrency ?? 64;
    const storage = new S3EventsStorage('s3://bench/events', settings);
    const writer = new EventsWriter(storage, { writerId: 'be0c' });
    const base = Date.parse('2022-03-18T06:00:00Z');
    const record = (n: number) => {
      const parsed = parseLine(`${new Date(base + n).toISOString().slice(0, -1)},${1000 + (n % 5000)},GET /data/m/movie+${n % 900}+1999/${n % 90}.mpg`);
      if (!parsed.ok) throw new Error(parsed.detail);
      return courseRecord('/bench', `offset:${n}`, parsed.event, Date.now());
    };
    let next = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) await writer.append([record(next++)]);
      }),
    );
    const eventsSeconds = (performance.now() - started) / 1000;
    const parts = writer.stats().commits;
    await writer.close();
    await storage.settled();
    return { shape: random.shape, bytes, writeSeconds, readSeconds: median(reads), events: total, concurrency, eventsPerSecond: total / eventsSeconds, parts };
  } finally {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const r = await benchS3Store();
  console.log(
    `s3rver bundle ${r.shape}: ${(r.bytes / 1e6).toFixed(0)} MB, publish ${r.writeSeconds.toFixed(2)} s, read+verify ${r.readSeconds.toFixed(2)} s (median of 3)\n` +
      `s3rver events: ${r.events} watch records, ${r.concurrency} appends in flight: ${r.eventsPerSecond.toFixed(0)} records/s durable, ${r.parts} parts (${(r.events / r.parts).toFixed(1)} records per PUT)`,
  );
}
