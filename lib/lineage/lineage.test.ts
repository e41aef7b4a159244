import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsWriter } from '../events/events-writer.js';
import { FsEventsStorage } from '../events/fs-events-storage.js';
import { dataRecord } from '../events/stored-record.js';
import type { OnlineReport } from '../metrics/online-stats.js';
import type { PipelineRun } from '../pipeline/test-helpers/pipeline-fixtures.js';
import { runSmallPipeline } from '../pipeline/test-helpers/pipeline-fixtures.js';
import { tempDir } from '../training/test-helpers/training-fixtures.js';
import { formatLineage } from './format-lineage.js';
import { traceLineage } from './lineage.js';
import { ONLINE_REPORT_KIND } from './online-reports.js';

let temp: Awaited<ReturnType<typeof tempDir>>;
let run: PipelineRun;
let bundle: string;
let version: string;

const served = (n: number, revision: string, modelVersion: string, at: number, fallback = false) =>
  dataRecord('/movierec/recommend', `${revision}-${n}`, 'served', at, {
    user: String(100 + n),
    movies: ['film+1+2001'],
    modelVersion,
    revision,
    latencyMs: 3,
    fallback,
    servedAt: new Date(at).toISOString(),
  }, at);

function report(at: string, revision: string, modelVersion: string, hitRate: number): OnlineReport {
  const stats = { revision, modelVersion, served: 40, hits: 40 * hitRate, hitRate, watchedMinutes: 300, ratings: 4, meanRating: 4.25, fallbackShare: 0, latencyP50Ms: 2, latencyP95Ms: 7 };
  return { at, from: at, to: at, windowMinutes: 30, revisions: [stats] };
}

beforeAll(async () => {
  temp = await tempDir('lineage');
  run = await runSmallPipeline(temp.dir);
  bundle = run.outcome.path;
  version = run.outcome.bundle.manifest.version;
  const created = Date.parse(run.outcome.bundle.manifest.createdAt);
  const writer = new EventsWriter(run.events);
  await writer.append([
    served(1, 'recommend-00001', version, created + 1_000),
    served(2, 'recommend-00001', version, created + 5_000, true),
    served(3, 'recommend-00002', version, created + 9_000),
    served(4, 'recommend-00002', 'svdpp-20261126T101500.000Z-5e6f7a8b', created + 9_500),
  ]);
  await writer.close();
  // evaluate's online reports (two for recommend-00001: the newer one counts), plus a line that is not one.
  const storage = new FsEventsStorage(join(temp.dir, 'events'));
  const segment = await storage.create(`${ONLINE_REPORT_KIND}/2026-12-04/20261204T100000000Z-abc-000001.jsonl`);
  const line = (at: string, hitRate: number) =>
    `${JSON.stringify({ source: '/movierec/evaluate', id: at, kind: ONLINE_REPORT_KIND, time: Date.parse(at), receivedAt: Date.parse(at), data: report(at, 'recommend-00001', version, hitRate) })}\n`;
  await segment.append(Buffer.from(line('2026-12-04T10:00:00.000Z', 0.25) + line('2026-12-04T11:00:00.000Z', 0.5) + 'not json\n'));
  await segment.close();
});
afterAll(async () => temp.remove());

describe('traceLineage', () => {
  it('reads the chain from the manifest alone: window, segments with their sha256, params, code, offline metrics', async () => {
    const lineage = await traceLineage(bundle);
    expect(lineage.model).toMatchObject({ algorithm: 'svd', version, location: bundle });
    expect(lineage.data.window).toEqual(run.snapshot.window);
    expect(lineage.data.contentHash).toBe(run.snapshot.contentHash);
    expect(lineage.data.segments.map(({ key, bytes, sha256 }) => ({ key, bytes, sha256 }))).toEqual(run.snapshot.segments);
    expect(lineage.data.segments.every((s) => s.status === 'unchecked')).toBe(true);
    expect(lineage.data.check).toBe('unchecked');
    expect(lineage.params).toMatchObject({ factors: 8, epochs: 6, seed: 7 });
    expect(lineage.code).toEqual({ packageVersion: '0.1.0', gitCommit: null, tag: null });
    expect(lineage.offline.rmse).toEqual(expect.any(Number));
    expect(lineage.serving).toBeNull();
    expect(formatLineage(lineage)).toMatch(/served\s+unknown \(pass --events/);
  });

  it('with the events store: verifies every segment, and lists the revisions that served it with their latest online metrics', async () => {
    const lineage = await traceLineage(bundle, { events: run.events, findTag: async () => 'abc1234' });
    expect(lineage.data.check).toBe('verified');
    expect(lineage.data.segments.every((s) => s.status === 'verified' && !s.grown)).toBe(true);
    expect(lineage.code.tag).toBe(`model/svd/${version}`);
    const serving = lineage.serving ?? [];
    expect(serving.map((s) => [s.revision, s.served, s.fallbacks])).toEqual([
      ['recommend-00001', 2, 1],
      ['recommend-00002', 1, 0],
    ]);
    expect(serving[0].online).toMatchObject({ at: '2026-12-04T11:00:00.000Z', stats: { hitRate: 0.5 } });
    expect(serving[1].online).toBeNull();
    const text = formatLineage(lineage);
    expect(text).toMatch(/^model {4}svd-/);
    expect(text.match(/ {2}↓\n/g)).toHaveLength(5);
    expect(text).toMatch(/recommend-00001: 2 answers \(1 fallback\)[\s\S]*→ online: hit rate 0\.5000 of 40/);
    expect(text).toMatch(/recommend-00002: 1 answers[\s\S]*→ online: no online evaluation yet/);
    expect(text).toMatch(/✓ matches the events store/);
  });

  it('tells a segment that grew since (appended to) from one whose bytes changed', async () => {
    const [first, second] = run.snapshot.segments;
    const root = join(temp.dir, 'events');
    await appendFile(join(root, first.key), '\n');
    await writeFile(join(root, second.key), 'rewritten\n');
    const lineage = await traceLineage(bundle, { events: run.events });
    const byKey = new Map(lineage.data.segments.map((s) => [s.key, s]));
    expect(byKey.get(first.key)).toMatchObject({ status: 'verified', grown: true });
    expect(byKey.get(second.key)).toMatchObject({ status: 'changed' });
    expect(lineage.data.check).toBe('changed');
    expect(formatLineage(lineage)).toMatch(/✗ the events store no longer holds these bytes/);
  });

  it('refuses a folder that holds no bundle', async () => {
    await expect(traceLineage(join(temp.dir, 'nothing'))).rejects.toThrow(/no bundle here/);
  });
});
