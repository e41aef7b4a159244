import { z } from 'zod';
import { formatIssues, InvalidArgumentError } from '../errors.js';

/**
 * Options of the synthetic world (lib/data/synthetic.ts). Counts are exact:
 * `interactions` distinct (user, movie) pairs, every one watched, of which
 * `ratings` are also rated.
 */
export const SyntheticOptionsSchema = z
  .object({
    seed: z.number().int().default(1),
    users: z.number().int().min(1).default(2_000),
    movies: z.number().int().min(2).default(500),
    interactions: z.number().int().min(1).default(40_000),
    ratings: z.number().int().min(0).default(10_000),
    /** Dimensions of the hidden tastes. */
    dims: z.number().int().min(1).max(64).default(12),
    scale: z
      .object({ min: z.number(), max: z.number() })
      .refine((s) => s.min < s.max, 'scale.min must be below scale.max')
      .default({ min: 1, max: 5 }),
    /** Ratings are multiples of this above scale.min (0.5 for half stars). */
    ratingStep: z.number().positive().default(1),
    /** Zipf exponent of movie popularity (0 = uniform). */
    popularitySkew: z.number().min(0).max(3).default(0.9),
    /** Log-normal sigma of user activity (0 = every user equally active). */
    activitySkew: z.number().min(0).max(3).default(1),
    /** A user picks the best-liked of this many popularity-drawn candidates (1 = no taste in choosing). */
    choosiness: z.number().int().min(1).max(16).default(3),
    /** Standard deviation of rating noise, in affinity units (affinity itself has sd ≈ 1.1). */
    ratingNoise: z.number().min(0).default(0.5),
    /** Events fall uniformly in [start, start + days), ms since the epoch. */
    start: z.number().default(Date.UTC(2024, 0, 1)),
    days: z.number().positive().default(60),
  })
  .refine((o) => o.ratings <= o.interactions, { message: 'ratings cannot exceed interactions', path: ['ratings'] })
  .refine((o) => o.interactions >= o.users, { message: 'every user needs an interaction: interactions ≥ users', path: ['interactions'] })
  .refine((o) => o.interactions <= o.users * maxPerUser(o.movies), {
    message: 'too many interactions: at most users × ⌈movies / 2⌉',
    path: ['interactions'],
  });

export type SyntheticOptions = z.infer<typeof SyntheticOptionsSchema>;
export type SyntheticInput = z.input<typeof SyntheticOptionsSchema>;

/** The course stream's size: ~1M users, ~27k movies, 10M watched pairs, 1M ratings. */
export const COURSE_SCALE = Object.freeze({
  users: 1_000_000,
  movies: 27_000,
  interactions: 10_000_000,
  ratings: 1_000_000,
} satisfies SyntheticInput);

/** A user watches at most half of the catalogue. */
export function maxPerUser(movies: number): number {
  return Math.ceil(movies / 2);
}

/** Validate options from outside; every issue in one InvalidArgumentError. */
export function parseSyntheticOptions(input: SyntheticInput): SyntheticOptions {
  const parsed = SyntheticOptionsSchema.safeParse(input);
  if (!parsed.success) throw new InvalidArgumentError(`invalid synthetic options: ${formatIssues(parsed.error.issues)}`);
  return parsed.data;
}
