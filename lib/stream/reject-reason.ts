import type { CourseEvent } from './events.js';

/**
 * Why a course log line was rejected. A closed set: ingest counts rejects by
 * these reasons (metrics labels, reject samples), so a new reason is a
 * deliberate change, never a free-form string.
 *
 * - `empty`: nothing but whitespace.
 * - `too-long`: longer than the parser's limit (checked before anything else).
 * - `bad-timestamp`: the first field is not `YYYY-MM-DDTHH:MM[:SS[.f…]]` (UTC, no zone) or names no real instant.
 * - `bad-user`: the second field is not a non-negative decimal integer.
 * - `unknown-kind`: the action is none of watch, rate, request, create_account.
 * - `bad-movie`: a movie id is empty, has a character a slug may not hold, or a broken percent escape.
 * - `bad-minute`: a watch line's `<minute>.mpg` is not a non-negative integer followed by `.mpg`.
 * - `bad-rating`: a rate line's rating is missing or not an integer.
 * - `rating-out-of-range`: an integer rating outside the configured scale.
 * - `bad-request-line`: a request line's frame (`<host>:<port>, status …, result: …`) is broken.
 * - `bad-status`: the status is not an integer of at most three digits.
 * - `bad-latency`: the line does not end in `, <n> ms` with an integer `n`.
 */
export const REJECT_REASONS = [
  'empty',
  'too-long',
  'bad-timestamp',
  'bad-user',
  'unknown-kind',
  'bad-movie',
  'bad-minute',
  'bad-rating',
  'rating-out-of-range',
  'bad-request-line',
  'bad-status',
  'bad-latency',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

const REASON_SET: ReadonlySet<string> = new Set(REJECT_REASONS);

export function isRejectReason(value: unknown): value is RejectReason {
  return typeof value === 'string' && REASON_SET.has(value);
}

/** An accepted line. */
export interface Parsed {
  readonly ok: true;
  readonly event: CourseEvent;
}

/** A rejected line: the reason (closed set) and a human-readable detail naming the offending text. */
export interface Rejected {
  readonly ok: false;
  readonly reason: RejectReason;
  readonly detail: string;
}

/** What `parseLine` returns; it never throws. */
export type ParseResult = Parsed | Rejected;

export function reject(reason: RejectReason, detail: string): Rejected {
  return { ok: false, reason, detail };
}

/** A counter per reason, all zero: the shape ingest and the readers report. */
export function emptyReasonCounts(): Record<RejectReason, number> {
  return {
    empty: 0,
    'too-long': 0,
    'bad-timestamp': 0,
    'bad-user': 0,
    'unknown-kind': 0,
    'bad-movie': 0,
    'bad-minute': 0,
    'bad-rating': 0,
    'rating-out-of-range': 0,
    'bad-request-line': 0,
    'bad-status': 0,
    'bad-latency': 0,
  };
}
