import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { MovierecError } from '../lib/errors.js';
import type { Logger } from '../lib/ops/logger.js';
import type { Route } from './http-route.js';
import { sendJson } from './http-route.js';

export interface IngressOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  /** Tried in order; the first that answers wins. */
  readonly routes: readonly Route[];
  readonly logger: Logger;
}

export interface Ingress {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  /** Stop listening and close every connection. */
  close(): Promise<void>;
}

/**
 * The local runtime's one port for everything from outside (local/API.md):
 * one HTTP server whose routes are tried in order; 404 JSON when none
 * answers; a route that throws gets a plain 500 and a log line.
 */
export async function createIngress(options: IngressOptions): Promise<Ingress> {
  const host = options.host ?? '127.0.0.1';
  const { routes, logger } = options;

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://ingress.local');
    } catch {
      return sendJson(res, 400, { errors: ['invalid request target'] });
    }
    try {
      for (const route of routes) if (await route(req, res, url)) return;
      sendJson(res, 404, { errors: [`no route for ${req.method ?? 'GET'} ${url.pathname}`] });
    } catch (error) {
      logger.error('ingress route failed', { error, method: req.method, path: url.pathname });
      if (!res.headersSent) sendJson(res, 500, { errors: ['internal error'] });
      else res.destroy();
    }
  };

  const server = createServer((req, res) => void dispatch(req, res));
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, options.port)));
    server.listen(options.port, host, () => {
      server.removeAllListeners('error');
      resolveListen();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new MovierecError('the ingress has no TCP address');
  const url = `http://${host}:${address.port}`;
  logger.info('ingress listening', { url });

  let closed: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closed ??= new Promise<void>((resolveClose, reject) => {
        server.close((error) => (error === undefined ? resolveClose() : reject(error)));
        server.closeAllConnections();
      })),
  };
}

/** A listen failure a person can act on: the port taken, or not allowed. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): MovierecError {
  if (error.code === 'EADDRINUSE') return new MovierecError(`port ${port} on ${host} is already in use: stop what holds it, or pick another with --port (0 picks a free one)`, { cause: error });
  if (error.code === 'EACCES') return new MovierecError(`not allowed to listen on port ${port} on ${host}: pick a port above 1023 with --port`, { cause: error });
  return new MovierecError(`cannot listen on ${host}:${port} (${error.code ?? error.message})`, { cause: error });
}
