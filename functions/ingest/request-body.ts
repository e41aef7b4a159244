import type { IncomingMessage } from 'node:http';
import { MovierecError } from '../../lib/errors.js';

/** 32 MiB: a KafkaSource batch of 10,000 course lines is about 3 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/** A request body over the limit: answered 413, never stored. */
export class BodyTooLargeError extends MovierecError {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }
}

type Request = IncomingMessage & { readonly rawBody?: Buffer };

/**
 * The body a framework has read already, without waiting: under
 * functions-framework the body parsers keep the bytes as `rawBody` (a parsed
 * `body` is no use here: a binary-mode event's data must be read as sent).
 * Undefined when the body is still to be read (see readRequestBody).
 */
export function bodyAlreadyRead(req: Request, limit = DEFAULT_MAX_BODY_BYTES): Buffer | undefined {
  if (Buffer.isBuffer(req.rawBody)) {
    if (req.rawBody.length > limit) throw new BodyTooLargeError(limit);
    return req.rawBody;
  }
  if (req.readableEnded) return Buffer.alloc(0); // a parser read an empty body
  return undefined;
}

/** A request's raw body: what a framework read already, or read here from the stream, up to `limit` bytes. */
export async function readRequestBody(req: Request, limit = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> {
  const read = bodyAlreadyRead(req, limit);
  if (read !== undefined) return read;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
