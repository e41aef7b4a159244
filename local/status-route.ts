import type { Route } from './http-route.js';
import { sendJson } from './http-route.js';

/** `GET /status`: the whole system's state as JSON, composed by the caller. */
export function statusRoute(status: () => unknown | Promise<unknown>): Route {
  return async (req, res, url) => {
    if (url.pathname !== '/status' && url.pathname !== '/status/') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return true;
    }
    sendJson(res, 200, await status());
    return true;
  };
}
