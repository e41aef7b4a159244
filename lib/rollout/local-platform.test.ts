import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalPlatform } from './local-platform.js';
import type { ServingPlatform } from './platform.js';
import { PlatformError } from './platform-error.js';
import { MemoryPlatform } from './test-helpers/memory-platform.js';
import type { PlatformServer } from './test-helpers/platform-server.js';
import { startPlatformServer } from './test-helpers/platform-server.js';

const FAST = { baseDelayMs: 1, maxDelayMs: 5 };
let memory: MemoryPlatform;
let server: PlatformServer;
let platform: ServingPlatform;

beforeEach(async () => {
  memory = new MemoryPlatform({ now: () => new Date('2026-11-26T10:00:00.000Z') });
  server = await startPlatformServer(memory);
  platform = createLocalPlatform({ url: `${server.url}/`, ...FAST });
});
afterEach(async () => {
  await server.close();
});

async function refusal(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PlatformError)) throw new Error(`expected a PlatformError, got ${String(error)}`);
  return error;
}

describe('local platform (HTTP to the local runtime)', () => {
  it('deploys, describes and moves traffic through the documented routes', async () => {
    expect(await platform.describe()).toEqual({ revisions: [] });
    const first = await platform.deploy({ modelUri: '/models/svd/svd-a', percent: 100, tag: 'champion' });
    const second = await platform.deploy({ modelUri: '/models/svd/svd-b', percent: 10, tag: 'candidate' });
    expect(first.revision).toBe('recommend-00001');
    expect((await platform.describe()).revisions).toEqual([
      expect.objectContaining({ name: 'recommend-00001', modelUri: '/models/svd/svd-a', percent: 90, tag: 'champion', ready: true }),
      expect.objectContaining({ name: 'recommend-00002', modelUri: '/models/svd/svd-b', percent: 10, tag: 'candidate', ready: true }),
    ]);
    await platform.setTraffic([{ revision: first.revision, percent: 100, tag: 'champion' }]);
    expect((await platform.describe()).revisions.map((r) => [r.name, r.percent])).toEqual([['recommend-00001', 100]]);
    expect(second.revision).toBe('recommend-00002');
    expect(server.requests).toEqual([
      'GET /platform/services/recommend',
      'POST /platform/services/recommend/revisions',
      'POST /platform/services/recommend/revisions',
      'GET /platform/services/recommend',
      'PUT /platform/services/recommend/traffic',
      'GET /platform/services/recommend',
    ]);
  });

  it('retries 5xx answers and succeeds once the platform is back', async () => {
    server.failNext(2, 503);
    const { revision } = await platform.deploy({ modelUri: '/models/svd/svd-a', percent: 100, tag: 'champion' });
    expect(revision).toBe('recommend-00001');
    expect(server.requests).toHaveLength(3);
    expect(memory.calls).toHaveLength(1);
  });

  it('gives up after its attempts with a retriable error', async () => {
    server.failNext(10, 500);
    const error = await refusal(createLocalPlatform({ url: server.url, maxAttempts: 3, ...FAST }).describe());
    expect(error).toMatchObject({ retriable: true, status: 500, operation: 'describe', reasons: ['injected failure'] });
    expect(server.requests).toHaveLength(3);
  });

  it('surfaces a 400 with the server’s reasons at once, not retried', async () => {
    await platform.deploy({ modelUri: '/models/svd/svd-a', percent: 100, tag: 'champion' });
    const error = await refusal(platform.setTraffic([{ revision: 'recommend-00001', percent: 90 }, { revision: 'recommend-00042', percent: 0 }]));
    expect(error).toMatchObject({ retriable: false, status: 400, operation: 'setTraffic' });
    expect(error.reasons).toEqual(['percents sum to 90, not 100', 'no revision recommend-00042']);
    expect(error.message).toBe('platform setTraffic: refused (HTTP 400): percents sum to 90, not 100; no revision recommend-00042');
    expect(server.requests.filter((r) => r.startsWith('PUT'))).toHaveLength(1);
  });

  it('treats an unreachable platform as retriable', async () => {
    await server.close();
    const error = await refusal(platform.describe());
    expect(error.retriable).toBe(true);
    expect(error.message).toMatch(/^platform describe: cannot reach http:\/\/127\.0\.0\.1:\d+\/platform\/services\/recommend after 4 attempt\(s\)/);
    server = await startPlatformServer(memory); // afterEach closes it
  });

  it('refuses an answer that does not match the documented shape', async () => {
    const odd = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"revisions":[{"name":""}]}'));
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
      const error = await refusal(createLocalPlatform({ url, ...FAST }).describe());
      expect(error.retriable).toBe(false);
      expect(error.message).toMatch(/^platform describe: unexpected answer \(HTTP 200\): revisions\.0\.name: /);
    } finally {
      await new Promise((resolve) => odd.close(resolve));
    }
  });
});
