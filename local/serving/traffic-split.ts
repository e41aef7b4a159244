/**
 * The arithmetic of a traffic split: a weighted pick among the revisions that
 * may take a request (the pro-rata scaling that makes room for a new
 * revision's share is lib/rollout/pro-rata.ts, shared with the Knative
 * adapter). Pure functions; the random source is injected (seeded in
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
