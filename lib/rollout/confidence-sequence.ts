/**
 * The statistics of the canary analysis: an always-valid confidence sequence
 * for the difference of two hit rates, Δ = p_candidate − p_champion, so that
 * evaluate may look at every tick without inflating its error rate.
 *
 * Estimate and variance (Wald, with Agresti–Caffo's +1/+2 in the variance
 * only so that 0 or all hits does not give V = 0):
 *   Δ̂ = x₁/n₁ − x₀/n₀,   p̃ᵢ = (xᵢ + 1)/(nᵢ + 2),   V = p̃₁(1 − p̃₁)/n₁ + p̃₀(1 − p̃₀)/n₀.
 * Mixture SPRT (Robbins 1970; Johari, Koomen, Pekelis & Walsh, "Peeking at
 * A/B tests", KDD 2017, eq. for the two-sample normal case): with Δ̂ ≈ N(Δ, V)
 * and a N(θ₀, τ²) mixture over the alternative, the likelihood ratio against
 * H₀: Δ = θ₀ is
 *   Λ(θ₀) = √(V / (V + τ²)) · exp( τ² (Δ̂ − θ₀)² / (2 V (V + τ²)) ),
 * a non-negative martingale under H₀, so by Ville's inequality
 * P(∃ look: Λ ≥ 1/α) ≤ α whatever the number of looks. Inverting it gives the
 * confidence sequence Δ̂ ± r (Howard, Ramdas, McAuliffe & Sekhon,
 * "Time-uniform, nonparametric, nonasymptotic confidence sequences", Ann.
 * Statist. 2021, normal-mixture boundary):
 *   r = √( V (V + τ²) / τ² · (2 ln(1/α) + ln((V + τ²) / V)) ),
 * and the always-valid p-value min(1, 1/Λ(θ₀)). τ tunes the boundary to the
 * size of difference that matters (the margin is a good choice). The
 * normal approximation makes validity asymptotic; bench/canary.ts measures
 * the error rates on the simulated audience.
 */

export interface DifferenceEstimate {
  /** Δ̂ = candidate hit rate − champion hit rate. */
  readonly difference: number;
  /** V, the variance of Δ̂. */
  readonly variance: number;
}

export interface Proportion {
  readonly hits: number;
  readonly served: number;
}

/** Δ̂ and V for candidate minus champion; both sides need served ≥ 1. */
export function estimateDifference(candidate: Proportion, champion: Proportion): DifferenceEstimate {
  const adjusted = (side: Proportion): number => (side.hits + 1) / (side.served + 2);
  const p1 = adjusted(candidate);
  const p0 = adjusted(champion);
  return {
    difference: candidate.hits / candidate.served - champion.hits / champion.served,
    variance: (p1 * (1 - p1)) / candidate.served + (p0 * (1 - p0)) / champion.served,
  };
}

/** ln Λ(θ₀): the log mixture likelihood ratio against Δ = θ₀. */
export function logMixtureRatio(estimate: DifferenceEstimate, theta0: number, tau: number): number {
  const v = estimate.variance;
  const t2 = tau * tau;
  const gap = estimate.difference - theta0;
  return 0.5 * Math.log(v / (v + t2)) + (t2 * gap * gap) / (2 * v * (v + t2));
}

/** The always-valid p-value against Δ = θ₀: min(1, 1/Λ(θ₀)). */
export function alwaysValidP(estimate: DifferenceEstimate, theta0: number, tau: number): number {
  return Math.min(1, Math.exp(-logMixtureRatio(estimate, theta0, tau)));
}

/** The half-width r of the (1 − α) confidence sequence at this look. */
export function sequenceRadius(variance: number, tau: number, alpha: number): number {
  const t2 = tau * tau;
  return Math.sqrt(((variance * (variance + t2)) / t2) * (2 * Math.log(1 / alpha) + Math.log((variance + t2) / variance)));
}

/**
 * Φ(z), the standard normal CDF, through erfc by its Chebyshev fit
 * (Press et al., Numerical Recipes, 2nd ed., §6.2 `erfcc`; relative error
 * below 1.2e-7 everywhere).
 */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -x * x -
    1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}
