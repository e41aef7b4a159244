/**
 * TEST HELPER — the local runtime's `/status` polled over time, to check that
 * an answer came from a revision that was ready then. Phases only move
 * forward (starting → ready → draining → gone), so for an answer from `r`
 * asked at `start` and complete at `end`:
 * - a poll begun at or after `end` that still saw `r` starting proves it was
 *   not ready yet;
 * - a poll complete at or before `start` that saw `r` draining or gone (after
 *   it was seen) proves it no longer took new requests.
 */

export interface StatusRevision {
  readonly name: string;
  readonly phase: string;
  readonly ready: boolean;
  readonly percent: number;
  readonly tag: string | null;
}

export interface Poll {
  readonly start: number;
  readonly end: number;
  readonly revisions: readonly StatusRevision[];
}

export interface RevisionWindow {
  /** Start of the last poll that saw it starting (−∞: never seen starting). */
  readonly lastStartingPollStart: number;
  /** End of the first poll that saw it draining or gone after it was seen (+∞: never). */
  readonly firstGonePollEnd: number;
  readonly seenReady: boolean;
}

export function revisionWindows(polls: readonly Poll[]): Map<string, RevisionWindow> {
  const windows = new Map<string, { lastStartingPollStart: number; firstGonePollEnd: number; seenReady: boolean }>();
  for (const poll of polls) {
    const present = new Set(poll.revisions.map((r) => r.name));
    for (const r of poll.revisions) {
      const w = windows.get(r.name) ?? { lastStartingPollStart: -Infinity, firstGonePollEnd: Infinity, seenReady: false };
      if (r.phase === 'starting') w.lastStartingPollStart = Math.max(w.lastStartingPollStart, poll.start);
      if (r.phase === 'ready') w.seenReady = true;
      if (r.phase === 'draining' || r.phase === 'failed') w.firstGonePollEnd = Math.min(w.firstGonePollEnd, poll.end);
      windows.set(r.name, w);
    }
    for (const [name, w] of windows) if (!present.has(name)) w.firstGonePollEnd = Math.min(w.firstGonePollEnd, poll.end);
  }
  return windows;
}

/** Why an answer from `revision` over [start, end] was not from a ready revision; null when nothing says so. */
export function notReadyReason(windows: ReadonlyMap<string, RevisionWindow>, revision: string | null, start: number, end: number): string | null {
  if (revision === null) return 'no X-Revision';
  const w = windows.get(revision);
  if (w === undefined || !w.seenReady) return `${revision} was never seen ready`;
  if (w.lastStartingPollStart >= end) return `${revision} answered at ${end.toFixed(0)} ms but was still starting at ${w.lastStartingPollStart.toFixed(0)} ms`;
  if (w.firstGonePollEnd <= start) return `${revision} took a request at ${start.toFixed(0)} ms after it was drained at ${w.firstGonePollEnd.toFixed(0)} ms`;
  return null;
}
