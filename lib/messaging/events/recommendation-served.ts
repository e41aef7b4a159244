import { z } from 'zod';

/** `io.movierec.recommendation.served.v1`: one answer of `GET /recommend/:userId`, as served. */
export const RECOMMENDATION_SERVED = 'io.movierec.recommendation.served.v1' as const;

export const RecommendationServedSchema = z.object({
  /** The user id as asked, decimal digits. */
  user: z.string().regex(/^\d{1,12}$/, 'expected 1 to 12 decimal digits'),
  /** The movie ids answered, best first. */
  movies: z.array(z.string().min(1)).max(1000),
  /** The manifest version of the model that answered. */
  modelVersion: z.string().min(1),
  /** The Knative revision that answered (`K_REVISION`). */
  revision: z.string().min(1),
  /** Time spent answering inside the function, in milliseconds. */
  latencyMs: z.number().finite().nonnegative(),
  /** True when the user was unknown to the model and got the popularity fallback. */
  fallback: z.boolean(),
  servedAt: z.iso.datetime({ offset: true }),
});
export type RecommendationServed = z.infer<typeof RecommendationServedSchema>;
