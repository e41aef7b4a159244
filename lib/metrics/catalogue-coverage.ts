import { InvalidArgumentError } from '../errors.js';
import { checkCutoff } from './cutoff.js';

/**
 * Catalogue coverage: the share of all `nMovies` movies that appear in at
 * least one user's top-k list (Ge, Delgado-Battenfeld & Jannach 2010).
 *
 * Only the first k entries of each list count. NaN for an empty catalogue;
 * a movie index outside [0, nMovies) throws InvalidArgumentError.
 */
export function catalogueCoverage(lists: ReadonlyArray<ArrayLike<number>>, nMovies: number, k: number): number {
  checkCutoff('catalogueCoverage', k);
  if (!Number.isSafeInteger(nMovies) || nMovies < 0) {
    throw new InvalidArgumentError(`catalogueCoverage: nMovies must be a whole number ≥ 0, got ${nMovies}`);
  }
  if (nMovies === 0) return Number.NaN;
  const shown = new Uint8Array(nMovies);
  let distinct = 0;
  for (const list of lists) {
    const end = Math.min(k, list.length);
    for (let pos = 0; pos < end; pos++) {
      const i = list[pos];
      if (!Number.isInteger(i) || i < 0 || i >= nMovies) {
        throw new InvalidArgumentError(`catalogueCoverage: movie ${i} is outside a catalogue of ${nMovies}`);
      }
      if (shown[i] === 0) {
        shown[i] = 1;
        distinct++;
      }
    }
  }
  return distinct / nMovies;
}
