import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { formatIssues } from '../../errors.js';
import type { ServingPlatform } from '../platform.js';
import { DeployRequestSchema, TrafficTargetSchema } from '../platform.js';
import { PlatformError } from '../platform-error.js';

/** TEST HELPER — a ServingPlatform behind the local runtime's platform routes (local/API.md), on 127.0.0.1. */
export interface PlatformServer {
  /** The ingress URL to give as `PLATFORM_URL`. */
  readonly url: string;
  /** Every request as `METHOD path`, in arrival order. */
  readonly requests: string[];
  /** Answer the next `count` requests with `status` and a JSON error, without touching the platform. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

const ROUTE = '/platform/services/recommend';
const TrafficBodySchema = z.object({ traffic: z.array(TrafficTargetSchema) });

export async function startPlatformServer(platform: ServingPlatform): Promise<PlatformServer> {
  const requests: string[] = [];
  let failures = 0;
  let failStatus = 503;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  async function route(req: IncomingMessage, res: ServerResponse, text: string): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0];
    requests.push(`${req.method} ${path}`);
    if (failures > 0) {
      failures--;
      send(res, failStatus, { error: 'injected failure' });
      return;
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      send(res, 400, { errors: ['body: not JSON'] });
      return;
    }
    if (req.method === 'GET' && path === ROUTE) send(res, 200, await platform.describe());
    else if (req.method === 'POST' && path === `${ROUTE}/revisions`) {
      const body = DeployRequestSchema.safeParse(json);
      if (!body.success) send(res, 400, { errors: [formatIssues(body.error.issues)] });
      else send(res, 202, await platform.deploy(body.data));
    } else if (req.method === 'PUT' && path === `${ROUTE}/traffic`) {
      const body = TrafficBodySchema.safeParse(json);
      if (!body.success) send(res, 400, { errors: [formatIssues(body.error.issues)] });
      else {
        await platform.setTraffic(body.data.traffic);
        send(res, 200, await platform.describe());
      }
    } else send(res, 404, { error: 'not found' });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      route(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (error instanceof PlatformError && error.status !== undefined && error.status < 500) {
          send(res, error.status, { errors: error.reasons });
        } else send(res, 500, { error: 'internal error' });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, status = 503) {
      failures = count;
      failStatus = status;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
