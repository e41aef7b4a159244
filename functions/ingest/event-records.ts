import { createHash } from 'node:crypto';
import type { CloudEvent } from 'cloudevents';
import type { RatingScale } from '../../lib/data/records.js';
import { formatIssues } from '../../lib/errors.js';
import { rejectRecord } from '../../lib/events/rejects.js';
import type { DeadLetterRecord, StoredRecord } from '../../lib/events/stored-record.js';
import { courseRecord, dataRecord } from '../../lib/events/stored-record.js';
import type { EventOutcome } from '../../lib/messaging/cloud-event-batch.js';
import { eventSource, KAFKA_RECORD_TYPE } from '../../lib/messaging/event-types.js';
import { RECOMMENDATION_SERVED, RecommendationServedSchema } from '../../lib/messaging/events/recommendation-served.js';
import { parseLine } from '../../lib/stream/parse-line.js';

/**
 * What ingest stores for each incoming CloudEvent: exactly one record, so
 * every event is answered for and a redelivered copy finds its twin.
 * - a KafkaSource record (`dev.knative.kafka.event`) whose line parses: the
 *   course record (canonical line); one that does not: a reject with the
 *   parser's reason and the line as received;
 * - `recommendation.served` with valid data: a `served` record keyed by the
 *   event's `(source, id)` on the day it was served;
 * - at the dead-letter route, any valid event: a `dead_letter` record;
 * - anything else — a broken envelope, data that fails its schema, a type
 *   ingest does not take — a reject with one of INGEST_REJECT_REASONS.
 */

/** Ingest's own reject reasons, beside the course parser's RejectReasons. */
export const INGEST_REJECT_REASONS = ['bad-envelope', 'bad-payload', 'unexpected-type'] as const;
export type IngestRejectReason = (typeof INGEST_REJECT_REASONS)[number];

/** Ratings are kept on the widest scale any course edition uses (1–10); train applies its own scale when it reads. */
export const INGEST_SCALE: RatingScale = Object.freeze({ min: 1, max: 10 });

/** Raw text kept with a reject at most (UTF-16 units): the parser refuses longer lines anyway. */
export const MAX_REJECT_LINE = 16_384;

/** The source of rejects whose event had no usable `(source, id)`; their id is a hash of what arrived. */
export const INGEST_SOURCE = eventSource('ingest');

export interface IntakeContext {
  /** When the delivery arrived, ms since the epoch. */
  readonly receivedAt: number;
  readonly scale?: RatingScale;
}

function rejected(identity: { id?: string; source?: string }, raw: string, reason: string, detail: string, receivedAt: number) {
  const { id, source } = identity;
  const key =
    id !== undefined && source !== undefined ? { source, id } : { source: INGEST_SOURCE, id: `sha256:${createHash('sha256').update(raw).digest('hex')}` };
  const line = raw.length > MAX_REJECT_LINE ? raw.slice(0, MAX_REJECT_LINE) : raw;
  const cut = line.length < raw.length ? ` (kept the first ${MAX_REJECT_LINE} of ${raw.length} characters)` : '';
  return rejectRecord({ ...key, reason, detail: `${detail}${cut}`, line, receivedAt });
}

/** The event's data as text: a string as is, bytes as UTF-8; undefined for anything else (JSON values). */
function dataText(data: unknown): string | undefined {
  if (data === undefined || data === null) return '';
  if (typeof data === 'string') return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  return undefined;
}

const payloadText = (data: unknown): string => dataText(data) ?? JSON.stringify(data) ?? '';

/** A record line from Kafka, without the one line terminator a line-oriented producer may leave. */
function streamLine(text: string): string {
  return text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
}

function kafkaRecord(event: CloudEvent<unknown>, context: IntakeContext): StoredRecord {
  const text = dataText(event.data);
  if (text === undefined) return rejected(event, payloadText(event.data), 'bad-payload', 'the record is not text', context.receivedAt);
  const line = streamLine(text);
  const parsed = parseLine(line, { scale: context.scale ?? INGEST_SCALE });
  if (!parsed.ok) return rejected(event, line, parsed.reason, parsed.detail, context.receivedAt);
  return courseRecord(event.source, event.id, parsed.event, context.receivedAt);
}

function servedRecord(event: CloudEvent<unknown>, context: IntakeContext): StoredRecord {
  const served = RecommendationServedSchema.safeParse(event.data);
  if (!served.success) return rejected(event, payloadText(event.data), 'bad-payload', formatIssues(served.error.issues), context.receivedAt);
  return dataRecord(event.source, event.id, 'served', Date.parse(served.data.servedAt), served.data, context.receivedAt);
}

/** Stored `source`, `id` and `type` are at most this long (StoredRecordSchema). */
const MAX_ATTRIBUTE = 1024;

/** An event whose key attributes the store cannot hold becomes a refusal, keyed by a hash of the event. */
function storable(outcome: EventOutcome): EventOutcome {
  if (!outcome.ok) return outcome;
  const { event } = outcome;
  const long = (['id', 'source', 'type'] as const).filter((name) => event[name].length > MAX_ATTRIBUTE);
  if (long.length === 0) return outcome;
  const reasons = [`${long.join(', ')} longer than ${MAX_ATTRIBUTE} characters`];
  return { ok: false, reasons, identity: {}, raw: JSON.stringify(event.toJSON()) };
}

/** The record to store for one event delivered to ingest's main route (the KafkaSource and the served Trigger). */
export function recordOf(delivered: EventOutcome, context: IntakeContext): StoredRecord {
  const outcome = storable(delivered);
  if (!outcome.ok) return rejected(outcome.identity, outcome.raw, 'bad-envelope', outcome.reasons.join('; '), context.receivedAt);
  const { event } = outcome;
  if (event.type === KAFKA_RECORD_TYPE) return kafkaRecord(event, context);
  if (event.type === RECOMMENDATION_SERVED) return servedRecord(event, context);
  const detail = `type ${JSON.stringify(event.type.slice(0, 200))} is not ${KAFKA_RECORD_TYPE} or ${RECOMMENDATION_SERVED}`;
  return rejected(event, payloadText(event.data), 'unexpected-type', detail, context.receivedAt);
}

/** The largest instant a Date holds. */
const MAX_TIME = 8.64e15;

/** The record to store for one event the Broker dead-lettered: the whole event, kept for inspection and replay. */
export function deadLetterOf(delivered: EventOutcome, context: IntakeContext): StoredRecord {
  const outcome = storable(delivered);
  if (!outcome.ok) return rejected(outcome.identity, outcome.raw, 'bad-envelope', outcome.reasons.join('; '), context.receivedAt);
  const { event } = outcome;
  const time = event.time === undefined ? Number.NaN : Date.parse(event.time);
  const record: DeadLetterRecord = {
    source: event.source,
    id: event.id,
    kind: 'dead_letter',
    time: Number.isSafeInteger(time) && Math.abs(time) <= MAX_TIME ? time : context.receivedAt,
    receivedAt: context.receivedAt,
    type: event.type,
    event: { ...event.toJSON() },
  };
  return record;
}
