import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { CloudEvent, HTTP } from 'cloudevents';

/**
 * A plain HTTP subscriber on 127.0.0.1 for eventing tests: it keeps every
 * request it receives and answers what `answer` says (default 200).
 */

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Answer {
  readonly status: number;
  readonly body?: string;
}

export interface SubscriberServer {
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** Every CloudEvent received, batches flattened, decoded by the SDK. */
  events(): CloudEvent<unknown>[];
  close(): Promise<void>;
}

export async function startSubscriber(answer: (request: ReceivedRequest, index: number) => Answer = () => ({ status: 200 })): Promise<SubscriberServer> {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const { status, body } = answer(request, received.length - 1);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    events() {
      return received.flatMap((request) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
        const decoded = HTTP.toEvent<unknown>({ headers, body: request.body });
        return (Array.isArray(decoded) ? decoded : [decoded]).map((event) => new CloudEvent<unknown>({ ...event }));
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
