import { describe, expect, it } from 'vitest';
import type { Poll } from './readiness-history.js';
import { notReadyReason, revisionWindows } from './readiness-history.js';

const rev = (name: string, phase: string) => ({ name, phase, ready: phase === 'ready', percent: phase === 'ready' ? 50 : 0, tag: null });
const polls: Poll[] = [
  { start: 0, end: 10, revisions: [rev('a', 'ready'), rev('b', 'starting')] },
  { start: 100, end: 110, revisions: [rev('a', 'ready'), rev('b', 'starting')] },
  { start: 200, end: 210, revisions: [rev('a', 'draining'), rev('b', 'ready')] },
  { start: 300, end: 310, revisions: [rev('b', 'ready')] },
];

describe('an answer checked against the polled readiness', () => {
  const windows = revisionWindows(polls);

  it('accepts answers inside what the polls allow', () => {
    expect(notReadyReason(windows, 'b', 95, 120)).toBeNull();
    expect(notReadyReason(windows, 'a', 190, 250)).toBeNull();
    expect(notReadyReason(windows, 'a', 205, 260)).toBeNull();
  });

  it('catches an answer from a revision a later poll still saw starting', () => {
    expect(notReadyReason(windows, 'b', 50, 90)).toBe('b answered at 90 ms but was still starting at 100 ms');
  });

  it('catches a request taken after the revision was seen draining', () => {
    expect(notReadyReason(windows, 'a', 215, 230)).toBe('a took a request at 215 ms after it was drained at 210 ms');
  });

  it('catches a revision never seen ready, or no revision at all', () => {
    expect(notReadyReason(windows, 'c', 0, 1)).toBe('c was never seen ready');
    expect(notReadyReason(windows, null, 0, 1)).toBe('no X-Revision');
  });
});
