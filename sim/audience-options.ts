import { z } from 'zod';
import { formatIssues, InvalidArgumentError } from '../lib/errors.js';
import { isHost, MAX_PORT } from '../lib/stream/fields.js';

/**
 * Options of the simulated world (world.ts): its size, seed and the shape of
 * its tastes. Defaults: a small world for a laptop; the course is
 * `users: 1_000_000, movies: 27_000`.
 */
export const WorldOptionsSchema = z.object({
  seed: z.number().int().default(1),
  users: z.number().int().min(1).max(50_000_000).default(1_000),
  movies: z.number().int().min(2).max(200_000).default(500),
  /** Dimensions of the hidden tastes (as lib/data's synthetic world). */
  dims: z.number().int().min(1).max(64).default(12),
  /** Zipf exponent of movie popularity. */
  popularitySkew: z.number().min(0).max(3).default(0.9),
  /** Log-normal sigma of how often each user comes back. */
  activitySkew: z.number().min(0).max(3).default(1),
  /** The share of users who have no account yet when the simulation starts (they sign up as it runs). */
  newUserShare: z.number().min(0).max(0.99).default(0.1),
  scale: z
    .object({ min: z.number().int(), max: z.number().int() })
    .refine((s) => s.min < s.max, 'scale.min must be below scale.max')
    .default({ min: 1, max: 5 }),
  /** Standard deviation of rating noise, in affinity units. */
  ratingNoise: z.number().min(0).default(0.5),
});
export type WorldOptions = z.infer<typeof WorldOptionsSchema>;
export type WorldInput = z.input<typeof WorldOptionsSchema>;

const HostLabelSchema = z.string().refine((label) => {
  const colon = label.lastIndexOf(':');
  const port = Number(label.slice(colon + 1));
  return colon > 0 && isHost(label.slice(0, colon)) && /^\d+$/.test(label.slice(colon + 1)) && port <= MAX_PORT;
}, 'expected <host>:<port>, e.g. movierec-local:8080');

/** How the audience behaves and how fast it runs. */
export const AudienceOptionsSchema = WorldOptionsSchema.extend({
  ingressUrl: z.url({ protocol: /^https?$/ }),
  /** Sessions started per second of real time, before `speed`. */
  sessionsPerSecond: z.number().positive().max(1_000_000).default(10),
  /** Multiplies `sessionsPerSecond`. */
  speed: z.number().positive().max(10_000).default(1),
  topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'a Kafka topic name: letters, digits, . _ -').default('movielog'),
  /** `<host>:<port>` written in every `recommendation request` line. */
  host: HostLabelSchema.default('movierec-local:8080'),
  /** The chance that a session is a new user's first (a `GET /create_account` line first), while any are left. */
  newUserRate: z.number().min(0).max(1).default(0.02),
  /** The chance a user rates the movie they watched. */
  rateProbability: z.number().min(0).max(1).default(0.1),
  /** Watch lines written per session at most (minutes are stepped to fit). */
  maxWatchLines: z.number().int().min(1).max(1_000).default(30),
  /** The course's recommendation timeout. */
  requestTimeoutMs: z.number().int().positive().default(800),
  /** Sessions waiting for the ingress at once; more due sessions wait their turn. */
  maxConcurrentSessions: z.number().int().min(1).max(10_000).default(64),
  /** Stop starting sessions after this many (a bounded run); unbounded when absent. */
  maxSessions: z.number().int().min(0).optional(),
  /** A batch is POSTed when this many lines wait, or every `flushMs`. */
  batchLines: z.number().int().min(1).max(100_000).default(1_000),
  flushMs: z.number().int().positive().default(200),
  /** Lines held while the stream is unreachable; when full, no new session starts until there is room. */
  maxBufferedLines: z.number().int().min(1).default(100_000),
  /** How long `stop()` keeps trying to deliver what is buffered. */
  stopTimeoutMs: z.number().int().min(0).default(5_000),
});
export type AudienceOptions = z.infer<typeof AudienceOptionsSchema>;
export type AudienceInput = z.input<typeof AudienceOptionsSchema>;

function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidArgumentError(`invalid ${what} options: ${formatIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** Validate world options from outside; every issue in one InvalidArgumentError. */
export function parseWorldOptions(input: WorldInput): WorldOptions {
  return parseWith(WorldOptionsSchema, input, 'world');
}

/** Validate audience options from outside; every issue in one InvalidArgumentError. */
export function parseAudienceOptions(input: AudienceInput): AudienceOptions {
  return parseWith(AudienceOptionsSchema, input, 'audience');
}
