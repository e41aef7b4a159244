import type { InteractionRecord } from '../../../lib/data/records.js';
import { EventsWriter } from '../../../lib/events/events-writer.js';
import type { EventsStorage } from '../../../lib/events/events-storage.js';
import type { StoredRecord } from '../../../lib/events/stored-record.js';
import { courseRecord, dataRecord } from '../../../lib/events/stored-record.js';
import type { RecommendationServed } from '../../../lib/messaging/events/recommendation-served.js';
import type { Notice, Notifier } from '../../../lib/ops/notifier.js';
import { parseLine } from '../../../lib/stream/parse-line.js';
import { recordLine } from '../../../lib/stream/record-line.js';

const MINUTE = 60_000;
const SERVED_SOURCE = '/apis/v1/namespaces/movierec/triggers/served';
const WATCH_SOURCE = '/apis/v1/namespaces/movierec/kafkasources/movielog#movielog';
export const MOVIES = ['heat+1995', 'alien+1979', 'up+2009', 'jaws+1975'] as const;

/** One served list and what its user did: watched minutes of the first listed movie this many minutes after (negative: before). */
export interface ServedCase {
  readonly user: string;
  readonly revision: string;
  readonly modelVersion: string;
  readonly servedAt: number;
  readonly latencyMs: number;
  readonly fallback?: boolean;
  /** Minutes after servedAt of each watched minute line of MOVIES[0]. */
  readonly watchesAfter?: readonly number[];
  /** A rating of MOVIES[0] this many minutes after servedAt. */
  readonly rating?: { readonly after: number; readonly value: number };
}

/** Stores the served lists and the watches and ratings as ingest stores them (`served` records, course lines). */
export async function writeServedCases(storage: EventsStorage, cases: readonly ServedCase[], writerId: string): Promise<void> {
  const records: StoredRecord[] = [];
  let offset = 0;
  for (const c of cases) {
    const data: RecommendationServed = {
      user: c.user,
      movies: [...MOVIES],
      modelVersion: c.modelVersion,
      revision: c.revision,
      latencyMs: c.latencyMs,
      fallback: c.fallback ?? false,
      servedAt: new Date(c.servedAt).toISOString(),
    };
    records.push(dataRecord(SERVED_SOURCE, `${writerId}-served-${c.user}-${c.servedAt}`, 'served', c.servedAt, data, c.servedAt));
    const lines: InteractionRecord[] = (c.watchesAfter ?? []).map((after, minute) => ({ user: c.user, movie: MOVIES[0], kind: 'watch' as const, value: minute, time: c.servedAt + after * MINUTE }));
    if (c.rating !== undefined) lines.push({ user: c.user, movie: MOVIES[0], kind: 'rate' as const, value: c.rating.value, time: c.servedAt + c.rating.after * MINUTE });
    for (const line of lines) {
      const parsed = parseLine(recordLine(line), { scale: { min: 1, max: 10 } });
      if (!parsed.ok) throw new Error(`test line rejected: ${parsed.detail}`);
      records.push(courseRecord(WATCH_SOURCE, `partition:0/offset:${writerId}-${offset++}`, parsed.event, line.time));
    }
  }
  const writer = new EventsWriter(storage, { writerId });
  await writer.append(records);
  await writer.close();
}

/** A notifier that keeps every notice; `fail` makes notify throw (it must not matter). */
export function recordingNotifier(options: { readonly fail?: boolean } = {}): Notifier & { readonly notices: Notice[] } {
  const notices: Notice[] = [];
  return {
    notices,
    notify(notice) {
      notices.push(notice);
      if (options.fail === true) throw new Error('slack is down');
    },
    // A notifier whose delivery never finishes: evaluate never waits for it.
    flush: () => new Promise<void>(() => undefined),
  };
}
