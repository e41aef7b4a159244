import { z } from 'zod';
import { BundleError, formatIssues } from '../errors.js';
import { ALGORITHMS } from '../models/model.js';

/**
 * The bundle manifest (`manifest.json`): what the model is, what it was
 * trained on and with, how well it did offline, and every blob with its
 * dtype, size and sha256. A reader trusts nothing in a bundle that the
 * manifest does not vouch for.
 */
export const FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export const DTYPES = ['float32', 'float64', 'int32', 'utf8-lines'] as const;
export type Dtype = (typeof DTYPES)[number];
export const NUMERIC_DTYPES = ['float32', 'float64', 'int32'] as const;
export type NumericDtype = (typeof NUMERIC_DTYPES)[number];
export function isNumericDtype(dtype: Dtype): dtype is NumericDtype {
  return (NUMERIC_DTYPES as readonly string[]).includes(dtype);
}
export const BYTES_PER_ELEMENT: Readonly<Record<NumericDtype, number>> = { float32: 4, float64: 8, int32: 4 };

/** Parameter names: they become file names, so letters, digits and `_` only. */
export const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** `<algorithm>-<UTC yyyymmddThhmmss.mmmZ>-<8 hex>`: sorts by creation time within an algorithm. */
export const VERSION_PATTERN = /^[a-z]+-\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{8}$/;

const count = z.int().nonnegative();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits');
const fileName = z
  .string()
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a plain file name (letters, digits, ., _, -)');

const blobFields = { file: fileName, length: count, bytes: count, sha256 };

function checkSize(blob: { dtype: Dtype; length: number; bytes: number }, ctx: z.core.$RefinementCtx<unknown>): void {
  if (isNumericDtype(blob.dtype) && blob.bytes !== blob.length * BYTES_PER_ELEMENT[blob.dtype]) {
    ctx.addIssue({ code: 'custom', path: ['bytes'], message: `${blob.bytes} bytes do not hold ${blob.length} ${blob.dtype} values` });
  }
}

export const BlobEntrySchema = z.object({ ...blobFields, dtype: z.enum(DTYPES) }).superRefine(checkSize);
const ParamBlobSchema = z.object({ ...blobFields, dtype: z.enum(NUMERIC_DTYPES) }).superRefine(checkSize);
const LinesBlobSchema = z.object({ ...blobFields, dtype: z.literal('utf8-lines') });
const Int32BlobSchema = z.object({ ...blobFields, dtype: z.literal('int32') }).superRefine(checkSize);
const Float32BlobSchema = z.object({ ...blobFields, dtype: z.literal('float32') }).superRefine(checkSize);
export type BlobEntry = z.infer<typeof BlobEntrySchema>;

export const BundleBlobsSchema = z
  .object({
    params: z.record(z.string().regex(PARAM_NAME, 'invalid parameter name'), ParamBlobSchema),
    users: LinesBlobSchema,
    movies: LinesBlobSchema,
    seenIndptr: Int32BlobSchema,
    seenIndices: Int32BlobSchema,
    seenValues: Float32BlobSchema,
    popularity: Int32BlobSchema,
  })
  .superRefine((blobs, ctx) => {
    const owner = new Map<string, string>();
    for (const [role, entry] of blobEntries(blobs)) {
      const other = owner.get(entry.file);
      if (other !== undefined) {
        ctx.addIssue({ code: 'custom', path: [...role.split('.'), 'file'], message: `${entry.file} is also ${other}` });
      }
      owner.set(entry.file, role);
    }
  });
export type BundleBlobs = z.infer<typeof BundleBlobsSchema>;

/** Every blob of a bundle with its role (`users`, `params.qi`, …), fixed blobs first, then parameters by name. */
export function blobEntries(blobs: BundleBlobs): Array<[string, BlobEntry]> {
  const { params, ...fixed } = blobs;
  const named = Object.keys(params)
    .sort()
    .map((name): [string, BlobEntry] => [`params.${name}`, params[name]]);
  return [...Object.entries(fixed), ...named];
}

