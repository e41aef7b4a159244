import { z } from 'zod';
import type { EventsStorage } from '../events/events-storage.js';
import type { OnlineRevisionStats } from '../metrics/online-stats.js';

/**
 * Online evaluation reports as evaluate keeps them in the events store: one
 * record per evaluation, in segments under `online_evaluation/<day>/`, each
 * line `{source, id, kind: "online_evaluation", time, receivedAt, data}` with
 * `data` an OnlineReport (lib/metrics/online-stats.ts). This reader reads
 * the raw lines itself, so it works whether or not the events reader knows
 * the kind, and skips any line that does not parse.
 */
export const ONLINE_REPORT_KIND = 'online_evaluation';

const nullableNumber = z.number().nullable();

const RevisionStatsSchema = z.object({
  revision: z.string().min(1),
  modelVersion: z.string().min(1),
  served: z.number().nonnegative(),
  hits: z.number().nonnegative(),
  hitRate: nullableNumber,
  watchedMinutes: z.number(),
  ratings: z.number().nonnegative(),
  meanRating: nullableNumber,
  fallbackShare: nullableNumber,
  latencyP50Ms: nullableNumber,
  latencyP95Ms: nullableNumber,
});

export const OnlineReportSchema = z.object({
  at: z.string(),
  from: z.string(),
  to: z.string(),
  windowMinutes: z.number(),
  revisions: z.array(RevisionStatsSchema),
});

const OnlineReportRecordSchema = z.object({ kind: z.literal(ONLINE_REPORT_KIND), data: OnlineReportSchema });

/** A revision's stats in the latest report that names it, with when that report was made. */
export interface LatestOnlineStats {
  readonly at: string;
  readonly stats: OnlineRevisionStats;
}

/** For each revision that served `modelVersion`, its stats in the newest report (by `at`). Empty when there are none. */
export async function latestOnlineStats(storage: EventsStorage, modelVersion: string): Promise<Map<string, LatestOnlineStats>> {
  const latest = new Map<string, LatestOnlineStats>();
  for (const segment of await storage.list(`${ONLINE_REPORT_KIND}/`)) {
    const bytes = await storage.read(segment.key);
    if (bytes === undefined) continue;
    for (const line of Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8').split('\n')) {
      const report = parseReport(line);
      if (report === undefined) continue;
      for (const stats of report.revisions) {
        if (stats.modelVersion !== modelVersion) continue;
        const known = latest.get(stats.revision);
        if (known === undefined || known.at < report.at) latest.set(stats.revision, { at: report.at, stats });
      }
    }
  }
  return latest;
}

function parseReport(line: string): z.infer<typeof OnlineReportSchema> | undefined {
  if (line.length === 0) return undefined;
  try {
    const parsed = OnlineReportRecordSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data.data : undefined;
  } catch {
    return undefined;
  }
}
