import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of a real S3-API server that fails on demand, the
 * way networks and object stores do: a 500 InternalError, a connection reset
 * in the middle of an upload, a download cut short, or a request held until
 * released. Headers pass unchanged, so SigV4 signatures still verify.
 */
export type Fault =
  | 'pass'
  | 'status-500'
  | 'status-503-slowdown'
  /** Read part of the request body, then reset the connection (an upload cut mid-way). */
  | 'reset-mid-upload'
  /** Forward, then send half of the response body and reset (a download cut mid-way). */
  | 'cut-response'
  /** Forward (the server applies the request), then reset instead of answering (a lost answer). */
  | 'lose-answer'
  | { readonly hold: Promise<void> };

export interface SeenRequest {
  readonly method: string;
  /** Path and query, e.g. `/models/svd/v1/qi.f32`. */
  readonly path: string;
  /** 1-based count of requests the proxy has received. */
  readonly n: number;
}

export interface FaultyProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly seen: SeenRequest[];
  /** Decides each request's fate from now on (default: pass everything). */
  rule: (request: SeenRequest) => Fault;
  close(): Promise<void>;
}

const S3_ERROR = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const upstream = new URL(target);
  const seen: SeenRequest[] = [];
  const proxy: { rule: FaultyProxy['rule'] } = { rule: () => 'pass' };

  const forward = (req: IncomingMessage, res: ServerResponse, cut: boolean, lose = false): void => {
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (lose) {
          answer.resume();
          answer.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!cut) {
          answer.pipe(res);
          return;
        }
        const length = Number(answer.headers['content-length'] ?? 0);
        let sent = 0;
        answer.on('data', (chunk: Buffer) => {
          const room = Math.max(0, Math.floor(length / 2) - sent);
          if (room > 0) res.write(chunk.subarray(0, room));
          sent += Math.min(room, chunk.length);
          if (sent >= Math.floor(length / 2)) {
            answer.destroy();
            res.socket?.destroy();
          }
        });
      },
    );
    out.on('error', () => res.socket?.destroy());
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    const entry: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/', n: seen.length + 1 };
    seen.push(entry);
    const fault = proxy.rule(entry);
    if (typeof fault === 'object') {
      req.pause();
      void fault.hold.then(() => {
        req.resume();
        forward(req, res, false);
      });
      return;
    }
    switch (fault) {
      case 'pass':
        return forward(req, res, false);
      case 'cut-response':
        return forward(req, res, true);
      case 'lose-answer':
        return forward(req, res, false, true);
      case 'reset-mid-upload':
        req.once('data', () => req.socket.destroy());
        req.once('end', () => req.socket.destroy());
        return;
      case 'status-500':
      case 'status-503-slowdown': {
        const [status, body] = fault === 'status-500' ? [500, S3_ERROR('InternalError', 'injected failure')] : [503, S3_ERROR('SlowDown', 'injected throttling')];
        req.resume();
        req.on('end', () => res.writeHead(status, { 'content-type': 'application/xml' }).end(body));
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    get rule() {
      return proxy.rule;
    },
    set rule(next) {
      proxy.rule = next;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
