import { z } from 'zod';
import {
  MAX_LATENCY_MS,
  MAX_MINUTE,
  MAX_PORT,
  MAX_RATING,
  MAX_STATUS,
  checkUserId,
  isCanonicalMovieId,
  isHost,
} from './fields.js';
import { TIMESTAMP_FORMAT, parseTimestamp } from './timestamp.js';

/**
 * The typed events of the course stream, one per line kind. Every event keeps
 * the original timestamp text so `formatLine` can re-emit the line exactly;
 * `time` is that instant in ms since the epoch (UTC, fraction truncated).
 *
 * The schemas accept exactly what `parseLine` produces: canonical ids, the
 * same bounds, `time` agreeing with `timestamp`. So an event that passes a
 * schema at some other boundary (CloudEvent data) formats to a line that
 * parses back to the same event. The rating scale is a parser option; the
 * schema only asks for an integer 0–999.
 */
export const EVENT_KINDS = ['watch', 'rate', 'request', 'create_account'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const KIND_SET: ReadonlySet<string> = new Set(EVENT_KINDS);

export function isEventKind(value: unknown): value is EventKind {
  return typeof value === 'string' && KIND_SET.has(value);
}

const UserIdSchema = z.string().refine((text) => {
  const checked = checkUserId(text);
  return checked.ok && checked.value === text;
}, 'not a canonical user id (decimal digits, no leading zeros)');

const MovieIdSchema = z.string().refine(isCanonicalMovieId, 'not a canonical movie id (decoded slug)');

const TimestampSchema = z.string().refine((text) => !Number.isNaN(parseTimestamp(text)), `not a ${TIMESTAMP_FORMAT} timestamp`);

const base = {
  time: z.number().int(),
  timestamp: TimestampSchema,
  user: UserIdSchema,
};

function timeMatchesTimestamp(event: { time: number; timestamp: string }): boolean {
  return parseTimestamp(event.timestamp) === event.time;
}

const LINE_BREAK = /[\r\n]/;

const TIME_MISMATCH = { message: 'time does not equal the timestamp in ms since the epoch', path: ['time'] };

/** `<time>,<user>,GET /data/m/<movie>/<minute>.mpg`: one watched minute. */
export const WatchEventSchema = z
  .object({ kind: z.literal('watch'), ...base, movie: MovieIdSchema, minute: z.number().int().min(0).max(MAX_MINUTE) })
  .refine(timeMatchesTimestamp, TIME_MISMATCH);
export type WatchEvent = z.infer<typeof WatchEventSchema>;

/** `<time>,<user>,GET /rate/<movie>=<rating>`. */
export const RateEventSchema = z
  .object({ kind: z.literal('rate'), ...base, movie: MovieIdSchema, rating: z.number().int().min(0).max(MAX_RATING) })
  .refine(timeMatchesTimestamp, TIME_MISMATCH);
export type RateEvent = z.infer<typeof RateEventSchema>;

/**
 * `<time>,<user>,recommendation request <host>:<port>, status <code>, result: …, <n> ms`.
 * Status 200: `results` holds the recommended movie ids (in order) and
 * `error` is null. Any other status: `results` is empty and `error` holds
 * the result text verbatim (exception text, which may contain commas and "ms").
 */
export const RequestEventSchema = z
  .object({
    kind: z.literal('request'),
    ...base,
    host: z.string().refine(isHost, 'not a host name'),
    port: z.number().int().min(0).max(MAX_PORT),
    status: z.number().int().min(0).max(MAX_STATUS),
    results: z.array(MovieIdSchema),
    error: z
      .string()
      .refine((text) => !LINE_BREAK.test(text), 'holds a line break')
      .nullable(),
    latencyMs: z.number().int().min(0).max(MAX_LATENCY_MS),
  })
  .refine(timeMatchesTimestamp, TIME_MISMATCH)
  .refine((event) => (event.status === 200) === (event.error === null), {
    message: 'error must be null exactly when status is 200',
    path: ['error'],
  })
  .refine((event) => event.error === null || event.results.length === 0, {
    message: 'a failed request has no results',
    path: ['results'],
  });
export type RequestEvent = z.infer<typeof RequestEventSchema>;

/** `<time>,<user>,GET /create_account` (2026 edition). */
export const CreateAccountEventSchema = z
  .object({ kind: z.literal('create_account'), ...base })
  .refine(timeMatchesTimestamp, TIME_MISMATCH);
export type CreateAccountEvent = z.infer<typeof CreateAccountEventSchema>;

export const CourseEventSchema = z.discriminatedUnion('kind', [
  WatchEventSchema,
  RateEventSchema,
  RequestEventSchema,
  CreateAccountEventSchema,
]);
export type CourseEvent = z.infer<typeof CourseEventSchema>;
