import { z } from 'zod';
import type { OnlineReport, OnlineRevisionStats } from './online-stats.js';

/**
 * OnlineReport as stored (the events store's `online` records) and served
 * (`GET /online` on evaluate): the boundary schema for reading it back.
 */
const count = z.number().int().nonnegative();
const rate = z.number().finite().nullable();

export const OnlineRevisionStatsSchema = z.object({
  revision: z.string().min(1),
  modelVersion: z.string().min(1),
  served: count,
  hits: count,
  hitRate: rate,
  watchedMinutes: count,
  ratings: count,
  meanRating: rate,
  fallbackShare: rate,
  latencyP50Ms: rate,
  latencyP95Ms: rate,
}) satisfies z.ZodType<OnlineRevisionStats>;

export const OnlineReportSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  windowMinutes: z.number().positive(),
  revisions: z.array(OnlineRevisionStatsSchema),
}) satisfies z.ZodType<OnlineReport>;
