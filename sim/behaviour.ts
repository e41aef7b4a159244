import { drawFrom } from '../lib/data/hidden-tastes.js';
import type { RatingScale } from '../lib/data/records.js';
import type { Rng } from '../lib/models/rng.js';
import type { AudienceWorld } from './world.js';

/**
 * What a simulated user does with a recommendation list, as pure functions of
 * the world, the user and a seeded Rng (so tests can draw them many times).
 *
 * Following: the list's quality for u is the best hidden affinity in it,
 * q = max a(u, i). The user picks from the list with probability
 *   P(follow) = σ(FOLLOW_SLOPE · (q − FOLLOW_AT))
 * (affinities have sd ≈ 1.1; a user's best movies in a 27k catalogue score
 * ≈ 4, the best of 20 random ones ≈ 2, so a list built from the hidden taste
 * is followed ≈ 80 % of the time and a random one ≈ 20 %). Within the list,
 * item k is taken with weight exp(1.5 a) / √(k + 1): liked movies, near the
 * top. Otherwise the user browses the catalogue the way lib/data's synthetic
 * users do: the best-liked of CHOOSINESS popularity draws.
 *
 * Watching: the furthest minute grows with affinity, as in lib/data's
 * synthetic world: m = max(1, round(length · σ(1.6 a − 0.2 + N(0, 0.6²)))).
 * Rating: r = clamp(round(centre + spread · (a + N(0, noise²)))), centre the
 * scale's middle, spread its width / 4.5.
 */
export const FOLLOW_SLOPE = 1.5;
export const FOLLOW_AT = 3;
export const CHOOSINESS = 3;

export interface Choice {
  readonly movie: number;
  readonly affinity: number;
  readonly fromList: boolean;
}

export function followProbability(quality: number): number {
  return 1 / (1 + Math.exp(-FOLLOW_SLOPE * (quality - FOLLOW_AT)));
}

/** The movie u watches, given the recommended movies (catalogue indices; unknown ids left out). */
export function chooseMovie(world: AudienceWorld, rng: Rng, u: number, list: readonly number[]): Choice {
  let quality = Number.NEGATIVE_INFINITY;
  const scores = new Float64Array(list.length);
  for (let k = 0; k < list.length; k++) {
    scores[k] = world.affinityAt(u, list[k]);
    if (scores[k] > quality) quality = scores[k];
  }
  if (list.length > 0 && rng.next() < followProbability(quality)) {
    let total = 0;
    const weights = new Float64Array(list.length);
    for (let k = 0; k < list.length; k++) total += (weights[k] = Math.exp(1.5 * (scores[k] - quality)) / Math.sqrt(k + 1));
    let x = rng.next() * total;
    let k = 0;
    while (k < list.length - 1 && x >= weights[k]) x -= weights[k++];
    return { movie: list[k], affinity: scores[k], fromList: true };
  }
  let best = drawFrom(world.popularity, rng);
  let bestA = world.affinityAt(u, best);
  for (let tries = 1; tries < CHOOSINESS; tries++) {
    const i = drawFrom(world.popularity, rng);
    const a = world.affinityAt(u, i);
    if (a > bestA) {
      best = i;
      bestA = a;
    }
  }
  return { movie: best, affinity: bestA, fromList: false };
}

/** The furthest minute u reaches in a movie of `length` minutes they like with affinity a. */
export function watchMinutes(rng: Rng, length: number, a: number): number {
  const share = 1 / (1 + Math.exp(-(1.6 * a - 0.2 + rng.normal(0, 0.6))));
  return Math.max(1, Math.round(share * length));
}

/**
 * The minutes written for a watch up to minute m, at most `maxLines` of them:
 * every minute 0…m when they fit, else 0, s, 2s, … below m and m itself, with
 * s = ⌈m / (maxLines − 1)⌉. The furthest minute (what aggregation keeps) is
 * always m, and the course stream's shape — one line per watched minute,
 * from 0 — is kept at a coarser step so long movies do not flood the stream.
 */
export function watchedMinutes(m: number, maxLines: number): number[] {
  if (m + 1 <= maxLines) return Array.from({ length: m + 1 }, (_, k) => k);
  if (maxLines === 1) return [m];
  const step = Math.ceil(m / (maxLines - 1));
  const minutes: number[] = [];
  for (let minute = 0; minute < m; minute += step) minutes.push(minute);
  minutes.push(m);
  return minutes;
}

/** A rating on the scale from the hidden affinity plus noise. */
export function drawRating(rng: Rng, a: number, scale: RatingScale, noise: number): number {
  const centre = (scale.min + scale.max) / 2;
  const spread = (scale.max - scale.min) / 4.5;
  const raw = Math.round(centre + spread * (a + rng.normal(0, noise)));
  return Math.min(scale.max, Math.max(scale.min, raw));
}

/** A registered user, drawn by activity (users without an account yet are redrawn). */
export function drawUser(world: AudienceWorld, rng: Rng): number {
  const registered = world.registered();
  for (let tries = 0; tries < 32; tries++) {
    const u = drawFrom(world.activity, rng);
    if (u < registered) return u;
  }
  return rng.int(registered);
}
