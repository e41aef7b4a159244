import { HTTP } from 'cloudevents';
import type { CloudEvent } from 'cloudevents';

/**
 * CloudEvents as HTTP requests for delivery: one event in binary mode (as
 * Knative's dispatchers send), or a batch (`application/cloudevents-batch+json`,
 * an array of structured events). Bodies that are bytes stay bytes.
 */

export const BATCH_CONTENT_TYPE = 'application/cloudevents-batch+json';

/** Knative's dead-letter extensions; `knativeerrordata` holds at most this many base64 characters. */
export const KNATIVE_ERROR_DATA_MAX = 1024;

export interface OutgoingMessage {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

export function binaryMessage(event: CloudEvent<unknown>): OutgoingMessage {
  const message = HTTP.binary(event);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (typeof value === 'string') headers[name] = value;
    else if (Array.isArray(value)) headers[name] = value.join(', ');
    else if (typeof value === 'number' || typeof value === 'boolean') headers[name] = String(value);
  }
  const { body } = message;
  if (body === undefined || body === null) return { headers, body: '' };
  if (typeof body === 'string') return { headers, body };
  if (body instanceof Uint8Array) return { headers, body: Buffer.from(body) };
  return { headers, body: JSON.stringify(body) };
}

export function batchMessage(events: readonly CloudEvent<unknown>[]): OutgoingMessage {
  return {
    headers: { 'content-type': BATCH_CONTENT_TYPE },
    body: JSON.stringify(events.map((event) => event.toJSON())),
  };
}

/**
 * The event as Knative dead-letters it: `knativeerrordest` (where it failed),
 * `knativeerrorcode` (the last status; 500 when there was no response) and,
 * when the answer had a body, `knativeerrordata` (its base64, truncated).
 */
export function withErrorExtensions(event: CloudEvent<unknown>, destination: string, status: number, body: Buffer): CloudEvent<unknown> {
  const data = body.subarray(0, (KNATIVE_ERROR_DATA_MAX / 4) * 3).toString('base64');
  return event.cloneWith({
    knativeerrordest: destination,
    knativeerrorcode: String(status === 0 ? 500 : status),
    ...(data.length > 0 ? { knativeerrordata: data } : {}),
  });
}
