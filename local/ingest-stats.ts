import { z } from 'zod';

/** What ingest's `GET /stats` reports (the part the live line and /status show). */
export const IngestStatsSchema = z.object({
  records: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  rejectsByReason: z.record(z.string(), z.number().int().nonnegative()),
  commits: z.number().int().nonnegative(),
});
export type IngestStats = z.infer<typeof IngestStatsSchema>;

/** Ask ingest for its counts; null when it is not running or does not answer in time. */
export async function ingestStats(url: string | undefined, timeoutMs = 500): Promise<IngestStats | null> {
  if (url === undefined) return null;
  try {
    const response = await fetch(`${url}/stats`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return null;
    const parsed = IngestStatsSchema.safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
