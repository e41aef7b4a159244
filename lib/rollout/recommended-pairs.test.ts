import { describe, expect, it } from 'vitest';
import { aggregateInteractions } from '../data/interactions.js';
import type { InteractionRecord } from '../data/records.js';
import type { ServedList } from './recommended-pairs.js';
import { recommendedPairs } from './recommended-pairs.js';

const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 10, 25); // the slice's start
const SINCE = FROM - HOUR;
const watch = (user: string, movie: string, time: number, minute = 30): InteractionRecord => ({ user, movie, kind: 'watch', value: minute, time });
const served = (user: string, movies: string[], time: number): ServedList => ({ user, movies, time });

/** The flags by "user/movie", for readable expectations. */
function flags(records: InteractionRecord[], lists: ServedList[], since = SINCE): Record<string, boolean> {
  const table = aggregateInteractions(records);
  const out = recommendedPairs(table, lists, since);
  return Object.fromEntries(out.map((flag, e) => [`${table.users.idAt(table.user[e])}/${table.movies.idAt(table.movie[e])}`, flag]));
}

describe('recommendedPairs', () => {
  const t = FROM + 5 * HOUR; // every watch below ends here

  it('flags a pair recommended to its user before the watch, at the watch, or in the lookback before the slice', () => {
    const records = [watch('1', 'a', t), watch('1', 'b', t), watch('1', 'c', t), watch('1', 'd', t)];
    const lists = [served('1', ['x', 'a'], t - 10 * 60_000), served('1', ['b'], t), served('1', ['c'], FROM - 30 * 60_000), served('1', ['d'], SINCE)];
    expect(flags(records, lists)).toEqual({ '1/a': true, '1/b': true, '1/c': true, '1/d': true });
  });

  it('keeps a pair recommended only after the watch', () => {
    expect(flags([watch('1', 'a', t)], [served('1', ['a'], t + 1)])).toEqual({ '1/a': false });
  });

  it('keeps a pair whose movie was recommended to another user', () => {
    expect(flags([watch('1', 'a', t), watch('2', 'b', t)], [served('2', ['a'], t - HOUR)])).toEqual({ '1/a': false, '2/b': false });
  });

  it('keeps a pair recommended only before the lookback', () => {
    expect(flags([watch('1', 'a', t)], [served('1', ['a'], SINCE - 1), served('1', ['a'], FROM - 2 * HOUR)])).toEqual({ '1/a': false });
  });

  it("judges a pair by its latest event: a movie recommended while it was being watched counts", () => {
    // minute 1 at t − 1 h, minute 90 at t: a list served in between was shown before the last event.
    const records = [watch('1', 'a', t - HOUR, 1), watch('1', 'a', t, 90)];
    expect(flags(records, [served('1', ['a'], t - 30 * 60_000)])).toEqual({ '1/a': true });
  });

  it('ignores users and movies the slice does not hold, and an empty serving history', () => {
    const records = [watch('1', 'a', t)];
    expect(flags(records, [served('9', ['a'], t - 1), served('1', ['zz'], t - 1)])).toEqual({ '1/a': false });
    expect(flags(records, [])).toEqual({ '1/a': false });
  });
});
