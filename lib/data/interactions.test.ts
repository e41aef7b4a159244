import { describe, expect, it } from 'vitest';
import { aggregateInteractions, InteractionsBuilder } from './interactions.js';
import type { InteractionRecord } from './records.js';
import { Vocabulary } from './vocabulary.js';

const watch = (user: string, movie: string, minute: number, time: number): InteractionRecord => ({
  user,
  movie,
  kind: 'watch',
  value: minute,
  time,
});
const rate = (user: string, movie: string, rating: number, time: number): InteractionRecord => ({
  user,
  movie,
  kind: 'rate',
  value: rating,
  time,
});

/** The one entry of (user, movie) as a plain object. */
function entryOf(records: InteractionRecord[], user: string, movie: string) {
  const t = aggregateInteractions(records);
  for (let e = 0; e < t.size; e++) {
    if (t.users.idAt(t.user[e]) === user && t.movies.idAt(t.movie[e]) === movie) {
      return { rating: t.rating[e], minutes: t.minutes[e], time: t.time[e] };
    }
  }
  throw new Error(`no entry for ${user}/${movie}`);
}

describe('aggregateInteractions', () => {
  it('keeps one entry per (user, movie) in first-seen order', () => {
    const t = aggregateInteractions([watch('u1', 'a', 1, 10), watch('u2', 'a', 1, 11), watch('u1', 'b', 3, 12), watch('u1', 'a', 2, 13)]);
    expect(t.size).toBe(3);
    expect(t.users.toArray()).toEqual(['u1', 'u2']);
    expect(t.movies.toArray()).toEqual(['a', 'b']);
    expect(Array.from(t.user)).toEqual([0, 1, 0]);
    expect(Array.from(t.movie)).toEqual([0, 0, 1]);
  });

  it('keeps the furthest minute watched, whatever the order', () => {
    expect(entryOf([watch('u', 'm', 5, 1), watch('u', 'm', 40, 2), watch('u', 'm', 12, 3)], 'u', 'm')).toEqual({
      rating: Number.NaN,
      minutes: 40,
      time: 3,
    });
  });

  it('lets the latest rating win, not the last one read', () => {
    expect(entryOf([rate('u', 'm', 2, 100), rate('u', 'm', 5, 300), rate('u', 'm', 1, 200)], 'u', 'm').rating).toBe(5);
  });

  it('breaks equal times by input order', () => {
    expect(entryOf([rate('u', 'm', 2, 100), rate('u', 'm', 4, 100)], 'u', 'm').rating).toBe(4);
  });

  it('ignores exact duplicates, including redelivered equal-time ratings', () => {
    const events = [rate('u', 'm', 2, 100), rate('u', 'm', 4, 100), watch('u', 'm', 30, 50), watch('u', 'm', 10, 120)];
    const once = aggregateInteractions(events);
    const redelivered = aggregateInteractions([...events, events[0], events[2], events[1], events[0], events[3]]);
    expect(redelivered).toEqual(once);
    expect(entryOf([...events, events[0]], 'u', 'm')).toEqual({ rating: 4, minutes: 30, time: 120 });
  });

  it('merges a rating and watches of the same pair into one entry', () => {
    const t = aggregateInteractions([watch('u', 'm', 20, 1), rate('u', 'm', 3, 2), watch('u', 'm', 25, 3)]);
    expect(t.size).toBe(1);
    expect({ rating: t.rating[0], minutes: t.minutes[0], time: t.time[0] }).toEqual({ rating: 3, minutes: 25, time: 3 });
  });

  it('marks unrated pairs NaN and unwatched pairs 0 minutes', () => {
    const t = aggregateInteractions([rate('u', 'a', 4, 1), watch('u', 'b', 7, 2)]);
    expect(Array.from(t.rating)).toEqual([4, Number.NaN]);
    expect(Array.from(t.minutes)).toEqual([0, 7]);
  });

  it('extends given vocabularies instead of renumbering', () => {
    const users = Vocabulary.from(['x', 'u']);
    const movies = Vocabulary.from(['m']);
    const t = aggregateInteractions([rate('u', 'n', 4, 1), rate('u', 'm', 4, 1)], { users, movies });
    expect(t.users).toBe(users);
    expect(Array.from(t.user)).toEqual([1, 1]);
    expect(Array.from(t.movie)).toEqual([1, 0]);
    expect(movies.toArray()).toEqual(['m', 'n']);
  });

  it('grows past its initial capacity and keeps building', () => {
    const builder = new InteractionsBuilder();
    for (let k = 0; k < 5000; k++) builder.add(watch(`u${k % 70}`, `m${k}`, k % 90, k));
    const first = builder.build();
    builder.add(rate('u0', 'm0', 5, 1));
    const second = builder.build();
    expect(first.size).toBe(5000);
    expect(first.rating[0]).toBeNaN();
    expect(second.rating[0]).toBe(5);
    expect(second.minutes[4999]).toBe(4999 % 90);
  });
});
