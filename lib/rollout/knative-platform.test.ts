import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKubeClient } from './kube-client.js';
import { createKnativePlatform } from './knative-platform.js';
import type { ServingPlatform } from './platform.js';
import { PlatformError } from './platform-error.js';
import { promote } from './rollout-actions.js';
import type { KubeReplayServer } from './test-helpers/kube-replay-server.js';
import { loadExchanges, startKubeReplayServer } from './test-helpers/kube-replay-server.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/knative/', import.meta.url));
const FAST = { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 };

let dir: string;
let tokenFile: string;
let server: KubeReplayServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'movierec-kube-'));
  tokenFile = join(dir, 'token');
  await writeFile(tokenFile, 'fixture-token-1\n');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function replay(fixture: string, suffix = 'c0ffee'): Promise<ServingPlatform> {
  server = await startKubeReplayServer(await loadExchanges(join(FIXTURES, fixture)));
  const client = createKubeClient({ server: server.url, tokenFile, ...FAST });
  return createKnativePlatform({ client, namespace: 'movierec', revisionSuffix: () => suffix });
}

/** Every recorded exchange was asked for, exactly as recorded, and nothing else. */
function expectAllReplayed(): void {
  expect(server?.mismatches).toEqual([]);
  expect(server?.answered()).toBe(server?.total);
}

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PlatformError)) throw new Error(`expected a PlatformError, got ${String(error)}`);
  return error;
}

const CHAMPION = {
  name: 'recommend-a1b2c3',
  modelUri: '/var/lib/movierec/models/svd/svd-20261126T0900',
  modelVersion: 'svd-20261126T0900',
  ready: true,
  percent: 90,
  tag: 'champion',
  createdAt: '2026-11-26T09:01:00Z',
};
const CANDIDATE = {
  name: 'recommend-d4e5f6',
  modelUri: '/var/lib/movierec/models/svdpp/svdpp-20261126T0930',
  modelVersion: 'svdpp-20261126T0930',
  ready: true,
  percent: 10,
  tag: 'candidate',
  createdAt: '2026-11-26T09:31:00Z',
};

