/**
 * The arithmetic of a traffic split: a weighted pick among the revisions that
 * may take a request, and the pro-rata scaling that makes room for a new
 * revision's share. Pure functions; the random source is injected (seeded in
 * tests).
 */

export interface Weighted {
  readonly percent: number;
}

/**
 * One of `candidates` with probability percent / Σ percent (candidates at 0 %
 * never); undefined when none has a share. `random` is uniform in [0, 1).
 */
export function pickWeighted<T extends Weighted>(candidates: readonly T[], random: () => number): T | undefined {
  let total = 0;
  for (const candidate of candidates) if (candidate.percent > 0) total += candidate.percent;
  if (total === 0) return undefined;
  let r = random() * total;
  let last: T | undefined;
  for (const candidate of candidates) {
    if (candidate.percent <= 0) continue;
    last = candidate;
    r -= candidate.percent;
    if (r < 0) return candidate;
  }
  // Only reachable through floating-point rounding at the top of the range.
  return last;
}

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
