import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeEvent } from '../../../lib/messaging/cloud-event-codec.js';
import type { ModelTrained } from '../../../lib/messaging/events/model-trained.js';
import { MODEL_TRAINED, ModelTrainedSchema } from '../../../lib/messaging/events/model-trained.js';

/** A tiny 127.0.0.1 server standing in for the Broker: it keeps every model.trained event it is sent. */
export interface TestBroker {
  readonly url: string;
  /** Decoded and validated model.trained data, in arrival order. */
  readonly trained: ModelTrained[];
  /** What could not be decoded as a model.trained event, with the reasons. */
  readonly refused: string[];
  /** The `source` attribute of each event received. */
  readonly sources: string[];
  close(): Promise<void>;
}

export async function startBroker(): Promise<TestBroker> {
  const trained: ModelTrained[] = [];
  const refused: string[] = [];
  const sources: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const decoded = decodeEvent({ headers: req.headers, body: Buffer.concat(chunks) }, ModelTrainedSchema, { type: MODEL_TRAINED });
      if (decoded.ok) {
        trained.push(decoded.data);
        sources.push(decoded.event.source);
      } else refused.push(...decoded.reasons);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/movierec/default`,
    trained,
    refused,
    sources,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Poll `condition` (no sleeps in assertions): resolves once it holds, throws after ~5 s. */
export async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
