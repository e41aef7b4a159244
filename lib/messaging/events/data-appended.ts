import { z } from 'zod';

/** `io.movierec.data.appended.v1`: ingest committed records (counts since its last report). */
export const DATA_APPENDED = 'io.movierec.data.appended.v1' as const;

export const DataAppendedSchema = z.object({
  /** Records stored, by kind (`watch`, `rate`, `request`, `create_account`, `served`). */
  stored: z.record(z.string(), z.number().int().nonnegative()),
  duplicates: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  /** Counted since this time. */
  since: z.iso.datetime({ offset: true }),
});
export type DataAppended = z.infer<typeof DataAppendedSchema>;
