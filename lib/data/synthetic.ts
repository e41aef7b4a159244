import { Rng } from '../models/rng.js';
import { activityCounts, affinity, drawFrom, drawHiddenTastes, type AliasTable, type HiddenTastes, zipfTable } from './hidden-tastes.js';
import type { Interactions } from './interactions.js';
import type { InteractionRecord } from './records.js';
import { maxPerUser, parseSyntheticOptions, type SyntheticInput, type SyntheticOptions } from './synthetic-options.js';
import { Vocabulary } from './vocabulary.js';

/**
 * A seeded synthetic world the project generates itself (a fresh machine has
 * no datasets). Users and movies have hidden tastes (hidden-tastes.ts);
 * movie popularity is Zipf-skewed and user activity log-normal. Each user
 * picks movies by drawing `choosiness` candidates by popularity and taking
 * the one they like best; how far they watch grows with affinity a:
 *   minutes = max(1, round(length · σ(1.6 a − 0.2 + N(0, 0.6²))))
 * and a rated pair gets
 *   r = clamp(step-round(centre + spread · (a + N(0, ratingNoise²))))
 * on the scale. Exactly `ratings` of the pairs are rated (selection
 * sampling). The table is filled straight into typed arrays, so the course
 * scale (1M users, 10M pairs) takes seconds and a few hundred MB.
 * Same options → identical world.
 */
export interface SyntheticWorld {
  readonly options: SyntheticOptions;
  readonly interactions: Interactions;
  readonly truth: HiddenTastes;
}

/** Raw ids: users "1".."n" as on the course stream, movies slug-like ("film+7+1956"). */
export function syntheticUserId(u: number): string {
  return String(u + 1);
}
export function syntheticMovieId(i: number): string {
  return `film+${i + 1}+${1950 + (i % 75)}`;
}

export function generateSynthetic(input: SyntheticInput = {}): SyntheticWorld {
  const options = parseSyntheticOptions(input);
  const { users: nUsers, movies: nMovies, interactions: total, scale, ratingStep } = options;
  const rng = new Rng(options.seed);
  const truth = drawHiddenTastes(rng, nUsers, nMovies, options.dims);
  const popularity = zipfTable(rng, nMovies, options.popularitySkew);
  const length = new Int32Array(nMovies);
  for (let i = 0; i < nMovies; i++) length[i] = 70 + rng.int(100);
  const counts = activityCounts(rng, nUsers, total, options.activitySkew, maxPerUser(nMovies));

  const user = new Int32Array(total);
  const movie = new Int32Array(total);
  const rating = new Float32Array(total).fill(Number.NaN);
  const minutes = new Float32Array(total);
  const time = new Float64Array(total);
  const seenBy = new Int32Array(nMovies).fill(-1);
  const centre = (scale.min + scale.max) / 2;
  const spread = (scale.max - scale.min) / 4.5;
  const spanMs = options.days * 86_400_000;
  let toRate = options.ratings;

  for (let u = 0, e = 0; u < nUsers; u++) {
    for (let j = 0; j < counts[u]; j++, e++) {
      const { i, a } = pickMovie(rng, truth, popularity, seenBy, u, options.choosiness);
      seenBy[i] = u;
      user[e] = u;
      movie[e] = i;
      time[e] = options.start + Math.floor(rng.next() * spanMs);
      const watched = 1 / (1 + Math.exp(-(1.6 * a - 0.2 + rng.normal(0, 0.6))));
      minutes[e] = Math.max(1, Math.round(watched * length[i]));
      if (toRate > 0 && rng.next() * (total - e) < toRate) {
        const raw = centre + spread * (a + rng.normal(0, options.ratingNoise));
        const stepped = scale.min + Math.round((raw - scale.min) / ratingStep) * ratingStep;
        rating[e] = Math.min(scale.max, Math.max(scale.min, stepped));
        toRate--;
      }
    }
  }

  const users = new Vocabulary();
  for (let u = 0; u < nUsers; u++) users.add(syntheticUserId(u));
  const movies = new Vocabulary();
  for (let i = 0; i < nMovies; i++) movies.add(syntheticMovieId(i));
  return { options, truth, interactions: { users, movies, size: total, user, movie, rating, minutes, time } };
}

/** The best-liked of `choosiness` popularity draws that u has not picked yet. */
function pickMovie(
  rng: Rng,
  truth: HiddenTastes,
  popularity: AliasTable,
  seenBy: Int32Array,
  u: number,
  choosiness: number,
): { i: number; a: number } {
  let best = -1;
  let bestA = Number.NEGATIVE_INFINITY;
  for (let tries = 0; tries < 20 * choosiness && (best < 0 || tries < choosiness); tries++) {
    const i = drawFrom(popularity, rng);
    if (seenBy[i] === u) continue;
    const a = affinity(truth, u, i);
    if (a > bestA) {
      best = i;
      bestA = a;
    }
  }
  if (best >= 0) return { i: best, a: bestA };
  // A heavy user has exhausted the popular movies: take the next unseen one.
  let i = rng.int(seenBy.length);
  while (seenBy[i] === u) i = (i + 1) % seenBy.length;
  return { i, a: affinity(truth, u, i) };
}

/**
 * The world as events, in time order (equal times: table order, watch
 * before rate): one `watch` per pair at its furthest minute and one `rate`
 * per rated pair. Aggregating them gives back the world's table. Meant for
 * small worlds (the quick-start demo, tests): it makes one object per event.
 */
export function syntheticRecords(world: SyntheticWorld): InteractionRecord[] {
  const t = world.interactions;
  const order = new Int32Array(t.size);
  for (let e = 0; e < t.size; e++) order[e] = e;
  order.sort((a, b) => t.time[a] - t.time[b] || a - b);
  const records: InteractionRecord[] = [];
  for (const e of order) {
    const user = t.users.idAt(t.user[e]);
    const movie = t.movies.idAt(t.movie[e]);
    records.push({ user, movie, kind: 'watch', value: t.minutes[e], time: t.time[e] });
    if (!Number.isNaN(t.rating[e])) records.push({ user, movie, kind: 'rate', value: t.rating[e], time: t.time[e] });
  }
  return records;
}
