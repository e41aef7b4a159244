import { describe, expect, it } from 'vitest';
import { formatDatasetSummary, summarizeInteractions } from './dataset-summary.js';
import { aggregateInteractions } from './interactions.js';

describe('summarizeInteractions', () => {
  it('counts pairs, ratings, watches and the busiest user and movie', () => {
    const t = aggregateInteractions([
      { user: 'a', movie: 'x', kind: 'rate', value: 4, time: 30 },
      { user: 'a', movie: 'y', kind: 'watch', value: 10, time: 10 },
      { user: 'b', movie: 'x', kind: 'rate', value: 2, time: 20 },
      { user: 'b', movie: 'x', kind: 'watch', value: 5, time: 40 },
    ]);
    const s = summarizeInteractions(t);
    expect(s).toEqual({
      users: 2,
      movies: 2,
      entries: 3,
      rated: 2,
      watched: 2,
      density: 0.75,
      meanRating: 3,
      maxPerUser: 2,
      maxPerMovie: 2,
      firstTime: 10,
      lastTime: 40,
    });
    expect(formatDatasetSummary(s)).toBe('2 users × 2 movies, 3 pairs (75.00 % dense), 2 rated (mean 3.00), 2 watched');
  });

  it('describes an empty table without NaN density', () => {
    const s = summarizeInteractions(aggregateInteractions([]));
    expect(s.density).toBe(0);
    expect(s.meanRating).toBeNaN();
    expect(formatDatasetSummary(s)).toBe('0 users × 0 movies, 0 pairs (0.00 % dense), 0 rated, 0 watched');
  });
});
