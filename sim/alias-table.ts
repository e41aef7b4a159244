import type { AliasTable } from '../lib/data/hidden-tastes.js';

/**
 * Walker's alias table for arbitrary non-negative weights (Vose's stable
 * construction), for `drawFrom` in lib/data/hidden-tastes.ts: one uniform per
 * draw, O(1). Built with typed-array work lists, so a million users cost
 * 12 bytes each to hold (Float64 probability + Int32 alias) and 8 more while
 * building — no per-entry objects.
 */
export function aliasTable(weights: Float64Array): AliasTable {
  const n = weights.length;
  if (n === 0) throw new RangeError('an alias table needs at least one weight');
  let total = 0;
  for (let k = 0; k < n; k++) {
    const w = weights[k];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${k} is ${w}: weights must be finite and ≥ 0`);
    total += w;
  }
  if (total <= 0) throw new RangeError('the weights sum to 0');

  const scaled = new Float64Array(n);
  for (let k = 0; k < n; k++) scaled[k] = (weights[k] * n) / total;
  const prob = new Float64Array(n).fill(1);
  const alias = new Int32Array(n);
  for (let k = 0; k < n; k++) alias[k] = k;

  // Two stacks in one buffer: small entries grow from the front, large from the back.
  const work = new Int32Array(n);
  let small = 0;
  let large = n;
  for (let k = 0; k < n; k++) {
    if (scaled[k] < 1) work[small++] = k;
    else work[--large] = k;
  }
  while (small > 0 && large < n) {
    const s = work[--small];
    const l = work[large];
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] -= 1 - scaled[s];
    if (scaled[l] < 1) {
      large++;
      work[small++] = l;
    }
  }
  // Whatever is left (rounding) keeps probability 1, pointing at itself.
  return { prob, alias };
}
