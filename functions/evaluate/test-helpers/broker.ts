import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { decodeEvent } from '../../../lib/messaging/cloud-event-codec.js';
import { MODEL_PROMOTED, MODEL_REJECTED, MODEL_ROLLED_BACK } from '../../../lib/messaging/events/model-decision.js';

/** An event as the Broker received it: its type, subject and data. */
export interface Received {
  readonly type: string;
  readonly source: string;
  readonly subject: string | undefined;
  readonly data: unknown;
}

export interface TestBroker {
  /** The URL to give as `K_SINK`. */
  readonly url: string;
  readonly received: Received[];
  /** Reasons of requests that were not decodable CloudEvents of the decision types. */
  readonly undecodable: string[];
  close(): Promise<void>;
}

/** A stand-in Broker ingress on 127.0.0.1 that keeps every decision event POSTed to it (202). */
export async function startTestBroker(): Promise<TestBroker> {
  const received: Received[] = [];
  const undecodable: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const decoded = decodeEvent({ headers: req.headers, body: Buffer.concat(chunks) }, z.unknown(), { accept: [MODEL_PROMOTED, MODEL_REJECTED, MODEL_ROLLED_BACK] });
      if (decoded.ok) received.push({ type: decoded.event.type, source: decoded.event.source, subject: decoded.event.subject, data: decoded.data });
      else undecodable.push(...decoded.reasons);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    received,
    undecodable,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
