import { z } from 'zod';
import { formatIssues, InvalidArgumentError } from '../errors.js';
import { Rng } from '../models/rng.js';
import { buildTrainSet, mapTestSet, type TrainTestData } from './build-train-set.js';
import { aggregateInteractions, type Interactions } from './interactions.js';
import type { InteractionRecord, RatingScale } from './records.js';
import { readRatingsCsv } from './readers/csv.js';
import { readMovieLens } from './readers/movielens.js';

/**
 * Train/test splits of an Interactions table, as sets of entry indices
 * (both ascending, disjoint, together every entry). Feed them to
 * `buildTrainTest(table, scale, split.train, split.test)`. A split given as
 * two files (the official ML-100k folds) is `loadGivenSplit`.
 */
export interface EntrySplit {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

export const SplitSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('random'),
    /** Share of entries held out, e.g. 0.1 for `--validation 0.1`. */
    fraction: z.number().gt(0).lt(1),
    seed: z.number().int().default(42),
  }),
  z.object({
    kind: z.literal('last'),
    /** Held-out entries per user: the k latest. */
    k: z.number().int().min(1),
  }),
]);
export type SplitSpec = z.infer<typeof SplitSpecSchema>;

/** Validate a split spec from outside (CLI flags, params.yaml) and split. */
export function splitEntries(table: Interactions, spec: z.input<typeof SplitSpecSchema>): EntrySplit {
  const parsed = SplitSpecSchema.safeParse(spec);
  if (!parsed.success) throw new InvalidArgumentError(`invalid split: ${formatIssues(parsed.error.issues)}`);
  const valid = parsed.data;
  return valid.kind === 'random' ? randomHoldout(table, valid.fraction, valid.seed) : lastPerUser(table, valid.k);
}

/**
 * Hold out `round(fraction × size)` entries chosen uniformly at random; the
 * same seed gives the same split.
 */
export function randomHoldout(table: Interactions, fraction: number, seed: number): EntrySplit {
  if (!(fraction >= 0 && fraction <= 1)) throw new InvalidArgumentError(`fraction ${fraction} is outside [0, 1]`);
  const order = new Int32Array(table.size);
  for (let e = 0; e < order.length; e++) order[e] = e;
  new Rng(seed).shuffle(order);
  const nTest = Math.round(fraction * table.size);
  return { train: order.slice(nTest).sort(), test: order.slice(0, nTest).sort() };
}

/**
 * Per user, hold out the k latest entries (by `time`; equal times → the
 * later entry). Users with k entries or fewer keep everything in train, so
 * every test user is known to the train set. Deterministic: no seed needed.
 */
export function lastPerUser(table: Interactions, k: number): EntrySplit {
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`k ${k} must be a positive integer`);
  const nUsers = table.users.size;
  const start = new Int32Array(nUsers + 1);
  for (let e = 0; e < table.size; e++) start[table.user[e] + 1]++;
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  const fill = start.slice(0, nUsers);
  const byUser = new Int32Array(table.size);
  for (let e = 0; e < table.size; e++) byUser[fill[table.user[e]]++] = e;

  const held = new Uint8Array(table.size);
  const byTime = (a: number, b: number): number => table.time[a] - table.time[b] || a - b;
  let nTest = 0;
  for (let u = 0; u < nUsers; u++) {
    const count = start[u + 1] - start[u];
    if (count <= k) continue;
    const entries = byUser.subarray(start[u], start[u + 1]).sort(byTime);
    for (let p = count - k; p < count; p++) held[entries[p]] = 1;
    nTest += k;
  }
  return partition(held, nTest);
}

/** A split by time: test is every entry whose latest event is at or after `holdoutFrom`. */
export interface TimeSplit extends EntrySplit {
  /** The boundary (ms since the epoch): train entries are all older, test entries all at or after it; null when nothing is held out. */
  readonly holdoutFrom: number | null;
}

/**
 * Hold out the newest `fraction` of entries by the time of their latest
 * event: the boundary is the time of the `round(fraction × size)`-th newest
 * entry, and every entry at or after it is held out (ties go to test, so the
 * slice is exactly `[holdoutFrom, …)` and nothing of it leaks into train).
 * When ties would hold out everything, the boundary moves up to the next
 * distinct time; when there is none, nothing is held out. Deterministic.
 */
export function timeHoldout(table: Interactions, fraction: number): TimeSplit {
  if (!(fraction >= 0 && fraction < 1)) throw new InvalidArgumentError(`fraction ${fraction} is outside [0, 1)`);
  const nTest = Math.round(fraction * table.size);
  const none = (): TimeSplit => ({ ...partition(new Uint8Array(table.size), 0), holdoutFrom: null });
  if (nTest === 0) return none();
  const times = Float64Array.from(table.time.subarray(0, table.size)).sort();
  let boundary = times[table.size - nTest];
  if (boundary === times[0]) {
    const above = times.findIndex((t) => t > boundary);
    if (above < 0) return none();
    boundary = times[above];
  }
  const held = new Uint8Array(table.size);
  let nHeld = 0;
  for (let e = 0; e < table.size; e++) {
    if (table.time[e] >= boundary) {
      held[e] = 1;
      nHeld++;
    }
  }
  return { ...partition(held, nHeld), holdoutFrom: boundary };
}

/** Entries flagged 1 go to test, the rest to train, both ascending. */
function partition(held: Uint8Array, nTest: number): EntrySplit {
  const train = new Int32Array(held.length - nTest);
  const test = new Int32Array(nTest);
  for (let e = 0, a = 0, b = 0; e < held.length; e++) {
    if (held[e] === 1) test[b++] = e;
    else train[a++] = e;
  }
  return { train, test };
}

/**
 * Read a ratings file by its name: `.csv` as a MovieLens 20M/25M ratings CSV,
 * anything else as MovieLens TSV (`u.data`, `u1.base`, `u1.test`).
 */
export async function readRatingsFile(path: string, scale: RatingScale): Promise<InteractionRecord[]> {
  return path.toLowerCase().endsWith('.csv') ? readRatingsCsv(path, { scale }) : readMovieLens(path, { scale });
}

/**
 * A split given as two files (the ML-100k official folds u1.base/u1.test …):
 * the train set is built from the train file alone and the test file is
 * mapped into its index space by raw id (-1 for ids training never saw).
 */
export async function loadGivenSplit(trainPath: string, testPath: string, scale: RatingScale): Promise<TrainTestData> {
  const [trainRecords, testRecords] = await Promise.all([readRatingsFile(trainPath, scale), readRatingsFile(testPath, scale)]);
  const data = buildTrainSet(aggregateInteractions(trainRecords), scale);
  return { ...data, test: mapTestSet(aggregateInteractions(testRecords), data.users, data.movies) };
}
