import type { Route } from '../http-route.js';
import { sendJson } from '../http-route.js';
import type { DashboardData } from './dashboard-data.js';
import { dashboardPage } from './page/dashboard-page.js';

/**
 * `GET /` — the dashboard page (one self-contained HTML document: inline CSS,
 * inline script, SVG charts; nothing from the network) — and
 * `GET /dashboard/data`, the JSON it polls.
 */
export function dashboardRoute(data: () => Promise<DashboardData>, options: { readonly pollMs?: number } = {}): Route {
  const page = dashboardPage(options.pollMs);
  return async (req, res, url) => {
    const isPage = url.pathname === '/' || url.pathname === '/dashboard' || url.pathname === '/dashboard/';
    const isData = url.pathname === '/dashboard/data';
    if (!isPage && !isData) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return true;
    }
    if (isData) {
      sendJson(res, 200, await data());
      return true;
    }
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      // Everything is inline; nothing may load from elsewhere.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:",
    });
    res.end(req.method === 'HEAD' ? undefined : page);
    return true;
  };
}
