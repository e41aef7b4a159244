import { z } from 'zod';
import { ALGORITHMS } from '../../models/model.js';

/** `io.movierec.model.trained.v1`: one training run finished; a bundle per algorithm it fitted. */
export const MODEL_TRAINED = 'io.movierec.model.trained.v1' as const;

const Metrics = z.record(z.string(), z.number().nullable());

export const TrainedModelSchema = z.object({
  algorithm: z.enum(ALGORITHMS),
  /** The bundle's manifest version, e.g. `svd-20261126T101500.000Z-1a2b3c4d`. */
  version: z.string().min(1),
  /** Where the bundle is: a folder path now, an object-store URI later (MODEL_URI takes it as is). */
  bundleUri: z.string().min(1),
  /** Offline metrics on the validation split (`rmse`, `ndcgAt20`, … ; null where undefined). */
  metrics: Metrics,
  fitSeconds: z.number().nonnegative(),
});
export type TrainedModel = z.infer<typeof TrainedModelSchema>;

export const ModelTrainedSchema = z.object({
  /** Names the run; the bundles' manifests carry the same data snapshot. */
  runId: z.string().min(1),
  models: z.array(TrainedModelSchema).min(1),
  /** The training data: window, segments' content hash, and counts. */
  snapshot: z.object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    /**
     * The validation slice: interactions whose latest event is at or after
     * this time (and before `to`) were held out of the fit; null when nothing
     * was held out. evaluate scores candidate and champion on it.
     */
    holdoutFrom: z.iso.datetime({ offset: true }).nullable(),
    contentHash: z.string().min(1),
    segments: z.number().int().nonnegative(),
    interactions: z.number().int().nonnegative(),
    users: z.number().int().nonnegative(),
    movies: z.number().int().nonnegative(),
  }),
  /** What triggered the run (the retrain request's reason). */
  reason: z.string().min(1),
  trainedAt: z.iso.datetime({ offset: true }),
});
export type ModelTrained = z.infer<typeof ModelTrainedSchema>;
