import type { Agent, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { request } from 'node:http';
import type { Logger } from '../../lib/ops/logger.js';
import type { Route } from '../http-route.js';
import type { Revision } from './revision.js';

/** What the proxy needs of the revision table. */
export interface RevisionPicker {
  pick(random: () => number): Revision | undefined;
  begin(revision: Revision): void;
  /** The request is over: `status` as answered, 0 when no answer came, negative when it was tried again elsewhere (not counted). */
  end(revision: Revision, status: number): void;
}

export interface RecommendProxyOptions {
  readonly revisions: RevisionPicker;
  /** Uniform in [0, 1); seeded in tests. */
  readonly random: () => number;
  /** A keep-alive agent to the revisions. */
  readonly agent: Agent;
  readonly logger: Logger;
  /** An upstream silent this long is abandoned with 504. Default 30 s. */
  readonly timeoutMs?: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);
const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) if (!HOP_BY_HOP.has(name)) out[name] = headers[name];
  return out;
}

function answer(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, TEXT);
  res.end(body);
}

/** `/recommend` and `/recommend/…`: the paths that go to a revision. */
export function isRecommendPath(pathname: string): boolean {
  return pathname === '/recommend' || pathname.startsWith('/recommend/');
}

/**
 * `/recommend/*` to a ready revision chosen by weighted random over the
 * traffic shares; 503 `no model serving yet` when none is ready. Each request
 * is counted in flight on its revision until the upstream answer is complete
 * (draining waits for that). A GET that finds a kept-alive socket closed by the
 * revision is retried once (Node's documented `reusedSocket` race); other
 * upstream failures answer 502, a silent upstream 504.
 */
export function recommendProxy(options: RecommendProxyOptions): Route {
  const { revisions, agent, logger } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const targets = new WeakMap<Revision, { readonly host: string; readonly port: number }>();
  const targetOf = (revision: Revision) => {
    let target = targets.get(revision);
    if (target === undefined) {
      const url = new URL(revision.process.url);
      target = { host: url.hostname, port: Number(url.port) };
      targets.set(revision, target);
    }
    return target;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, path: string, retry: boolean): void => {
    const revision = revisions.pick(options.random);
    if (revision === undefined) {
      answer(res, 503, 'no model serving yet');
      return;
    }
    revisions.begin(revision);
    let done = false;
    let status = 0;
    const finish = () => {
      if (done) return;
      done = true;
      revisions.end(revision, status);
    };
    const replayable = req.method === 'GET' || req.method === 'HEAD';
    const { host, port } = targetOf(revision);
    const upstream = request({ host, port, method: req.method, path, headers: endToEnd(req.headers), agent, timeout: timeoutMs });
    upstream.on('response', (reply) => {
      status = reply.statusCode ?? 0;
      res.writeHead(reply.statusCode ?? 502, endToEnd(reply.headers));
      reply.pipe(res);
      reply.once('end', finish);
      reply.once('close', finish);
    });
    upstream.once('timeout', () => upstream.destroy(Object.assign(new Error('upstream timeout'), { code: 'ETIMEDOUT' })));
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      // A keep-alive socket the revision had closed: the request is tried once more, and this attempt is not its answer.
      const again = retry && replayable && upstream.reusedSocket && error.code === 'ECONNRESET' && !res.headersSent && !res.destroyed;
      if (again) status = -1;
      finish();
      if (res.destroyed) return;
      if (again) {
        forward(req, res, path, false);
        return;
      }
      logger.warning('upstream failed', { revision: revision.name, code: error.code, message: error.message });
      answer(res, error.code === 'ETIMEDOUT' ? 504 : 502, error.code === 'ETIMEDOUT' ? 'upstream timeout' : 'bad gateway');
    });
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (replayable) upstream.end();
    else req.pipe(upstream);
  };

  return (req, res, url) => {
    if (!isRecommendPath(url.pathname)) return false;
    forward(req, res, url.pathname + url.search, true);
    return true;
  };
}
