/**
 * Integer shares proportional to `percents` that sum to exactly `total`
 * (largest remainder; ties go to the earlier entry). All-zero input stays all
 * zero.
 */
export function scaleProRata(percents: readonly number[], total: number): number[] {
  const sum = percents.reduce((a, b) => a + b, 0);
  if (sum === 0) return percents.map(() => 0);
  const exact = percents.map((p) => (p * total) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    out[i] += 1;
    left -= 1;
  }
  return out;
}
