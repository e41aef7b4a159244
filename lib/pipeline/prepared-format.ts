import { z } from 'zod';
import { BlobEntrySchema } from '../artifacts/manifest.js';

/**
 * A prepared data set (DVC's `prepare` stage, `movierec prepare`): the split
 * a training run fits and scores on, as raw little-endian typed-array files
 * and UTF-8 id lists (the bundle's blob encodings), described by
 * `prepared.json` with the size and sha256 of every file:
 * - the train set's user and movie vocabularies (`user-ids.txt`, `movie-ids.txt`);
 * - its ratings and implicit CSR matrices (`ratings-*`, `implicit-*`);
 * - everything seen in the window, held-out pairs included (`seen-*`), which a bundle keeps for serving;
 * - the held-out set in the train set's index space, -1 for unseen ids (`test-*`).
 */
export const PREPARED_FILE = 'prepared.json';

/** Blob roles and their files. */
export const PREPARED_BLOBS = {
  users: 'user-ids.txt',
  movies: 'movie-ids.txt',
  ratingsIndptr: 'ratings-indptr.i32',
  ratingsIndices: 'ratings-indices.i32',
  ratingsValues: 'ratings-values.f32',
  implicitIndptr: 'implicit-indptr.i32',
  implicitIndices: 'implicit-indices.i32',
  implicitValues: 'implicit-values.f32',
  seenIndptr: 'seen-indptr.i32',
  seenIndices: 'seen-indices.i32',
  seenValues: 'seen-values.f32',
  testUser: 'test-user.i32',
  testMovie: 'test-movie.i32',
  testRating: 'test-rating.f32',
  testMinutes: 'test-minutes.f32',
} as const;
export type PreparedBlob = keyof typeof PREPARED_BLOBS;

export const PreparedManifestSchema = z.object({
  formatVersion: z.literal(1),
  /** Where the data came from: the snapshot's window, segments and content hash. */
  snapshot: z.object({
    window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
    segments: z.array(z.object({ key: z.string().min(1), bytes: z.int().nonnegative(), sha256: z.string() })),
    contentHash: z.string().min(1),
  }),
  /** The split: the newest `validation` share of interactions by time, held out from `holdoutFrom` on. */
  split: z.object({ validation: z.number().min(0).lt(1), holdoutFrom: z.iso.datetime().nullable() }),
  scale: z.object({ min: z.number(), max: z.number() }),
  nUsers: z.int().nonnegative(),
  nMovies: z.int().nonnegative(),
  /** Interactions of the window, train and held-out. */
  nTrain: z.int().nonnegative(),
  nValidation: z.int().nonnegative(),
  /** Mean training rating; null when there is none. */
  globalMean: z.number().nullable(),
  blobs: z.object({
    users: BlobEntrySchema,
    movies: BlobEntrySchema,
    ratingsIndptr: BlobEntrySchema,
    ratingsIndices: BlobEntrySchema,
    ratingsValues: BlobEntrySchema,
    implicitIndptr: BlobEntrySchema,
    implicitIndices: BlobEntrySchema,
    implicitValues: BlobEntrySchema,
    seenIndptr: BlobEntrySchema,
    seenIndices: BlobEntrySchema,
    seenValues: BlobEntrySchema,
    testUser: BlobEntrySchema,
    testMovie: BlobEntrySchema,
    testRating: BlobEntrySchema,
    testMinutes: BlobEntrySchema,
  }),
});
export type PreparedManifest = z.infer<typeof PreparedManifestSchema>;
