import { CloudEvent, HTTP } from 'cloudevents';
import type { CloudEventV1, Headers } from 'cloudevents';
import type { z } from 'zod';
import { formatIssues } from '../errors.js';
import type { EventSource, EventType, PlatformEventType } from './event-types.js';
import { isEventType } from './event-types.js';

/**
 * CloudEvents in and out, through the `cloudevents` SDK: build an event, encode
 * it for HTTP in binary or structured mode, and decode an incoming request into
 * an event whose `data` a zod schema has checked. Decoding never throws on bad
 * input: it answers with the reasons.
 */

export const ENCODINGS = ['binary', 'structured'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface EventSpec<T> {
  readonly type: EventType;
  readonly source: EventSource;
  readonly data: T;
  readonly id?: string;
  readonly time?: Date;
  readonly subject?: string;
}

/** A CloudEvent (v1.0, JSON data); the SDK validates the envelope and throws a ValidationError on a bad one. */
export function buildEvent<T>(spec: EventSpec<T>): CloudEvent<T> {
  return new CloudEvent<T>({
    specversion: '1.0',
    type: spec.type,
    source: spec.source,
    datacontenttype: 'application/json',
    data: spec.data,
    ...(spec.id === undefined ? {} : { id: spec.id }),
    ...(spec.time === undefined ? {} : { time: spec.time.toISOString() }),
    ...(spec.subject === undefined ? {} : { subject: spec.subject }),
  });
}

/** An HTTP request's headers and body. */
export interface HttpMessage {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function encodeEvent<T>(event: CloudEvent<T>, encoding: Encoding): HttpMessage {
  const message = encoding === 'binary' ? HTTP.binary(event) : HTTP.structured(event);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (typeof value === 'string') headers[name] = value;
    else if (Array.isArray(value)) headers[name] = value.join(', ');
  }
  return { headers, body: typeof message.body === 'string' ? message.body : JSON.stringify(message.body) };
}

export type Decoded<T> =
  | { readonly ok: true; readonly event: CloudEvent<T>; readonly data: T }
  | { readonly ok: false; readonly reasons: readonly string[]; readonly id?: string };

export interface DecodeOptions {
  /** The only type accepted; others are refused with a reason. */
  readonly type?: EventType;
  /**
   * The types accepted, movierec's or the platform's (`dev.knative.kafka.event`,
   * `dev.knative.sources.ping`); others are refused with a reason. Overrides `type`.
   */
  readonly accept?: readonly (EventType | PlatformEventType)[];
}

export interface IncomingMessage {
  readonly headers: Headers | Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body (string or bytes), or a body a framework has already parsed as JSON. */
  readonly body: unknown;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const details = 'errors' in error ? error.errors : undefined;
    if (Array.isArray(details) && details.length > 0) return `${error.message}: ${JSON.stringify(details)}`;
    return error.message;
  }
  return String(error);
}

/** Decode one CloudEvent (either mode) and check its `data` with `schema`. */
export function decodeEvent<S extends z.ZodType>(message: IncomingMessage, schema: S, options: DecodeOptions = {}): Decoded<z.output<S>> {
  let decoded: CloudEventV1<unknown> | CloudEventV1<unknown>[];
  try {
    const body = Buffer.isBuffer(message.body) ? message.body.toString('utf8') : message.body;
    decoded = HTTP.toEvent<unknown>({ headers: { ...message.headers }, body });
  } catch (error) {
    return { ok: false, reasons: [`not a valid CloudEvent: ${describe(error)}`] };
  }
  if (Array.isArray(decoded)) return { ok: false, reasons: ['a batch of CloudEvents where one event was expected'] };
  let event: CloudEvent<unknown>;
  try {
    // toEvent does not validate binary-mode attributes (an empty source passes); the constructor does.
    event = new CloudEvent<unknown>({ ...decoded });
  } catch (error) {
    return { ok: false, reasons: [`not a valid CloudEvent: ${describe(error)}`], id: decoded.id };
  }
  const reasons: string[] = [];
  if (options.accept !== undefined) {
    if (!(options.accept as readonly string[]).includes(event.type)) {
      reasons.push(`type: expected one of ${options.accept.join(', ')} (got ${JSON.stringify(event.type)})`);
    }
  } else if (!isEventType(event.type)) reasons.push(`type: unknown event type ${JSON.stringify(event.type)}`);
  else if (options.type !== undefined && event.type !== options.type) {
    reasons.push(`type: expected ${options.type} (got ${event.type})`);
  }
  const data = schema.safeParse(event.data);
  if (!data.success) reasons.push(`data: ${formatIssues(data.error.issues)}`);
  if (reasons.length > 0 || !data.success) return { ok: false, reasons, id: event.id };
  // The envelope was validated above; swapping in the checked data cannot break it, so the clone skips a second ajv pass.
  return { ok: true, event: event.cloneWith({ data: data.data }, false), data: data.data };
}
