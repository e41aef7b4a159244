import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveModel } from '../../../lib/artifacts/model-bundle.js';
import { buildTrainSet } from '../../../lib/data/build-train-set.js';
import { aggregateInteractions } from '../../../lib/data/interactions.js';
import { DEFAULT_SCALE } from '../../../lib/data/records.js';
import { generateSynthetic, syntheticRecords } from '../../../lib/data/synthetic.js';
import { popularityRanking } from '../../../lib/models/popularity.js';
import { prepareAlgorithm } from '../../../lib/models/registry.js';

export interface TestBundle {
  /** The bundle folder (holds manifest.json). */
  readonly dir: string;
  readonly version: string;
  /** Known user ids. */
  readonly users: readonly string[];
  /** The movie ids a known user has seen. */
  seenBy(user: string): string[];
  /** The popularity ranking as movie ids, best first. */
  readonly popular: readonly string[];
  remove(): Promise<void>;
}

/** A tiny SVD model trained on a seeded synthetic world (users "1".."60", 80 movies), saved as a real bundle in a temp folder. */
export async function writeTestBundle(): Promise<TestBundle> {
  const root = await mkdtemp(join(tmpdir(), 'movierec-recommend-'));
  const world = generateSynthetic({ seed: 7, users: 60, movies: 80, interactions: 900, ratings: 300 });
  const table = aggregateInteractions(syntheticRecords(world));
  const data = buildTrainSet(table, DEFAULT_SCALE);
  const prepared = prepareAlgorithm('svd', { factors: 4, epochs: 5, seed: 7 });
  const model = await prepared.fit(data.train);
  const published = await saveModel(root, {
    prepared,
    model,
    data,
    snapshot: { sources: ['synthetic'], contentHash: 'synthetic-7' },
    code: { packageVersion: '0.0.0-test', gitCommit: null },
    metrics: {},
    createdAt: new Date('2026-11-26T10:15:00.000Z'),
  });
  const seen = data.train.implicit;
  const movieAt = (m: number) => data.movies.idAt(m);
  return {
    dir: published.store.location,
    version: published.manifest.version,
    users: Array.from({ length: data.users.size }, (_, u) => data.users.idAt(u)),
    seenBy(user) {
      const u = data.users.indexOf(user);
      return Array.from(seen.indices.subarray(seen.indptr[u], seen.indptr[u + 1]), movieAt);
    },
    popular: Array.from(popularityRanking(seen), movieAt),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** Overwrite one parameter blob so its sha256 no longer matches the manifest. */
export async function corruptBundle(dir: string): Promise<void> {
  const blob = (await readdir(dir)).find((name) => name.endsWith('.f32') || name.endsWith('.f64'));
  if (blob === undefined) throw new Error(`no parameter blob in ${dir}`);
  await writeFile(join(dir, blob), Buffer.alloc(16, 0xff));
}
