import type { EventsStorage } from '../events/events-storage.js';
import { EventsReader } from '../events/events-reader.js';
import { OnlineReportSchema } from '../metrics/online-report-schema.js';
import type { OnlineRevisionStats } from '../metrics/online-stats.js';

/**
 * Online evaluation reports as evaluate keeps them in the events store:
 * `online` records (lib/events/stored-record.ts), each with an OnlineReport
 * as `data` (lib/metrics/online-stats.ts). A record that no longer parses is
 * skipped.
 */
export const ONLINE_REPORT_KIND = 'online';

/** A revision's stats in the latest report that names it, with when that report was made. */
export interface LatestOnlineStats {
  readonly at: string;
  readonly stats: OnlineRevisionStats;
}

/** For each revision that served `modelVersion`, its stats in the newest report (by `at`). Empty when there are none. */
export async function latestOnlineStats(storage: EventsStorage, modelVersion: string): Promise<Map<string, LatestOnlineStats>> {
  const latest = new Map<string, LatestOnlineStats>();
  await new EventsReader(storage).scan({ kinds: [ONLINE_REPORT_KIND] }, (record) => {
    if (record.kind !== ONLINE_REPORT_KIND) return;
    const parsed = OnlineReportSchema.safeParse(record.data);
    if (!parsed.success) return;
    const report = parsed.data;
    for (const stats of report.revisions) {
      if (stats.modelVersion !== modelVersion) continue;
      const known = latest.get(stats.revision);
      if (known === undefined || known.at < report.at) latest.set(stats.revision, { at: report.at, stats });
    }
  });
  return latest;
}
