import type { InteractionRecord } from '../data/records.js';
import { formatLine } from './format-line.js';

/**
 * The course log line for an interaction record: `GET /rate/<movie>=<rating>`
 * or `GET /data/m/<movie>/<minute>.mpg`, stamped with the record's time to the
 * millisecond (`2024-01-05T10:11:12.345`, UTC, no zone, as the stream writes).
 */
export function recordLine(record: InteractionRecord): string {
  const timestamp = new Date(record.time).toISOString().slice(0, -1);
  const common = { time: record.time, timestamp, user: record.user, movie: record.movie };
  return record.kind === 'rate'
    ? formatLine({ kind: 'rate', ...common, rating: record.value })
    : formatLine({ kind: 'watch', ...common, minute: record.value });
}