describe('Knative platform (Kubernetes API, replayed)', () => {
  it('describes the routed revisions and the one still starting, after retrying a 503', async () => {
    const platform = await replay('describe.json');
    expect(await platform.describe()).toEqual({
      revisions: [
        CHAMPION,
        CANDIDATE,
        {
          name: 'recommend-c0ffee',
          modelUri: '/var/lib/movierec/models/svd/svd-20261126T1000',
          modelVersion: null,
          ready: false,
          percent: 0,
          tag: null,
          createdAt: '2026-11-26T10:01:00Z',
        },
      ],
    });
    expectAllReplayed();
  });

  it('deploys with one merge patch of spec.template and spec.traffic, carrying the resourceVersion read', async () => {
    const platform = await replay('deploy.json');
    const deployed = await platform.deploy({ modelUri: '/var/lib/movierec/models/svd/svd-20261126T1000', percent: 10, tag: 'candidate' });
    expect(deployed).toEqual({ revision: 'recommend-c0ffee' });
    expectAllReplayed();
  });

  it('re-reads the Service and patches again after a 409 Conflict', async () => {
    const platform = await replay('deploy-conflict.json');
    const deployed = await platform.deploy({ modelUri: '/var/lib/movierec/models/svd/svd-20261126T1000', percent: 10, tag: 'candidate' });
    expect(deployed.revision).toBe('recommend-c0ffee');
    expectAllReplayed();
  });

  it('promotes the candidate by patching spec.traffic only', async () => {
    const platform = await replay('promote.json');
    expect(await promote(platform)).toEqual({ revision: 'recommend-d4e5f6', champion: 'recommend-a1b2c3', percent: 100 });
    expectAllReplayed();
  });

  it('surfaces a 403 Forbidden at once, with the Status reason and message', async () => {
    const platform = await replay('forbidden.json');
    const error = await failure(platform.setTraffic([{ revision: 'recommend-d4e5f6', percent: 100, tag: 'champion' }]));
    expect(error).toMatchObject({ operation: 'setTraffic', status: 403, retriable: false });
    expect(error.reasons).toEqual([
      'Forbidden: services.serving.knative.dev "recommend" is forbidden: User "system:serviceaccount:movierec:evaluate" cannot patch resource "services" in API group "serving.knative.dev" in the namespace "movierec"',
    ]);
    expect(error.message).toMatch(/^platform setTraffic: refused \(HTTP 403\): Forbidden: /);
    expectAllReplayed();
  });

  it('passes on the admission webhook’s refusal of a split that does not sum to 100', async () => {
    const platform = await replay('webhook-refusal.json');
    const error = await failure(
      platform.setTraffic([
        { revision: 'recommend-a1b2c3', percent: 80, tag: 'champion' },
        { revision: 'recommend-d4e5f6', percent: 10, tag: 'candidate' },
      ]),
    );
    expect(error).toMatchObject({ status: 400, retriable: false });
    expect(error.reasons[0]).toMatch(/^BadRequest: .*Traffic targets sum to 90, want 100: spec\.traffic$/);
    expectAllReplayed();
  });

  it('re-reads a rotated service-account token after a 401', async () => {
    const platform = await replay('token-rotated.json');
    await platform.describe();
    await writeFile(tokenFile, 'fixture-token-2\n');
    const state = await platform.describe();
    expect(state.revisions.map((r) => [r.name, r.percent, r.tag])).toEqual([['recommend-a1b2c3', 100, 'champion']]);
    expectAllReplayed();
  });

  it('gives up on a conflict that keeps coming back, retriable', async () => {
    const [read, conflict] = await loadExchanges(join(FIXTURES, 'deploy-conflict.json'));
    server = await startKubeReplayServer([read, conflict, read, conflict]);
    const client = createKubeClient({ server: server.url, tokenFile, ...FAST });
    const platform = createKnativePlatform({ client, namespace: 'movierec', conflictAttempts: 2, revisionSuffix: () => 'c0ffee' });
    const error = await failure(platform.deploy({ modelUri: '/var/lib/movierec/models/svd/svd-20261126T1000', percent: 10, tag: 'candidate' }));
    expect(error).toMatchObject({ operation: 'deploy', status: 409, retriable: true });
    expect(error.reasons[0]).toMatch(/^Conflict: Operation cannot be fulfilled on services\.serving\.knative\.dev "recommend"/);
    expectAllReplayed();
  });

  it('says which token file it cannot read, without retrying', async () => {
    const platform = await replay('describe.json');
    await rm(tokenFile);
    const error = await failure(platform.describe());
    expect(error.message).toBe(`platform describe: cannot read the service-account token ${tokenFile}`);
    expect(server?.answered()).toBe(0);
  });

  it('treats an unreachable API server as retriable', async () => {
    const platform = await replay('describe.json');
    await server?.close();
    server = undefined;
    const error = await failure(platform.describe());
    expect(error.retriable).toBe(true);
    expect(error.message).toMatch(/^platform describe: cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:\d+ after 3 attempt\(s\)/);
  });
});

describe('Knative platform over TLS, trusting only the cluster CA', () => {
  it('verifies the API server with the given CA and sends the bearer token over HTTPS', async () => {
    // A throwaway self-signed certificate for 127.0.0.1, as a cluster CA would sign the API server's.
    const key = join(dir, 'tls.key');
    const cert = join(dir, 'tls.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=kubernetes', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const pem = await readFile(cert, 'utf8');
    server = await startKubeReplayServer(await loadExchanges(join(FIXTURES, 'describe.json')), { key: await readFile(key, 'utf8'), cert: pem });
    expect(server.url).toMatch(/^https:/);

    const untrusted = createKnativePlatform({ client: createKubeClient({ server: server.url, tokenFile, maxAttempts: 1 }), namespace: 'movierec' });
    const refused = await failure(untrusted.describe());
    expect(refused.message).toMatch(/self[- ]signed certificate/);
    expect(server.answered()).toBe(0);

    const trusted = createKnativePlatform({ client: createKubeClient({ server: server.url, tokenFile, ca: pem, ...FAST }), namespace: 'movierec' });
    expect((await trusted.describe()).revisions.map((r) => r.name)).toEqual(['recommend-a1b2c3', 'recommend-d4e5f6', 'recommend-c0ffee']);
    expectAllReplayed();
  });
});
