import { DEFAULT_SCALE, type RatingScale } from '../data/records.js';
import type { CourseEvent, RequestEvent } from './events.js';
import {
  MAX_DIGITS,
  MAX_LATENCY_MS,
  MAX_MINUTE,
  MAX_PORT,
  MAX_STATUS,
  checkMovieId,
  checkUserId,
  isHost,
  parseDecimal,
  quote,
} from './fields.js';
import { reject, type ParseResult } from './reject-reason.js';
import { TIMESTAMP_FORMAT, parseTimestamp } from './timestamp.js';

export interface ParseOptions {
  /** Ratings must be integers in this closed range (default 1–5; the 2026 edition uses 1–10). */
  readonly scale?: RatingScale;
  /** Longer lines are rejected as `too-long` before any other work (default 16,384 UTF-16 units). */
  readonly maxLength?: number;
}

export const DEFAULT_MAX_LINE_LENGTH = 16_384;

const WATCH = 'GET /data/m/';
const RATE = 'GET /rate/';
const REQUEST = 'recommendation request ';
const CREATE_ACCOUNT = 'GET /create_account';
const STATUS = ', status ';
const RESULT = ', result: ';

/**
 * Parse one course log line (a trailing `\r` is ignored). Never throws: any
 * input — arbitrary text, lone surrogates, megabytes — yields either an
 * event or a rejection with a reason from REJECT_REASONS.
 *
 * Canonical form: ids come back canonical (user ids without leading zeros,
 * movie ids percent-decoded) and numbers as numbers (`054` → 54). For a
 * canonical line `formatLine(event) === line`; for any accepted line
 * `formatLine(event)` is its canonical spelling, which parses to the same event.
 * Positional scanning with indexOf only: no regexes, linear in the line.
 */
export function parseLine(line: string, options: ParseOptions = {}): ParseResult {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LINE_LENGTH;
  if (line.length > maxLength) return reject('too-long', `line of ${line.length} characters exceeds ${maxLength}`);
  const text = line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
  if (text.trim().length === 0) return reject('empty', 'the line is empty');

  const comma1 = text.indexOf(',');
  const timestamp = comma1 < 0 ? text : text.slice(0, comma1);
  const time = parseTimestamp(timestamp);
  if (Number.isNaN(time)) return reject('bad-timestamp', `time ${quote(timestamp)} is not ${TIMESTAMP_FORMAT}`);
  if (comma1 < 0) return reject('bad-user', 'no user id after the time');

  const comma2 = text.indexOf(',', comma1 + 1);
  const user = checkUserId(comma2 < 0 ? text.slice(comma1 + 1) : text.slice(comma1 + 1, comma2));
  if (!user.ok) return reject('bad-user', user.problem);
  if (comma2 < 0) return reject('unknown-kind', 'no action after the user id');

  const head = { time, timestamp, user: user.value };
  const action = text.slice(comma2 + 1);
  if (action.startsWith(WATCH)) return parseWatch(head, action.slice(WATCH.length));
  if (action.startsWith(RATE)) return parseRate(head, action.slice(RATE.length), options.scale ?? DEFAULT_SCALE);
  if (action.startsWith(REQUEST)) return parseRequest(head, action.slice(REQUEST.length));
  if (action === CREATE_ACCOUNT) return accept({ kind: 'create_account', ...head });
  return reject('unknown-kind', `action ${quote(action, 40)} is not a watch, rate, request or create_account`);
}

interface Head {
  readonly time: number;
  readonly timestamp: string;
  readonly user: string;
}

function accept(event: CourseEvent): ParseResult {
  return { ok: true, event };
}

/** `<movie>/<minute>.mpg` */
function parseWatch(head: Head, rest: string): ParseResult {
  const slash = rest.lastIndexOf('/');
  if (slash < 0) return reject('bad-minute', `expected <movie>/<minute>.mpg, found ${quote(rest)}`);
  const movie = checkMovieId(rest.slice(0, slash));
  if (!movie.ok) return reject('bad-movie', movie.problem);
  const file = rest.slice(slash + 1);
  const minute = file.endsWith('.mpg') ? parseDecimal(file.slice(0, -4), MAX_DIGITS) : -1;
  if (minute < 0 || minute > MAX_MINUTE) {
    return reject('bad-minute', `${quote(file)} is not <minute>.mpg with an integer minute 0–${MAX_MINUTE}`);
  }
  return accept({ kind: 'watch', ...head, movie: movie.value, minute });
}

