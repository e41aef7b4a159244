import { csrFromCoo } from './csr.js';
import type { Interactions } from './interactions.js';
import type { RatingScale } from './records.js';
import type { TestSet, TrainSet } from './train-set.js';
import { Vocabulary } from './vocabulary.js';

/**
 * A train set together with the vocabularies that name its dense indices:
 * train index `u` is raw user id `users.idAt(u)`. A model bundle saves these
 * vocabularies next to the parameters.
 */
export interface TrainData {
  readonly train: TrainSet;
  readonly users: Vocabulary;
  readonly movies: Vocabulary;
}

/** A train set and a test set in its index space. */
export interface TrainTestData extends TrainData {
  readonly test: TestSet;
}

/**
 * Build a train set from the entries of `table` listed in `entries` (all of
 * them when omitted).
 *
 * Dense indices: the train set gets its own vocabularies holding only the
 * users and movies its entries touch, numbered in the order of the table's
 * indices (so the same table and entries always give the same numbering).
 * When the entries touch every user (or movie) of the table, the table's own
 * vocabulary is reused and indices are unchanged.
 */
export function buildTrainSet(table: Interactions, scale: RatingScale, entries?: Int32Array): TrainData {
  const users = denseIndex(table.users, table.user, entries);
  const movies = denseIndex(table.movies, table.movie, entries);
  return { train: trainSetOf(table, scale, entries, users.map, movies.map), users: users.vocabulary, movies: movies.vocabulary };
}

/**
 * Build a train set from `trainEntries` and map `testEntries` of the same
 * table into its index space (-1 for users or movies training never saw).
 */
export function buildTrainTest(
  table: Interactions,
  scale: RatingScale,
  trainEntries: Int32Array,
  testEntries: Int32Array,
): TrainTestData {
  const users = denseIndex(table.users, table.user, trainEntries);
  const movies = denseIndex(table.movies, table.movie, trainEntries);
  return {
    train: trainSetOf(table, scale, trainEntries, users.map, movies.map),
    test: testSetOf(table, testEntries, users.map, movies.map),
    users: users.vocabulary,
    movies: movies.vocabulary,
  };
}

/**
 * Map entries of any table (e.g. a separate test file) into the index space
 * named by `users` and `movies` (e.g. a TrainData's, or a loaded bundle's),
 * by raw id. Unknown ids become -1.
 */
export function mapTestSet(table: Interactions, users: Vocabulary, movies: Vocabulary, entries?: Int32Array): TestSet {
  return testSetOf(table, entries, translate(table.users, users), translate(table.movies, movies));
}

function trainSetOf(
  table: Interactions,
  scale: RatingScale,
  entries: Int32Array | undefined,
  userMap: Int32Array,
  movieMap: Int32Array,
): TrainSet {
  const n = entries === undefined ? table.size : entries.length;
  const nUsers = countMapped(userMap);
  const nMovies = countMapped(movieMap);
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  let nRated = 0;
  for (let k = 0; k < n; k++) {
    const e = entries === undefined ? k : entries[k];
    rows[k] = userMap[table.user[e]];
    cols[k] = movieMap[table.movie[e]];
    if (!Number.isNaN(table.rating[e])) nRated++;
  }
  const implicit = csrFromCoo(nUsers, nMovies, rows, cols, gather(table.minutes, entries, n));

  const ratedRows = new Int32Array(nRated);
  const ratedCols = new Int32Array(nRated);
  const ratedValues = new Float32Array(nRated);
  let sum = 0;
  for (let k = 0, w = 0; k < n; k++) {
    const r = table.rating[entries === undefined ? k : entries[k]];
    if (Number.isNaN(r)) continue;
    ratedRows[w] = rows[k];
    ratedCols[w] = cols[k];
    ratedValues[w] = r;
    sum += r;
    w++;
  }
  const ratings = csrFromCoo(nUsers, nMovies, ratedRows, ratedCols, ratedValues);
  return { nUsers, nMovies, ratings, implicit, globalMean: nRated === 0 ? Number.NaN : sum / nRated, scale };
}

function testSetOf(table: Interactions, entries: Int32Array | undefined, userMap: Int32Array, movieMap: Int32Array): TestSet {
  const n = entries === undefined ? table.size : entries.length;
  const user = new Int32Array(n);
  const movie = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const e = entries === undefined ? k : entries[k];
    user[k] = userMap[table.user[e]];
    movie[k] = movieMap[table.movie[e]];
  }
  return { user, movie, rating: gather(table.rating, entries, n), minutes: gather(table.minutes, entries, n) };
}

/** Table index → dense train index (-1 when unused), and the vocabulary of the used ids. */
function denseIndex(
  vocabulary: Vocabulary,
  column: Int32Array,
  entries: Int32Array | undefined,
): { map: Int32Array; vocabulary: Vocabulary } {
  const map = new Int32Array(vocabulary.size).fill(-1);
  const n = entries === undefined ? column.length : entries.length;
  for (let k = 0; k < n; k++) map[column[entries === undefined ? k : entries[k]]] = 0;
  let next = 0;
  for (let i = 0; i < map.length; i++) if (map[i] === 0) map[i] = next++;
  if (next === vocabulary.size) return { map, vocabulary };
  const used = new Vocabulary();
  for (let i = 0; i < map.length; i++) if (map[i] >= 0) used.add(vocabulary.idAt(i));
  return { map, vocabulary: used };
}

function translate(from: Vocabulary, to: Vocabulary): Int32Array {
  const map = new Int32Array(from.size);
  if (from === to) {
    for (let i = 0; i < map.length; i++) map[i] = i;
    return map;
  }
  for (let i = 0; i < map.length; i++) map[i] = to.indexOf(from.idAt(i));
  return map;
}

function countMapped(map: Int32Array): number {
  let count = 0;
  for (let i = 0; i < map.length; i++) if (map[i] >= 0) count++;
  return count;
}

function gather(column: Float32Array, entries: Int32Array | undefined, n: number): Float32Array {
  if (entries === undefined) return column.slice(0, n);
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) out[k] = column[entries[k]];
  return out;
}
