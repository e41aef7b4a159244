/**
 * Compressed sparse rows: row r's entries are `indices[indptr[r] .. indptr[r+1])`
 * with values at the same positions. Column indices within a row are sorted
 * ascending and unique.
 */
export interface Csr {
  readonly nRows: number;
  readonly nCols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Number of stored entries. */
export function nnz(m: Csr): number {
  return m.indptr[m.nRows];
}

/**
 * Build a CSR matrix from coordinate triples. Duplicate (row, col) pairs keep
 * the value that comes last in the input. Rows and columns outside the shape
 * are a programmer error.
 */
export function csrFromCoo(
  nRows: number,
  nCols: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  values: ArrayLike<number>,
): Csr {
  const n = rows.length;
  if (cols.length !== n || values.length !== n) throw new RangeError('rows, cols and values differ in length');
  const counts = new Int32Array(nRows + 1);
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    const c = cols[k];
    if (r < 0 || r >= nRows || c < 0 || c >= nCols) throw new RangeError(`entry (${r}, ${c}) outside ${nRows}×${nCols}`);
    counts[r + 1]++;
  }
  for (let r = 0; r < nRows; r++) counts[r + 1] += counts[r];
  const fill = counts.slice(0, nRows);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[fill[rows[k]]++] = k;

  // Sort each row by column (stable, so the last duplicate stays last), then
  // keep one entry per column: the last one.
  const indptr = new Int32Array(nRows + 1);
  const indices = new Int32Array(n);
  const out = new Float32Array(n);
  let w = 0;
  const byCol = (a: number, b: number): number => cols[a] - cols[b] || a - b;
  for (let r = 0; r < nRows; r++) {
    const start = counts[r];
    const end = counts[r + 1];
    const row = order.subarray(start, end);
    row.sort(byCol);
    for (let p = 0; p < row.length; p++) {
      const k = row[p];
      if (p + 1 < row.length && cols[row[p + 1]] === cols[k]) continue;
      indices[w] = cols[k];
      out[w] = values[k];
      w++;
    }
    indptr[r + 1] = w;
  }
  return { nRows, nCols, indptr, indices: indices.slice(0, w), values: out.slice(0, w) };
}

/** The transpose (column-major view as a new CSR). */
export function transpose(m: Csr): Csr {
  const n = nnz(m);
  const indptr = new Int32Array(m.nCols + 1);
  for (let k = 0; k < n; k++) indptr[m.indices[k] + 1]++;
  for (let c = 0; c < m.nCols; c++) indptr[c + 1] += indptr[c];
  const fill = indptr.slice(0, m.nCols);
  const indices = new Int32Array(n);
  const values = new Float32Array(n);
  for (let r = 0; r < m.nRows; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      const at = fill[m.indices[p]]++;
      indices[at] = r;
      values[at] = m.values[p];
    }
  }
  return { nRows: m.nCols, nCols: m.nRows, indptr, indices, values };
}

/** Whether row `r` holds column `c` (binary search). */
export function hasEntry(m: Csr, r: number, c: number): boolean {
  return holdsIndex(m.indices, m.indptr[r], m.indptr[r + 1], c);
}

/** Whether the sorted run `indices[start .. end)` holds `c` (binary search). */
export function holdsIndex(indices: Int32Array, start: number, end: number, c: number): boolean {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = indices[mid];
    if (v === c) return true;
    if (v < c) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