export const ModelShapeSchema = z.object({
  nUsers: count,
  nMovies: count,
  scale: z
    .object({ min: z.number(), max: z.number() })
    .refine((scale) => scale.min < scale.max, { message: 'min must be below max' }),
});

/** What the model was trained on. */
export const DataSnapshotSchema = z.object({
  /** Paths, URIs or segment names read. */
  sources: z.array(z.string().min(1)),
  counts: z.object({ users: count, movies: count, ratings: count, interactions: count }),
  /** A hash of the training data's content, as the caller computes it. */
  contentHash: z.string().min(1),
  /** The time window read from the events store (ISO instants, `from ≤ time < to`), when the data came from one. */
  window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }).optional(),
  /** Every events-store segment read, with its size and the sha256 of the bytes read (what `contentHash` hashes). */
  segments: z.array(z.object({ key: z.string().min(1), bytes: count, sha256 })).optional(),
});
export type DataSnapshot = z.infer<typeof DataSnapshotSchema>;

/** The code that trained the model; `gitCommit` is null when unknown. */
export const CodeVersionSchema = z.object({
  packageVersion: z.string().min(1),
  gitCommit: z.string().regex(/^[0-9a-f]{7,64}$/, 'expected a hex commit id').nullable(),
});
export type CodeVersion = z.infer<typeof CodeVersionSchema>;

/** Everything the caller says about a model; the rest of the manifest the writer derives. */
export const ProvenanceSchema = z.object({
  algorithm: z.enum(ALGORITHMS),
  params: z.record(z.string(), z.number()),
  shape: ModelShapeSchema,
  data: DataSnapshotSchema,
  code: CodeVersionSchema,
  /** Offline metrics by name; null for one that could not be computed. */
  metrics: z.record(z.string(), z.number().nullable()),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const ManifestSchema = z
  .object({
    formatVersion: z.literal(FORMAT_VERSION),
    ...ProvenanceSchema.shape,
    version: z.string().regex(VERSION_PATTERN, 'expected <algorithm>-<yyyymmddThhmmss.mmmZ>-<8 hex>'),
    createdAt: z.iso.datetime(),
    blobs: BundleBlobsSchema,
  })
  .superRefine((m, ctx) => {
    const expect = (ok: boolean, path: string[], message: string): void => {
      if (!ok) ctx.addIssue({ code: 'custom', path, message });
    };
    const { nUsers, nMovies } = m.shape;
    const { blobs } = m;
    expect(m.version.startsWith(`${m.algorithm}-`), ['version'], `does not start with the algorithm ${m.algorithm}`);
    expect(blobs.users.length === nUsers, ['blobs', 'users', 'length'], `expected shape.nUsers = ${nUsers}`);
    expect(blobs.movies.length === nMovies, ['blobs', 'movies', 'length'], `expected shape.nMovies = ${nMovies}`);
    expect(blobs.seenIndptr.length === nUsers + 1, ['blobs', 'seenIndptr', 'length'], `expected nUsers + 1 = ${nUsers + 1}`);
    expect(
      blobs.seenValues.length === blobs.seenIndices.length,
      ['blobs', 'seenValues', 'length'],
      `expected seenIndices.length = ${blobs.seenIndices.length}`,
    );
    expect(blobs.popularity.length <= nMovies, ['blobs', 'popularity', 'length'], `more than nMovies = ${nMovies}`);
  });
export type Manifest = z.infer<typeof ManifestSchema>;

/** Parses and validates `manifest.json`; anything wrong is a BundleError naming the field. */
export function parseManifest(location: string, bytes: Uint8Array): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new BundleError(location, `${MANIFEST_FILE}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof json === 'object' && json !== null && 'formatVersion' in json && json.formatVersion !== FORMAT_VERSION) {
    throw new BundleError(
      location,
      `${MANIFEST_FILE}: formatVersion: unknown bundle format ${JSON.stringify(json.formatVersion)} (this reader knows ${FORMAT_VERSION})`,
    );
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) throw new BundleError(location, `${MANIFEST_FILE}: ${formatIssues(parsed.error.issues)}`);
  return parsed.data;
}
