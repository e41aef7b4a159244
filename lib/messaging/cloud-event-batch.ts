import { CloudEvent, HTTP } from 'cloudevents';
import { z } from 'zod';
import { formatIssues } from '../errors.js';
import type { HttpMessage, IncomingMessage } from './cloud-event-codec.js';

/**
 * One HTTP delivery of CloudEvents, whatever its mode: binary, structured, or
 * a batch (`application/cloudevents-batch+json`, a JSON array of structured
 * events — what the local KafkaSource sends with its batch annotation).
 * Every event is checked on its own, so one bad element never costs the
 * others: each comes back as an event or as reasons, with whatever identity
 * (`id`, `source`, `type`) could still be read. Unlike the SDK, an event
 * without an `id` or `source` is refused rather than given a random id:
 * receivers deduplicate on `(source, id)`. Decoding never throws.
 */

export const BATCH_CONTENT_TYPE = 'application/cloudevents-batch+json';
export const DEFAULT_MAX_BATCH = 10_000;

export type DeliveryMode = 'binary' | 'structured' | 'batch';

/** What an undecodable event still told about itself. */
export interface EventIdentity {
  readonly id?: string;
  readonly source?: string;
  readonly type?: string;
}

export type EventOutcome =
  | { readonly ok: true; readonly event: CloudEvent<unknown> }
  | { readonly ok: false; readonly reasons: readonly string[]; readonly identity: EventIdentity; readonly raw: string };

export type Delivery =
  | { readonly ok: true; readonly mode: DeliveryMode; readonly events: readonly EventOutcome[] }
  | { readonly ok: false; readonly reasons: readonly string[] };

export interface DeliveryOptions {
  /** Batches longer than this are refused whole (default 10,000). */
  readonly maxBatch?: number;
}

/** A batch of events as one HTTP message: the events' structured JSON in an array. */
export function encodeBatch(events: readonly CloudEvent<unknown>[]): HttpMessage {
  return {
    headers: { 'content-type': `${BATCH_CONTENT_TYPE}; charset=utf-8` },
    body: JSON.stringify(events.map((event) => event.toJSON())),
  };
}

/** A header by its lower-case name: Node's own spelling is looked up first, any other spelling is scanned for. */
function header(headers: IncomingMessage['headers'], name: string): string | undefined {
  const direct: unknown = Object.hasOwn(headers, name) ? (headers as Readonly<Record<string, unknown>>)[name] : undefined;
  if (typeof direct === 'string') return direct;
  if (Array.isArray(direct)) return direct.join(', ');
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.join(', ');
  }
  return undefined;
}

function mediaType(headers: IncomingMessage['headers']): string {
  return (header(headers, 'content-type') ?? '').split(';', 1)[0].trim().toLowerCase();
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (body === undefined || body === null) return '';
  return JSON.stringify(body);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message.split('\n', 1)[0];
  // The SDK's ValidationError carries ajv's errors: name the first one.
  const details: unknown = 'errors' in error ? error.errors : undefined;
  const first = z.object({ instancePath: z.string().optional(), message: z.string() }).safeParse(Array.isArray(details) ? details[0] : undefined);
  if (!first.success) return message;
  return `${message}: ${first.data.instancePath ? `${first.data.instancePath} ` : ''}${first.data.message}`;
}

const Attribute = z.string({ error: (issue) => (issue.input === undefined ? 'required' : 'expected a string') }).min(1, 'required');
const JsonObjectSchema = z.record(z.string(), z.unknown());
const EnvelopeSchema = z.object({ specversion: Attribute, id: Attribute, source: Attribute, type: Attribute });

function identityOf(value: Readonly<Record<string, unknown>>): EventIdentity {
  const identity: { id?: string; source?: string; type?: string } = {};
  for (const name of ['id', 'source', 'type'] as const) {
    const field = value[name];
    if (typeof field === 'string' && field.length > 0) identity[name] = field;
  }
  return identity;
}

/** One structured-mode event (a value already parsed from JSON); `raw` is its text, kept with a refusal. */
export function decodeStructured(value: unknown, raw: string = JSON.stringify(value) ?? ''): EventOutcome {
  const object = JsonObjectSchema.safeParse(value);
  if (!object.success) return { ok: false, reasons: ['not a valid CloudEvent: not a JSON object'], identity: {}, raw };
  const identity = identityOf(object.data);
  const envelope = EnvelopeSchema.safeParse(object.data);
  if (!envelope.success) return { ok: false, reasons: [`not a valid CloudEvent: ${formatIssues(envelope.error.issues)}`], identity, raw };
  try {
    return { ok: true, event: new CloudEvent<unknown>({ ...object.data, ...envelope.data }) };
  } catch (error) {
    return { ok: false, reasons: [`not a valid CloudEvent: ${describe(error)}`], identity, raw };
  }
}

function decodeBatch(body: string, maxBatch: number): Delivery {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return { ok: false, reasons: [`not a CloudEvents batch: ${describe(error)}`] };
  }
  if (!Array.isArray(parsed)) return { ok: false, reasons: ['not a CloudEvents batch: the body is not a JSON array'] };
  if (parsed.length > maxBatch) return { ok: false, reasons: [`a batch of ${parsed.length} events exceeds ${maxBatch}`] };
  return { ok: true, mode: 'batch', events: parsed.map((element: unknown) => decodeStructured(element)) };
}

function decodeSingle(message: IncomingMessage, body: string, media: string): Delivery {
  const structured = media.startsWith('application/cloudevents');
  if (structured) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      return { ok: false, reasons: [`not a valid CloudEvent: ${describe(error)}`] };
    }
    return { ok: true, mode: 'structured', events: [decodeStructured(parsed, body)] };
  }
  const identity = identityOf({ id: header(message.headers, 'ce-id'), source: header(message.headers, 'ce-source'), type: header(message.headers, 'ce-type') });
  if (header(message.headers, 'ce-specversion') === undefined) return { ok: false, reasons: ['not a valid CloudEvent: no ce-specversion header'] };
  const missing = (['id', 'source', 'type'] as const).filter((name) => identity[name] === undefined).map((name) => `ce-${name}`);
  if (missing.length > 0) return { ok: true, mode: 'binary', events: [{ ok: false, reasons: [`not a valid CloudEvent: missing ${missing.join(', ')}`], identity, raw: body }] };
  try {
    const decoded = HTTP.toEvent<unknown>({ headers: message.headers, body }); // the SDK copies the headers itself
    if (Array.isArray(decoded)) return { ok: false, reasons: ['not a valid CloudEvent: unexpected batch'] };
    // toEvent does not validate binary-mode attributes; the constructor does.
    return { ok: true, mode: 'binary', events: [{ ok: true, event: new CloudEvent<unknown>(decoded) }] };
  } catch (error) {
    return { ok: true, mode: 'binary', events: [{ ok: false, reasons: [`not a valid CloudEvent: ${describe(error)}`], identity, raw: body }] };
  }
}

/**
 * Decode a delivery into its events. `ok: false` means no event could be
 * identified at all (not a CloudEvent, a batch that is not a JSON array);
 * otherwise each event is decoded or refused on its own.
 */
export function decodeDelivery(message: IncomingMessage, options: DeliveryOptions = {}): Delivery {
  const body = bodyText(message.body);
  const media = mediaType(message.headers);
  if (media === BATCH_CONTENT_TYPE) return decodeBatch(body, options.maxBatch ?? DEFAULT_MAX_BATCH);
  return decodeSingle(message, body, media);
}
