import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

/**
 * TEST HELPER — a hand-written fake of the Kubernetes API server (no cluster
 * runs here), on 127.0.0.1 over plain HTTP, or HTTPS with `tls`. It replays recorded exchanges
 * (`lib/rollout/fixtures/knative/*.json`, written from the documented
 * shapes) in order: a request that matches the next recorded one exactly —
 * method, path with query, each recorded header, JSON body — gets the
 * recorded answer; anything else gets a 500 Status and is kept in
 * `mismatches`, so a test sees what the adapter sent instead.
 */

const ExchangeSchema = z.object({
  request: z.object({
    method: z.string(),
    path: z.string(),
    headers: z.record(z.string(), z.string()),
    body: z.unknown().optional(),
  }),
  response: z.object({ status: z.number().int(), body: z.unknown() }),
});
export type Exchange = z.infer<typeof ExchangeSchema>;
const FixtureSchema = z.object({ description: z.string(), exchanges: z.array(ExchangeSchema).min(1) });

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export interface KubeReplayServer {
  readonly url: string;
  /** Exchanges answered so far. */
  readonly answered: () => number;
  readonly total: number;
  /** Requests that did not match the next recorded one, with what was expected. */
  readonly mismatches: Array<{ readonly seen: SeenRequest; readonly expected: Exchange['request'] | null }>;
  close(): Promise<void>;
}

export async function loadExchanges(file: string): Promise<Exchange[]> {
  return FixtureSchema.parse(JSON.parse(await readFile(file, 'utf8'))).exchanges;
}

export async function startKubeReplayServer(exchanges: readonly Exchange[], tls?: { readonly key: string; readonly cert: string }): Promise<KubeReplayServer> {
  let next = 0;
  const mismatches: KubeReplayServer['mismatches'] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      const expected = exchanges[next]?.request ?? null;
      const headers: Record<string, string> = {};
      for (const name of Object.keys(expected?.headers ?? {})) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const seen: SeenRequest = { method: req.method ?? '', path: req.url ?? '', headers, body };
      const matches =
        expected !== null &&
        seen.method === expected.method &&
        seen.path === expected.path &&
        isDeepStrictEqual(headers, expected.headers) &&
        isDeepStrictEqual(body, expected.body);
      if (!matches) {
        mismatches.push({ seen, expected });
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'InternalError', message: 'request does not match the recording', code: 500 }));
        return;
      }
      const { status, body: answer } = exchanges[next++].response;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  };
  const server = tls === undefined ? createServer(handle) : createTlsServer(tls, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    answered: () => next,
    total: exchanges.length,
    mismatches,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
