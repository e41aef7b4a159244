import { Rng } from '../models/rng.js';
import type { TestSet, TrainSet } from '../data/train-set.js';
import { smallTestSet, smallTrainSet, type SmallEntry } from './small-train-set.js';

export interface SyntheticImplicitOptions {
  readonly users: number;
  readonly movies: number;
  /** Taste groups; group g prefers its own contiguous block of movies. */
  readonly groups: number;
  /** Movies each user watches (one of them is held out for the test set). */
  readonly perUser: number;
  /** Chance that a watch is drawn from the whole catalogue instead of the user's block. */
  readonly noise: number;
  readonly seed: number;
}

/**
 * A seeded implicit-feedback problem with planted structure: users fall in
 * taste groups, each group watches mostly inside its block of movies. Every
 * user's last watch is held out as a watch-only test entry; train entries
 * are watches (minutes 10–119, no rating). A ranker that learns the groups
 * finds the held-out movie far more often than chance.
 */
export function syntheticImplicit(options: SyntheticImplicitOptions): { train: TrainSet; test: TestSet } {
  const { users, movies, groups, perUser, noise, seed } = options;
  const rng = new Rng(seed);
  const block = Math.floor(movies / groups);
  const trainEntries: SmallEntry[] = [];
  const testEntries: SmallEntry[] = [];
  for (let u = 0; u < users; u++) {
    const g = u % groups;
    const watched = new Set<number>();
    while (watched.size < perUser) {
      const i = rng.next() < noise ? rng.int(movies) : g * block + Math.min(rng.int(block), rng.int(block));
      watched.add(i);
    }
    const list = [...watched];
    for (let j = 0; j < list.length; j++) {
      const entry: SmallEntry = [u, list[j], Number.NaN, 10 + rng.int(110)];
      (j === list.length - 1 ? testEntries : trainEntries).push(entry);
    }
  }
  return { train: smallTrainSet(users, movies, trainEntries), test: smallTestSet(testEntries) };
}
