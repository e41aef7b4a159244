import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, EvaluateConfigSchema, loadConfig, PlatformEnvSchema } from '../ops/config.js';
import { createPlatform } from './create-platform.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'movierec-sa-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe('choosing the serving platform from the environment', () => {
  it('is the local runtime by default, at PLATFORM_URL', async () => {
    const chosen = await createPlatform(loadConfig(PlatformEnvSchema, { PLATFORM_URL: 'http://127.0.0.1:8080' }));
    expect(chosen).toMatchObject({ kind: 'local', target: 'http://127.0.0.1:8080' });
  });

  it('requires PLATFORM_URL for the local runtime', async () => {
    const error = await configError(createPlatform(loadConfig(PlatformEnvSchema, {})));
    expect(error.issues).toEqual(['PLATFORM_URL: required when PLATFORM=local (the local runtime ingress URL)']);
  });

  it('refuses an unknown PLATFORM', () => {
    expect(() => loadConfig(PlatformEnvSchema, { PLATFORM: 'nomad' })).toThrow(/PLATFORM: expected one of local, knative/);
  });

  it('uses the in-cluster API server, CA and the pod namespace for knative', async () => {
    await writeFile(join(dir, 'ca.crt'), '-----BEGIN CERTIFICATE-----\n');
    await writeFile(join(dir, 'namespace'), 'movierec\n');
    const env = {
      PLATFORM: 'knative',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBE_CA_FILE: join(dir, 'ca.crt'),
      KUBE_NAMESPACE_FILE: join(dir, 'namespace'),
      KUBE_TOKEN_FILE: join(dir, 'token'),
    };
    const chosen = await createPlatform(loadConfig(PlatformEnvSchema, env));
    expect(chosen).toMatchObject({ kind: 'knative', target: 'https://10.96.0.1:443 namespace movierec service recommend' });
    const named = await createPlatform(loadConfig(PlatformEnvSchema, { ...env, KUBE_NAMESPACE: 'ml', KNATIVE_SERVICE: 'recs', KUBERNETES_SERVICE_PORT: '6443' }));
    expect(named.target).toBe('https://10.96.0.1:6443 namespace ml service recs');
  });

  it('lists every missing in-cluster setting for knative', async () => {
    const env = { PLATFORM: 'knative', KUBE_CA_FILE: join(dir, 'none.crt'), KUBE_NAMESPACE_FILE: join(dir, 'none') };
    const error = await configError(createPlatform(loadConfig(PlatformEnvSchema, env)));
    expect(error.issues).toEqual([
      'KUBERNETES_SERVICE_HOST: required when PLATFORM=knative (Kubernetes sets it in every pod)',
      `KUBE_CA_FILE: cannot read ${join(dir, 'none.crt')}`,
      `KUBE_NAMESPACE: unset, and ${join(dir, 'none')} (KUBE_NAMESPACE_FILE) cannot be read`,
    ]);
  });

  it('is part of evaluate’s configuration', () => {
    const config = loadConfig(EvaluateConfigSchema, { EVENTS_URI: '/e', MODELS_URI: '/m', PLATFORM: 'knative' });
    expect(config).toMatchObject({ PLATFORM: 'knative', KNATIVE_SERVICE: 'recommend', KUBE_TOKEN_FILE: '/var/run/secrets/kubernetes.io/serviceaccount/token' });
  });
});
