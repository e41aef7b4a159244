import { describe, expect, it } from 'vitest';
import type { InteractionRecord } from '../data/records.js';
import type { ServedRecommendation } from './online-evaluation.js';
import { evaluateOnline, nearestRank } from './online-evaluation.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 1, 12);
const WINDOW = 30 * MIN;

const served = (user: string, movies: string[], revision: string, minute: number, latencyMs: number, fallback = false): ServedRecommendation => ({
  user,
  movies,
  revision,
  modelVersion: `${revision}-model`,
  latencyMs,
  fallback,
  time: T0 + minute * MIN,
});
const watch = (user: string, movie: string, minute: number, at: number): InteractionRecord => ({ user, movie, kind: 'watch', value: minute, time: at });
const rate = (user: string, movie: string, rating: number, at: number): InteractionRecord => ({ user, movie, kind: 'rate', value: rating, time: at });

const lists = [
  served('1', ['m1', 'm2'], 'r1', 10, 10),
  served('2', ['m3'], 'r1', 20, 30, true),
  served('3', ['m1'], 'r2', 5, 5),
  served('4', ['m1'], 'r2', 100, 1), // after `to`: not this evaluation's
  served('5', ['m4'], 'r2', 59, 7),
];
const interactions = [
  watch('1', 'm1', 0, T0 + 9 * MIN), // before the list: never counts
  watch('1', 'm1', 1, T0 + 11 * MIN),
  watch('1', 'm1', 2, T0 + 12 * MIN),
  watch('1', 'm1', 2, T0 + 13 * MIN), // the same minute again: one watched minute
  watch('1', 'm9', 0, T0 + 15 * MIN), // not recommended
  watch('1', 'm2', 0, T0 + 40 * MIN), // exactly servedAt + window: outside
  rate('1', 'm2', 8, T0 + 20 * MIN),
  rate('1', 'm1', 6, T0 + 30 * MIN),
  rate('1', 'm1', 7, T0 + 35 * MIN), // the last rating in the window counts
  watch('2', 'm3', 0, T0 + 20 * MIN - 1000), // stamped the second before the list: not after it
  watch('2', 'm3', 1, T0 + 50 * MIN + 1), // just outside the window
  rate('3', 'm1', 3, T0 + 4 * MIN), // before the list
  watch('3', 'm1', 0, T0 + 6 * MIN),
  watch('4', 'm1', 0, T0 + 101 * MIN),
  watch('5', 'm4', 0, T0 + 88 * MIN + MIN - 1), // 29:59.999 after the list: inside
];

describe('evaluateOnline', () => {
  it('joins each list with the same user’s later interactions inside the window, per revision (hand-computed)', () => {
    const report = evaluateOnline({ served: lists, interactions, from: T0, to: T0 + 60 * MIN, windowMs: WINDOW, at: T0 + 120 * MIN });
    expect(report).toEqual({
      at: new Date(T0 + 120 * MIN).toISOString(),
      from: new Date(T0).toISOString(),
      to: new Date(T0 + 60 * MIN).toISOString(),
      windowMinutes: 30,
      revisions: [
        { revision: 'r1', modelVersion: 'r1-model', served: 2, hits: 1, hitRate: 0.5, watchedMinutes: 2, ratings: 2, meanRating: 7.5, fallbackShare: 0.5, latencyP50Ms: 10, latencyP95Ms: 30 },
        { revision: 'r2', modelVersion: 'r2-model', served: 2, hits: 2, hitRate: 1, watchedMinutes: 2, ratings: 0, meanRating: null, fallbackShare: 0, latencyP50Ms: 5, latencyP95Ms: 7 },
      ],
    });
  });

  it('never counts a watch before the recommendation, however close', () => {
    const list = served('7', ['m1'], 'r1', 10, 1);
    const report = evaluateOnline({
      served: [list],
      interactions: [watch('7', 'm1', 0, list.time - 1), watch('7', 'm1', 1, list.time - 20 * MIN), rate('7', 'm1', 9, list.time - 1)],
      from: T0,
      to: T0 + 60 * MIN,
      windowMs: WINDOW,
      at: T0 + 120 * MIN,
    });
    expect(report.revisions[0]).toMatchObject({ served: 1, hits: 0, hitRate: 0, watchedMinutes: 0, ratings: 0, meanRating: null });
  });

  it('reads whole-second stamps (the course\u2019s watch lines) as the whole second: the list\u2019s own second may follow it, the second before never does', () => {
    const list = { ...served('7', ['m1'], 'r1', 10, 1), time: T0 + 10 * MIN + 400 };
    const run = (time: number) =>
      evaluateOnline({ served: [list], interactions: [watch('7', 'm1', 0, time)], from: T0, to: T0 + 60 * MIN, windowMs: WINDOW, at: T0 + 120 * MIN }).revisions[0].hits;
    expect(run(T0 + 10 * MIN)).toBe(1); // 12:10:00 (whole second) holds 12:10:00.400
    expect(run(T0 + 10 * MIN - 1000)).toBe(0); // 12:09:59 ended before
    expect(run(T0 + 10 * MIN + 399)).toBe(0); // an exact stamp before the list
    expect(run(T0 + 10 * MIN + 401)).toBe(1);
  });

  it('counts a watch one millisecond after, and not one just past the window', () => {
    const list = served('7', ['m1'], 'r1', 10, 1);
    const run = (time: number) =>
      evaluateOnline({ served: [list], interactions: [watch('7', 'm1', 0, time)], from: T0, to: T0 + 60 * MIN, windowMs: WINDOW, at: T0 + 120 * MIN }).revisions[0].hits;
    expect(run(list.time + 1)).toBe(1);
    expect(run(list.time + WINDOW - 1)).toBe(1);
    expect(run(list.time + WINDOW)).toBe(0);
    expect(run(list.time + WINDOW + 1)).toBe(0);
  });

  it('leaves out lists whose window has not closed yet', () => {
    const report = evaluateOnline({ served: lists, interactions, from: T0, to: T0 + 60 * MIN, windowMs: WINDOW, at: T0 + 80 * MIN });
    expect(report.revisions.map((r) => [r.revision, r.served, r.hits])).toEqual([
      ['r1', 2, 1],
      ['r2', 1, 1],
    ]);
  });

  it('follows the window length it is given', () => {
    const report = evaluateOnline({ served: lists, interactions, from: T0, to: T0 + 60 * MIN, windowMs: 2 * MIN, at: T0 + 120 * MIN });
    // user 1: only minute 1 (11 min) is within 2 minutes of 10 min; user 3: 6 min is 1 minute after 5; user 5: none.
    expect(report.revisions.map((r) => [r.revision, r.hits, r.watchedMinutes, r.ratings])).toEqual([
      ['r1', 1, 1, 0],
      ['r2', 1, 1, 0],
    ]);
    expect(report.windowMinutes).toBe(2);
  });

  it('answers no revisions for an empty window', () => {
    expect(evaluateOnline({ served: [], interactions, from: T0, to: T0 + MIN, windowMs: WINDOW, at: T0 + 60 * MIN }).revisions).toEqual([]);
  });
});

describe('nearestRank', () => {
  it('takes the value at rank ceil(p·n)', () => {
    const values = Array.from({ length: 20 }, (_, k) => k + 1);
    expect(nearestRank(values, 0.5)).toBe(10);
    expect(nearestRank(values, 0.95)).toBe(19);
    expect(nearestRank([4], 0.95)).toBe(4);
    expect(nearestRank([], 0.5)).toBeNull();
  });
});
