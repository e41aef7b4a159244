import { Script } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/ops/logger.js';
import type { Ingress } from '../ingress.js';
import { createIngress } from '../ingress.js';
import { DashboardDataSchema } from './dashboard-data.js';
import { dashboardRoute } from './dashboard-route.js';
import { dashboardPage, dashboardScript } from './page/dashboard-page.js';
import { dashboardFixture } from './test-helpers/dashboard-fixture.js';

let ingress: Ingress | undefined;
afterEach(async () => {
  await ingress?.close();
  ingress = undefined;
});

const serve = async (): Promise<string> => {
  const fixture = dashboardFixture();
  ingress = await createIngress({ port: 0, routes: [dashboardRoute(async () => fixture)], logger: silentLogger });
  return ingress.url;
};

describe('the dashboard route', () => {
  it('serves the page at the root, self-contained and allowed to load nothing from elsewhere', async () => {
    const url = await serve();
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toBe(dashboardPage());
    expect(html).not.toMatch(/<link|<img|\ssrc=|\shref=|@import|url\(/i);
    // The only absolute URL is the SVG namespace, which is a name, not a request.
    expect(html.match(/https?:\/\/[^\s'"]+/g)).toEqual(['http://www.w3.org/2000/svg']);
    expect(html).toContain("fetch('/dashboard/data'");
  });

  it('embeds a script that compiles, with the polling period it was given', () => {
    expect(() => new Script(dashboardScript(1500))).not.toThrow();
    expect(dashboardScript(1500)).toContain('var POLL_MS = 1500;');
  });

  it('answers /dashboard/data with the collected data, refuses other methods, and leaves other paths to the next route', async () => {
    const url = await serve();
    const data = await fetch(`${url}/dashboard/data`);
    expect(data.headers.get('cache-control')).toBe('no-store');
    expect(DashboardDataSchema.parse(await data.json())).toEqual(dashboardFixture());
    expect((await fetch(`${url}/dashboard/data`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${url}/`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${url}/status`)).status).toBe(404);
  });
});
