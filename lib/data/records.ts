/**
 * One observed interaction, as every reader produces it before aggregation:
 * a rating of a movie, or one watched minute of it. Ids are raw strings
 * (user ids as written, movie slugs decoded); `time` is milliseconds since
 * the Unix epoch (UTC).
 */
export const INTERACTION_KINDS = ['rate', 'watch'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export interface InteractionRecord {
  readonly user: string;
  readonly movie: string;
  readonly kind: InteractionKind;
  /** The rating for `rate`; the minute reached for `watch`. */
  readonly value: number;
  readonly time: number;
}

/** The closed range ratings live in (1–5 for MovieLens and the course until 2025, 1–10 in 2026). */
export interface RatingScale {
  readonly min: number;
  readonly max: number;
}

export const DEFAULT_SCALE: RatingScale = Object.freeze({ min: 1, max: 5 });
