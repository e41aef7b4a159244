import { describe, expect, it } from 'vitest';
import type { Resource } from '../manifests/load-manifests.js';
import { ManifestError } from '../manifests/load-manifests.js';
import { secretValues } from './container-env.js';
import { functionSpecs } from './service-specs.js';

const configMap = (name: string, data: Record<string, unknown>): Resource => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns' },
  data,
});

const service = (container: Record<string, unknown>): Resource => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'fn', namespace: 'ns' },
  spec: { template: { spec: { containers: [{ name: 'fn', args: ['--target=fn', '--source=fn.js'], ...container }] } } },
});

const specOf = (resources: Resource[]) => {
  const spec = functionSpecs(resources).get('fn');
  if (spec === undefined) throw new Error('no Service fn');
  return spec;
};

describe('a container env as Kubernetes builds it', () => {
  it('takes envFrom ConfigMaps first (with prefix), then env entries, a later name winning', () => {
    const spec = specOf([
      configMap('settings', { A: '1', B: '2' }),
      configMap('more', { B: '3', C: '4' }),
      service({
        envFrom: [{ configMapRef: { name: 'settings' } }, { configMapRef: { name: 'more' }, prefix: 'X_' }, { configMapRef: { name: 'more' } }],
        env: [
          { name: 'A', value: 'literal' },
          { name: 'D', valueFrom: { configMapKeyRef: { name: 'settings', key: 'B' } } },
        ],
      }),
    ]);
    expect(Object.fromEntries(spec.env.map(({ name, value }) => [name, value]))).toEqual({ A: 'literal', B: '3', X_B: '3', X_C: '4', C: '4', D: '2' });
    expect(spec.env.at(-2)).toEqual({ name: 'A', value: 'literal' });
  });

  it('reads a ConfigMap of the same namespace only, and refuses a missing one unless optional', () => {
    const elsewhere: Resource = { ...configMap('settings', { A: '1' }), metadata: { name: 'settings', namespace: 'other' } };
    const missing = service({ envFrom: [{ configMapRef: { name: 'settings' } }] });
    expect(() => specOf([elsewhere, missing])).toThrow(ManifestError);
    expect(() => specOf([elsewhere, missing])).toThrow(/Service fn: envFrom names ConfigMap settings/);
    expect(specOf([elsewhere, service({ envFrom: [{ configMapRef: { name: 'settings', optional: true } }] })]).env).toEqual([]);
    expect(() => specOf([service({ env: [{ name: 'D', valueFrom: { configMapKeyRef: { name: 'settings', key: 'nope' } } }] })])).toThrow(
      /env D: no key nope in ConfigMap settings/,
    );
  });

  it('refuses ConfigMap data that is not strings', () => {
    expect(() => specOf([configMap('settings', { N: 3 }), service({ envFrom: [{ configMapRef: { name: 'settings' } }] })])).toThrow(
      /ConfigMap settings: data/,
    );
  });

  it('keeps secretKeyRef vars apart, and skips envFrom secretRefs', () => {
    const spec = specOf([
      configMap('settings', { HOOK: 'from-config' }),
      service({
        envFrom: [{ configMapRef: { name: 'settings' } }, { secretRef: { name: 's3', optional: true } }],
        env: [{ name: 'HOOK', valueFrom: { secretKeyRef: { name: 'slack', key: 'webhook-url' } } }],
      }),
    ]);
    expect(spec.env).toEqual([]);
    expect(spec.secretEnv).toEqual([{ name: 'HOOK', secret: 'slack', key: 'webhook-url', optional: false }]);
  });

  it('takes a Secret value from the runtime environment by name; a required one it lacks says how to set it', () => {
    const refs = [
      { name: 'HOOK', secret: 'slack', key: 'webhook-url', optional: false },
      { name: 'TOKEN', secret: 'other', key: 't', optional: true },
    ];
    expect(secretValues('fn', refs, { HOOK: 'https://hooks.example/x', UNRELATED: 'y' })).toEqual({ HOOK: 'https://hooks.example/x' });
    expect(() => secretValues('fn', refs, { HOOK: '' })).toThrow(/Service fn: env HOOK comes from Secret slack .*set HOOK in the environment of movierec up/);
  });

  it('refuses an env entry with neither a value source it knows', () => {
    expect(() => specOf([service({ env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] })])).toThrow(ManifestError);
  });
});
