import type { TrainData } from '../data/build-train-set.js';
import type { Csr } from '../data/csr.js';
import type { CodeVersion, DataSnapshot, Manifest } from './manifest.js';
import type { Model } from '../models/model.js';
import type { PreparedAlgorithm } from '../models/registry.js';
import { prepareAlgorithm } from '../models/registry.js';
import { popularityRanking } from '../models/popularity.js';
import type { Recommender } from '../models/top-n.js';
import { createRecommender } from '../models/top-n.js';
import { BundleError } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import type { PublishedBundle } from './bundle-catalog.js';
import { publishBundle } from './bundle-catalog.js';
import type { LoadedBundle } from './read-bundle.js';
import { readBundle } from './read-bundle.js';
import type { BundleInput } from './write-bundle.js';

export interface SaveModelInput {
  readonly prepared: PreparedAlgorithm;
  readonly model: Model;
  /** The training data the model was fitted on: its vocabularies and what each user has seen. */
  readonly data: TrainData;
  /** What each user has seen, for serving to exclude; defaults to the training interactions. */
  readonly seen?: Csr;
  readonly snapshot: Omit<DataSnapshot, 'counts'>;
  readonly code: CodeVersion;
  readonly metrics: Record<string, number | null>;
  readonly createdAt?: Date;
}

/** The bundle input for a fitted model: parameters, vocabularies, seen movies and the popularity fallback. */
export function bundleInput(input: SaveModelInput): BundleInput {
  const { train, users, movies } = input.data;
  return {
    algorithm: input.prepared.algorithm,
    params: { ...input.prepared.params },
    shape: input.model.shape,
    data: {
      ...input.snapshot,
      counts: {
        users: train.nUsers,
        movies: train.nMovies,
        ratings: train.ratings.indptr[train.nUsers],
        interactions: train.implicit.indptr[train.nUsers],
      },
    },
    code: input.code,
    metrics: input.metrics,
    arrays: input.model.parameters(),
    users,
    movies,
    seen: input.seen ?? train.implicit,
    popularity: popularityRanking(train.implicit),
    createdAt: input.createdAt,
  };
}

/** Publish a fitted model under the models root as `<algorithm>/<version>/`. */
export function saveModel(root: string | BlobStore, input: SaveModelInput): Promise<PublishedBundle> {
  return publishBundle(root, bundleInput(input));
}

/** A model as served: raw ids in, raw ids out. */
export interface ServingModel {
  readonly manifest: Manifest;
  readonly location: string;
  readonly model: Model;
  /** Up to n movie ids for a raw user id, best first, unseen ones only; `fallback` for users the model does not know. */
  recommend(userId: string, n: number): { readonly movies: string[]; readonly fallback: boolean };
}

/** Turn a verified bundle into a model that answers by raw id. */
export function servingModel(bundle: LoadedBundle): ServingModel {
  const { manifest } = bundle;
  let model: Model;
  try {
    model = prepareAlgorithm(manifest.algorithm, manifest.params).restore(bundle.arrays, manifest.shape);
  } catch (error) {
    const what = error instanceof Error ? error.message : String(error);
    throw new BundleError(bundle.location, `cannot rebuild the ${manifest.algorithm} model: ${what}`, { cause: error });
  }
  const recommender: Recommender = createRecommender(model, { seen: bundle.seen, popularity: bundle.popularity });
  const movies = bundle.movies;
  return {
    manifest,
    location: bundle.location,
    model,
    recommend(userId, n) {
      const top = recommender(bundle.users.indexOf(userId), n);
      const ids = new Array<string>(top.movies.length);
      for (let j = 0; j < top.movies.length; j++) ids[j] = movies.idAt(top.movies[j]);
      return { movies: ids, fallback: top.fallback };
    },
  };
}

/** Read, verify and rebuild the bundle at `target` (a folder, or a store rooted at the bundle). */
export async function loadServingModel(target: string | BlobStore): Promise<ServingModel> {
  return servingModel(await readBundle(target));
}