/** `<movie>=<rating>` */
function parseRate(head: Head, rest: string, scale: RatingScale): ParseResult {
  const equals = rest.lastIndexOf('=');
  if (equals < 0) return reject('bad-rating', `expected <movie>=<rating>, found ${quote(rest)}`);
  const movie = checkMovieId(rest.slice(0, equals));
  if (!movie.ok) return reject('bad-movie', movie.problem);
  const ratingText = rest.slice(equals + 1);
  const rating = parseDecimal(ratingText, MAX_DIGITS);
  if (rating < 0) return reject('bad-rating', `rating ${quote(ratingText)} is not an integer in ${scale.min}–${scale.max}`);
  if (rating < scale.min || rating > scale.max) {
    return reject('rating-out-of-range', `rating ${rating} is not in ${scale.min}–${scale.max}`);
  }
  return accept({ kind: 'rate', ...head, movie: movie.value, rating });
}

/** `<host>:<port>, status <code>, result: <ids or error text>, <n> ms` */
function parseRequest(head: Head, rest: string): ParseResult {
  const statusAt = rest.indexOf(STATUS);
  const resultAt = statusAt < 0 ? -1 : rest.indexOf(RESULT, statusAt + STATUS.length);
  if (resultAt < 0) return reject('bad-request-line', `expected <host>:<port>, status <code>, result: …, found ${quote(rest)}`);

  const address = rest.slice(0, statusAt);
  const colon = address.lastIndexOf(':');
  const host = colon < 0 ? '' : address.slice(0, colon);
  const port = colon < 0 ? -1 : parseDecimal(address.slice(colon + 1), MAX_DIGITS);
  if (!isHost(host) || port < 0 || port > MAX_PORT) {
    return reject('bad-request-line', `${quote(address)} is not <host>:<port>`);
  }

  const statusText = rest.slice(statusAt + STATUS.length, resultAt);
  const status = parseDecimal(statusText, MAX_DIGITS);
  if (status < 0 || status > MAX_STATUS) return reject('bad-status', `status ${quote(statusText)} is not an integer 0–${MAX_STATUS}`);

  const tail = rest.slice(resultAt + RESULT.length);
  const lastComma = tail.lastIndexOf(', ');
  const latencyText = tail.endsWith(' ms') && lastComma >= 0 ? tail.slice(lastComma + 2, -3) : '';
  const latencyMs = parseDecimal(latencyText, MAX_DIGITS);
  if (latencyMs < 0 || latencyMs > MAX_LATENCY_MS) {
    return reject('bad-latency', `the line does not end in ", <n> ms" with an integer n: ${quote(tail.slice(-20))}`);
  }

  const body = tail.slice(0, lastComma);
  const event = { kind: 'request' as const, ...head, host, port, status, latencyMs };
  if (status !== 200) {
    if (body.includes('\n') || body.includes('\r')) return reject('bad-request-line', 'the result text holds a line break');
    return accept({ ...event, results: [], error: body });
  }
  const results = parseResults(body);
  return typeof results === 'string' ? reject('bad-movie', results) : accept({ ...event, results, error: null });
}

/** The `, `-separated ids of a successful request (none when empty), or the first problem. */
function parseResults(body: string): RequestEvent['results'] | string {
  const results: string[] = [];
  if (body.length === 0) return results;
  let from = 0;
  for (;;) {
    const comma = body.indexOf(', ', from);
    const movie = checkMovieId(comma < 0 ? body.slice(from) : body.slice(from, comma));
    if (!movie.ok) return `result ${results.length + 1}: ${movie.problem}`;
    results.push(movie.value);
    if (comma < 0) return results;
    from = comma + 2;
  }
}
