import { z } from 'zod';
import { EVENT_KINDS, type CourseEvent } from '../stream/events.js';
import { formatLine } from '../stream/format-line.js';

/**
 * The events store's record: one JSON object per line (`\n`-terminated,
 * UTF-8) in a segment file. Every record carries
 * - `source`, `id`: the CloudEvent attributes it arrived with; together the
 *   deduplication key (a KafkaSource sends `partition:<p>/offset:<o>` ids);
 * - `kind`: the segment family it lives in (see STORED_KINDS);
 * - `time`: the event's own instant, ms since the epoch (UTC). It picks the
 *   day folder, so a redelivered duplicate lands beside its original;
 * - `receivedAt`: when ingest received it (ms since the epoch).
 *
 * and by kind:
 * - course kinds (`watch`, `rate`, `request`, `create_account`): `line`, the
 *   canonical course line (`formatLine(event)`), which `parseLine` reads back;
 * - data kinds: `data`, a JSON object validated by the caller before it is
 *   stored — `served`: the CloudEvent's payload (`time` = servedAt);
 *   `online`: an OnlineReport of evaluate (`time` = the report's `to`, its
 *   watermark); `canary`: a canary decision record (`time` = when made);
 * - `rejects`: `reason` (kebab-case, e.g. a RejectReason), `detail` and the
 *   raw `line` exactly as received.
 * - `dead_letter`: `type` and `event`, a CloudEvent the Broker could not
 *   deliver, in structured-mode JSON (attributes, extensions such as
 *   `knativeerrorcode`, and `data` or `data_base64`); `time` is the event's
 *   own `time` attribute, or when it was received.
 *
 * ```
 * {"source":"/kafka#movielog","id":"partition:0/offset:7","kind":"watch","time":1647583967000,"receivedAt":1647583968012,"line":"2022-03-18T06:12:47,326332,GET /data/m/ghostbusters+1984/54.mpg"}
 * ```
 * Readers validate each line with StoredRecordSchema and skip (and count)
 * any line that fails, such as a torn last line after a crash.
 */
export const DATA_KINDS = ['served', 'online', 'canary'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

export const STORED_KINDS = [...EVENT_KINDS, ...DATA_KINDS, 'rejects', 'dead_letter'] as const;
export type StoredKind = (typeof STORED_KINDS)[number];

const STORED_KIND_SET: ReadonlySet<string> = new Set(STORED_KINDS);

export function isStoredKind(value: unknown): value is StoredKind {
  return typeof value === 'string' && STORED_KIND_SET.has(value);
}

/** A single line of text: course lines and reject samples never hold a line break. */
const LineSchema = z.string().refine((text) => !/[\r\n]/.test(text), 'holds a line break');

const base = {
  source: z.string().min(1).max(1024),
  id: z.string().min(1).max(1024),
  time: z.number().int(),
  receivedAt: z.number().int(),
};

export const CourseRecordSchema = z.object({ ...base, kind: z.enum(EVENT_KINDS), line: LineSchema });
export type CourseRecord = z.infer<typeof CourseRecordSchema>;

export const DataRecordSchema = z.object({ ...base, kind: z.enum(DATA_KINDS), data: z.record(z.string(), z.unknown()) });
export type DataRecord = z.infer<typeof DataRecordSchema>;

export const REJECT_REASON_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

export const RejectRecordSchema = z.object({
  ...base,
  kind: z.literal('rejects'),
  reason: z.string().regex(REJECT_REASON_PATTERN),
  detail: z.string().max(4096),
  line: z.string(),
});
export type RejectRecord = z.infer<typeof RejectRecordSchema>;

export const DeadLetterRecordSchema = z.object({
  ...base,
  kind: z.literal('dead_letter'),
  /** The undelivered event's type. */
  type: z.string().min(1).max(1024),
  /** The undelivered event as structured-mode JSON. */
  event: z.record(z.string(), z.unknown()),
});
export type DeadLetterRecord = z.infer<typeof DeadLetterRecordSchema>;

export const StoredRecordSchema = z.discriminatedUnion('kind', [CourseRecordSchema, DataRecordSchema, RejectRecordSchema, DeadLetterRecordSchema]);
export type StoredRecord = z.infer<typeof StoredRecordSchema>;

/** The deduplication key of a record: its CloudEvent `(source, id)`. */
export function recordKey(record: Pick<StoredRecord, 'source' | 'id'>): string {
  return `${record.source}\u0000${record.id}`;
}

/** The stored record of an accepted course event (the line in its canonical spelling). */
export function courseRecord(source: string, id: string, event: CourseEvent, receivedAt: number): CourseRecord {
  return { source, id, kind: event.kind, time: event.time, receivedAt, line: formatLine(event) };
}

/** The stored record of a CloudEvent payload the caller has validated. */
export function dataRecord(
  source: string,
  id: string,
  kind: DataKind,
  time: number,
  data: Record<string, unknown>,
  receivedAt: number,
): DataRecord {
  return { source, id, kind, time, receivedAt, data };
}

/** One serialised record, newline included. */
export function encodeRecord(record: StoredRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** A stored line back to a record, or undefined when it is not valid JSON or fails the schema. */
export function decodeRecord(line: string): StoredRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = StoredRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
