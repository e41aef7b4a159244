import type { InteractionRecord } from '../data/records.js';
import type { ServedRecommendation } from '../metrics/online-evaluation.js';
import { RecommendationServedSchema } from '../messaging/events/recommendation-served.js';
import { MAX_RATING } from '../stream/fields.js';
import { interactionOf } from '../stream/interaction-of.js';
import { parseLine } from '../stream/parse-line.js';
import type { EventsStorage } from './events-storage.js';
import { EventsReader } from './events-reader.js';

/** What online evaluation of `[from, to)` reads. */
export interface OnlineInputs {
  /** Served lists with from ≤ servedAt < to. */
  readonly served: ServedRecommendation[];
  /** Watch lines (one per minute) and ratings with from ≤ time < to + windowMs. */
  readonly interactions: InteractionRecord[];
  /** Stored records skipped: served payloads or course lines that no longer parse. */
  readonly skipped: number;
}

/** Ratings are read on the widest scale: online evaluation averages what users gave, whatever the edition's scale. */
const ANY_RATING = { min: 0, max: MAX_RATING } as const;

/**
 * One pass over the `served`, `watch` and `rate` segments of the days that
 * `[from, to + windowMs)` touches: the served lists of `[from, to)` and the
 * interactions that may follow them within the window. Duplicates are
 * dropped by the reader; what fails its schema now is counted, not thrown.
 */
export async function readOnlineInputs(storage: EventsStorage, range: { readonly from: number; readonly to: number; readonly windowMs: number }): Promise<OnlineInputs> {
  const served: ServedRecommendation[] = [];
  const interactions: InteractionRecord[] = [];
  let skipped = 0;
  await new EventsReader(storage).scan({ from: range.from, to: range.to + range.windowMs, kinds: ['served', 'watch', 'rate'] }, (record) => {
    if (record.kind === 'served') {
      if (record.time >= range.to) return;
      const parsed = RecommendationServedSchema.safeParse(record.data);
      if (!parsed.success) skipped += 1;
      else {
        const { user, movies, revision, modelVersion, latencyMs, fallback } = parsed.data;
        served.push({ user, movies, revision, modelVersion, latencyMs, fallback, time: record.time });
      }
    } else if (record.kind === 'watch' || record.kind === 'rate') {
      const parsed = parseLine(record.line, { scale: ANY_RATING });
      const interaction = parsed.ok ? interactionOf(parsed.event) : undefined;
      if (interaction === undefined) skipped += 1;
      else interactions.push(interaction);
    }
  });
  return { served, interactions, skipped };
}
