import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyntheticInput } from '../../data/synthetic-options.js';
import type { SyntheticWorld } from '../../data/synthetic.js';
import { generateSynthetic, syntheticRecords } from '../../data/synthetic.js';
import { EventsWriter } from '../../events/events-writer.js';
import { FsEventsStorage } from '../../events/fs-events-storage.js';
import { courseRecord } from '../../events/stored-record.js';
import type { CourseRecord } from '../../events/stored-record.js';
import { parseLine } from '../../stream/parse-line.js';
import { recordLine } from '../../stream/record-line.js';

export const KAFKA_SOURCE = '/apis/v1/namespaces/movierec/kafkasources/movielog#movielog';
export const DAY_MS = 86_400_000;

/** A fresh folder under the OS temp dir and a function that removes it. */
export async function tempDir(prefix: string): Promise<{ readonly dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `movierec-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A small seeded world (users "1".., movies "film+<n>+<year>") whose events fall in [start, start + days). */
export function smallWorld(start: number, overrides: SyntheticInput = {}): SyntheticWorld {
  return generateSynthetic({ seed: 11, users: 80, movies: 60, interactions: 1200, ratings: 500, start, days: 4, ...overrides });
}

/**
 * The world's events as the events store keeps them: each a course log line
 * (formatLine's canonical spelling, whole milliseconds) stored as ingest
 * stores a KafkaSource record.
 */
export function courseRecords(world: SyntheticWorld): CourseRecord[] {
  return syntheticRecords(world).map((record, offset) => {
    const line = recordLine({ ...record, time: Math.floor(record.time) });
    const parsed = parseLine(line, { scale: world.options.scale });
    if (!parsed.ok) throw new Error(`synthetic line rejected (${parsed.reason}): ${line}`);
    return courseRecord(KAFKA_SOURCE, `partition:0/offset:${offset}`, parsed.event, parsed.event.time);
  });
}

/** Write the world into an events store at `root` through EventsWriter; answers the records stored. */
export async function writeWorld(root: string, world: SyntheticWorld): Promise<number> {
  const writer = new EventsWriter(new FsEventsStorage(root));
  try {
    const { stored } = await writer.append(courseRecords(world));
    return stored;
  } finally {
    await writer.close();
  }
}

/** A params.yaml sized for tests: few factors and epochs, the evaluate section kept. */
export function testParamsYaml(train: Record<string, string> = {}): string {
  const fields = {
    algorithms: '[svd, svdpp]',
    window_days: '14',
    validation: '0.2',
    seed: '7',
    k: '10',
    min_interactions: '200',
    new_data_threshold: '1000',
    ...train,
  };
  return [
    'train:',
    ...Object.entries(fields).map(([key, value]) => `  ${key}: ${value}`),
    '  scale: {min: 1, max: 5}',
    'algorithms:',
    '  svd: {factors: 8, epochs: 6}',
    '  svdpp: {factors: 4, epochs: 3}',
    'evaluate:',
    '  gate: {rmse_margin: 0.01, ndcg_margin: 0.01, min_ratings: 50}',
    '',
  ].join('\n');
}

export async function writeTestParams(dir: string, train: Record<string, string> = {}): Promise<string> {
  const file = join(dir, 'params.yaml');
  await writeFile(file, testParamsYaml(train));
  return file;
}
