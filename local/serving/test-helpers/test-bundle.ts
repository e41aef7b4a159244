import { saveModel } from '../../../lib/artifacts/model-bundle.js';
import { buildTrainSet } from '../../../lib/data/build-train-set.js';
import { aggregateInteractions } from '../../../lib/data/interactions.js';
import { DEFAULT_SCALE } from '../../../lib/data/records.js';
import { generateSynthetic, syntheticRecords } from '../../../lib/data/synthetic.js';
import { prepareAlgorithm } from '../../../lib/models/registry.js';

export interface TinyBundle {
  /** The bundle folder (holds manifest.json). */
  readonly dir: string;
  readonly version: string;
}

/**
 * A small SVD trained on a seeded synthetic world (users "1".."60", 80
 * movies) and saved as a real bundle under `root`; `seed` changes the world
 * and the version.
 */
export async function trainTinyBundle(root: string, seed: number): Promise<TinyBundle> {
  const world = generateSynthetic({ seed, users: 60, movies: 80, interactions: 900, ratings: 300 });
  const data = buildTrainSet(aggregateInteractions(syntheticRecords(world)), DEFAULT_SCALE);
  const prepared = prepareAlgorithm('svd', { factors: 4, epochs: 5, seed });
  const model = await prepared.fit(data.train);
  const published = await saveModel(root, {
    prepared,
    model,
    data,
    snapshot: { sources: ['synthetic'], contentHash: `synthetic-${seed}` },
    code: { packageVersion: '0.0.0-test', gitCommit: null },
    metrics: {},
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seed)),
  });
  return { dir: published.store.location, version: published.manifest.version };
}
