/**
 * Structural checks shared by the writer (a caller's mistake) and the reader
 * (a bundle that lies). Each returns what is wrong, or undefined.
 */

/** Whether `indptr`/`indices` form an nRows × nCols CSR with strictly ascending columns per row. */
export function seenProblem(indptr: Int32Array, indices: Int32Array, nRows: number, nCols: number): string | undefined {
  if (indptr.length !== nRows + 1) return `indptr has ${indptr.length} entries, expected nRows + 1 = ${nRows + 1}`;
  if (indptr[0] !== 0) return `indptr[0] is ${indptr[0]}, expected 0`;
  if (indptr[nRows] !== indices.length) return `indptr[${nRows}] is ${indptr[nRows]}, expected ${indices.length} entries`;
  for (let r = 0; r < nRows; r++) {
    const start = indptr[r];
    const end = indptr[r + 1];
    if (end < start) return `indptr decreases at row ${r}`;
    let previous = -1;
    for (let p = start; p < end; p++) {
      const c = indices[p];
      if (c < 0 || c >= nCols) return `row ${r}: column ${c} is outside 0..${nCols - 1}`;
      if (c <= previous) return `row ${r}: columns are not strictly ascending at entry ${p}`;
      previous = c;
    }
  }
  return undefined;
}

/** Whether `popularity` lists distinct movie indices in [0, nMovies). */
export function popularityProblem(popularity: Int32Array, nMovies: number): string | undefined {
  if (popularity.length > nMovies) return `ranks ${popularity.length} movies, more than nMovies = ${nMovies}`;
  const listed = new Uint8Array(nMovies);
  for (let k = 0; k < popularity.length; k++) {
    const m = popularity[k];
    if (m < 0 || m >= nMovies) return `entry ${k} is ${m}, outside 0..${nMovies - 1}`;
    if (listed[m] === 1) return `movie ${m} is ranked twice`;
    listed[m] = 1;
  }
  return undefined;
}

/** Whether `ids` holds a duplicate. */
export function duplicateProblem(ids: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    if (seen.has(ids[i])) return `${JSON.stringify(ids[i])} appears twice (again at ${i})`;
    seen.add(ids[i]);
  }
  return undefined;
}
