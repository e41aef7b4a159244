import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * One POST over keep-alive connections, answered with the status and the
 * body: what the event sender and the local eventing's deliveries need, at a
 * fraction of `fetch`'s CPU cost per request (undici's request and response
 * objects, an AbortSignal timer each) — served events are posted once per
 * recommendation. Rejects on a network failure or when no answer came within
 * `timeoutMs` (socket inactivity) or `signal` aborted.
 */
export interface PostAnswer {
  readonly status: number;
  readonly body: Buffer;
}

export interface PostMessage {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

export type HttpPost = (url: string, message: PostMessage, options: { readonly timeoutMs: number; readonly signal?: AbortSignal }) => Promise<PostAnswer>;

const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 64 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }) };

export const httpPost: HttpPost = (url, message, options) =>
  new Promise<PostAnswer>((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const body = typeof message.body === 'string' ? Buffer.from(message.body) : message.body;
    const send = secure ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...message.headers, 'content-length': String(body.byteLength) },
        agent: secure ? agents.https : agents.http,
        timeout: options.timeoutMs,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.once('error', reject);
    req.end(body);
  });
