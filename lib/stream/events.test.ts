import { describe, expect, it } from 'vitest';
import { CourseEventSchema, EVENT_KINDS, RequestEventSchema, WatchEventSchema, isEventKind } from './events.js';
import { REJECT_REASONS, emptyReasonCounts, isRejectReason } from './reject-reason.js';

const watch = {
  kind: 'watch',
  time: Date.UTC(2022, 2, 18, 6, 12, 47),
  timestamp: '2022-03-18T06:12:47',
  user: '326332',
  movie: 'ghostbusters+1984',
  minute: 54,
};

const failed = {
  kind: 'request',
  time: Date.UTC(2022, 1, 9, 1, 45, 32, 945),
  timestamp: '2022-02-09T01:45:32.945123',
  user: '284507',
  host: '17645-team17.isri.cmu.edu',
  port: 8082,
  status: 0,
  results: [],
  error: 'java.util.concurrent.TimeoutException',
  latencyMs: 815,
};

describe('event schemas', () => {
  it('accept well-formed events of each kind', () => {
    expect(CourseEventSchema.safeParse(watch).success).toBe(true);
    expect(CourseEventSchema.safeParse(failed).success).toBe(true);
    expect(CourseEventSchema.safeParse({ ...failed, status: 200, error: null, results: ['a+1999'] }).success).toBe(true);
    expect(CourseEventSchema.safeParse({ kind: 'create_account', time: 0, timestamp: '1970-01-01T00:00', user: '0' }).success).toBe(true);
  });

  it.each([
    ['time disagreeing with the timestamp', { ...watch, time: watch.time + 1 }],
    ['a non-canonical user id', { ...watch, user: '0326332' }],
    ['a percent-encoded movie id', { ...watch, movie: 'ghostbusters%2B1984' }],
    ['an upper-case movie id', { ...watch, movie: 'Ghostbusters+1984' }],
    ['a fractional minute', { ...watch, minute: 5.5 }],
    ['a bad timestamp', { ...watch, timestamp: '2022-03-28T04:00: 44' }],
    ['an unknown kind', { ...watch, kind: 'pause' }],
  ])('reject %s', (_name, value) => {
    expect(CourseEventSchema.safeParse(value).success).toBe(false);
    expect(WatchEventSchema.safeParse(value).success).toBe(false);
  });

  it.each([
    ['an error with status 200', { ...failed, status: 200 }],
    ['no error with status 0', { ...failed, error: null }],
    ['results on a failed request', { ...failed, results: ['a+1999'] }],
    ['a line break in the error', { ...failed, error: 'a\nb' }],
    ['a port out of range', { ...failed, port: 70_000 }],
    ['a host with a space', { ...failed, host: 'a b' }],
  ])('reject a request with %s', (_name, value) => {
    expect(RequestEventSchema.safeParse(value).success).toBe(false);
  });
});

describe('closed sets', () => {
  it('guard event kinds', () => {
    for (const kind of EVENT_KINDS) expect(isEventKind(kind)).toBe(true);
    expect(isEventKind('pause')).toBe(false);
    expect(isEventKind(1)).toBe(false);
  });

  it('guard reject reasons and count them all from zero', () => {
    for (const reason of REJECT_REASONS) expect(isRejectReason(reason)).toBe(true);
    expect(isRejectReason('other')).toBe(false);
    expect(isRejectReason(undefined)).toBe(false);
    expect(Object.keys(emptyReasonCounts()).sort()).toEqual([...REJECT_REASONS].sort());
  });
});
