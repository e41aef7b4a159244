import { EventsReader } from '../events/events-reader.js';
import type { EventsStorage } from '../events/events-storage.js';
import { RecommendationServedSchema } from '../messaging/events/recommendation-served.js';

/** How one revision served one model version, from the events store's `served` records. */
export interface ServedUsage {
  readonly revision: string;
  readonly modelVersion: string;
  readonly served: number;
  /** Answers that were the popularity fallback (unknown user). */
  readonly fallbacks: number;
  readonly firstServed: string;
  readonly lastServed: string;
}

/**
 * Every revision that answered with `modelVersion`, read from the `served`
 * records at or after `from` (ms; the model's creation time: it cannot have
 * served before), ordered by first answer. Records whose data fails the
 * `recommendation.served` schema are not counted.
 */
export async function servedUsage(storage: EventsStorage, modelVersion: string, from?: number): Promise<ServedUsage[]> {
  const byRevision = new Map<string, { served: number; fallbacks: number; first: number; last: number }>();
  await new EventsReader(storage).scan({ from, kinds: ['served'] }, (record) => {
    if (record.kind !== 'served') return;
    const parsed = RecommendationServedSchema.safeParse(record.data);
    if (!parsed.success || parsed.data.modelVersion !== modelVersion) return;
    const at = Date.parse(parsed.data.servedAt);
    const entry = byRevision.get(parsed.data.revision) ?? { served: 0, fallbacks: 0, first: at, last: at };
    entry.served += 1;
    if (parsed.data.fallback) entry.fallbacks += 1;
    entry.first = Math.min(entry.first, at);
    entry.last = Math.max(entry.last, at);
    byRevision.set(parsed.data.revision, entry);
  });
  return [...byRevision.entries()]
    .map(([revision, e]) => ({
      revision,
      modelVersion,
      served: e.served,
      fallbacks: e.fallbacks,
      firstServed: new Date(e.first).toISOString(),
      lastServed: new Date(e.last).toISOString(),
    }))
    .sort((a, b) => (a.firstServed < b.firstServed ? -1 : a.firstServed > b.firstServed ? 1 : 0));
}
