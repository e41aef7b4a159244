import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger, silentLogger } from '../lib/ops/logger.js';
import type { Route } from './http-route.js';
import { sendJson } from './http-route.js';
import type { Ingress } from './ingress.js';
import { createIngress } from './ingress.js';

let ingress: Ingress | undefined;
afterEach(async () => {
  await ingress?.close();
  ingress = undefined;
});

const answering = (prefix: string, body: string): Route => (_req, res, url) => {
  if (!url.pathname.startsWith(prefix)) return false;
  sendJson(res, 200, { body, path: url.pathname, query: url.searchParams.get('q') });
  return true;
};

describe('createIngress', () => {
  it('says which port is taken and what to do, instead of a stack trace', async () => {
    ingress = await createIngress({ port: 0, host: '127.0.0.1', routes: [], logger: silentLogger });
    const port = Number(new URL(ingress.url).port);
    await expect(createIngress({ port, host: '127.0.0.1', routes: [], logger: silentLogger })).rejects.toThrow(
      `port ${port} on 127.0.0.1 is already in use: stop what holds it, or pick another with --port (0 picks a free one)`,
    );
  });

  it('tries the routes in order and answers from the first that takes the request', async () => {
    ingress = await createIngress({
      port: 0,
      host: '127.0.0.1',
      routes: [answering('/a/b', 'first'), answering('/a', 'second'), async () => false],
      logger: silentLogger,
    });
    expect(ingress.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${ingress.url}/a/b?q=1`)).json()).toEqual({ body: 'first', path: '/a/b', query: '1' });
    expect(await (await fetch(`${ingress.url}/a/c`)).json()).toEqual({ body: 'second', path: '/a/c', query: null });
  });

  it('answers 404 JSON when no route takes the request', async () => {
    ingress = await createIngress({ port: 0, host: '127.0.0.1', routes: [answering('/a', 'a')], logger: silentLogger });
    const response = await fetch(`${ingress.url}/nothing`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ errors: ['no route for POST /nothing'] });
  });

  it('answers a plain 500 when a route throws, and logs the error', async () => {
    const { logger, lines } = memoryLogger();
    const failing: Route = async () => {
      throw new Error('secret internals');
    };
    ingress = await createIngress({ port: 0, host: '127.0.0.1', routes: [failing], logger });
    const response = await fetch(`${ingress.url}/x`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret');
    expect(lines.find((l) => l.message === 'ingress route failed')).toMatchObject({ severity: 'ERROR', path: '/x' });
  });

  it('closes with kept-alive connections open', async () => {
    ingress = await createIngress({ port: 0, host: '127.0.0.1', routes: [answering('/', 'x')], logger: silentLogger });
    const { url } = ingress;
    await (await fetch(`${url}/`)).text();
    await ingress.close();
    ingress = undefined;
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });
});
