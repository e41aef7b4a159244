import { Rng } from '../lib/models/rng.js';
import type { AudienceOptions } from './audience-options.js';
import { chooseMovie, drawRating, drawUser, watchedMinutes, watchMinutes } from './behaviour.js';
import { createAccountLine, rateLine, requestLine, watchLine } from './course-lines.js';
import type { RecommendOutcome } from './recommend-request.js';
import type { AudienceWorld } from './world.js';

/**
 * One visit of one user: (sometimes a sign-up first,) ask for
 * recommendations, pick a movie, watch it, sometimes rate it — written as
 * course log lines through `write`.
 *
 * Session k draws from its own Rng, seeded from (seed, k), and takes its user
 * (and any sign-up) before its first await; so what session k writes depends
 * only on the seed, k, the ingress's answer and the clock, whatever the
 * interleaving of concurrent sessions.
 */
export interface SessionCounters {
  sessions: number;
  requests: number;
  requestErrors: number;
  lines: number;
  watched: number;
  rated: number;
  accounts: number;
  fromRecommendations: number;
}

export interface SessionContext {
  readonly world: AudienceWorld;
  readonly options: AudienceOptions;
  readonly clock: () => number;
  readonly recommend: (user: string) => Promise<RecommendOutcome>;
  readonly write: (line: string) => void;
  readonly counters: SessionCounters;
}

/** The Rng of session k: a 32-bit mix of the seed and k (Rng's splitmix does the rest). */
export function sessionRng(seed: number, k: number): Rng {
  return new Rng(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca6b));
}

export async function runSession(ctx: SessionContext, k: number): Promise<void> {
  const { world, options, counters } = ctx;
  const rng = sessionRng(options.seed, k);
  const write = (line: string): void => {
    ctx.write(line);
    counters.lines += 1;
  };

  let u = rng.next() < options.newUserRate ? world.register() : -1;
  if (u >= 0) {
    write(createAccountLine(ctx.clock(), world.userId(u)));
    counters.accounts += 1;
  } else {
    u = drawUser(world, rng);
  }
  const user = world.userId(u);

  counters.requests += 1;
  const outcome = await ctx.recommend(user);
  if (outcome.status !== 200) counters.requestErrors += 1;
  const now = ctx.clock();
  write(requestLine(now, user, options.host, outcome));

  const list: number[] = [];
  for (const id of outcome.results) {
    const i = world.movieIndex(id);
    if (i >= 0) list.push(i);
  }
  const choice = chooseMovie(world, rng, u, list);
  if (choice.fromList) counters.fromRecommendations += 1;
  const movie = world.movieId(choice.movie);
  const furthest = watchMinutes(rng, world.length[choice.movie], choice.affinity);
  for (const minute of watchedMinutes(furthest, options.maxWatchLines)) {
    write(watchLine(now, user, movie, minute));
    counters.watched += 1;
  }
  if (rng.next() < options.rateProbability) {
    write(rateLine(now, user, movie, drawRating(rng, choice.affinity, options.scale, options.ratingNoise)));
    counters.rated += 1;
  }
  counters.sessions += 1;
}
