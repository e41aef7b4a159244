import { z } from 'zod';
import type { Env } from '../../lib/ops/config.js';
import type { Resource } from '../manifests/load-manifests.js';
import { ManifestError } from '../manifests/load-manifests.js';

/**
 * A container's environment as Kubernetes builds it, for the local runtime:
 * `envFrom` first (a `configMapRef` read from a ConfigMap of the same
 * manifests), then `env` (literal values and `configMapKeyRef`s), a later
 * name replacing an earlier one. Secrets are not in the manifests: an
 * `envFrom: secretRef` is skipped, and an `env` entry from a `secretKeyRef`
 * takes its value from the runtime's own environment under the same name
 * (`SLACK_WEBHOOK_URL=… movierec up`), or is left out when the ref is optional.
 */

const KeyRefSchema = z.object({ name: z.string().min(1), key: z.string().min(1), optional: z.boolean().default(false) });
const SourceRefSchema = z.object({ name: z.string().min(1), optional: z.boolean().default(false) });

export const EnvVarSchema = z.union([
  z.object({ name: z.string().min(1), value: z.string().default(''), valueFrom: z.undefined().optional() }),
  z.object({
    name: z.string().min(1),
    valueFrom: z.union([z.object({ secretKeyRef: KeyRefSchema }), z.object({ configMapKeyRef: KeyRefSchema })]),
  }),
]);

export const EnvFromSchema = z.union([
  z.object({ prefix: z.string().optional(), configMapRef: SourceRefSchema }),
  z.object({ prefix: z.string().optional(), secretRef: SourceRefSchema }),
]);

/** An env var whose value lives in a Secret. */
export interface SecretEnvVar {
  readonly name: string;
  readonly secret: string;
  readonly key: string;
  readonly optional: boolean;
}

export interface ContainerEnv {
  /** Literal and ConfigMap values, in Kubernetes precedence (a later entry of a name wins). */
  readonly env: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** Values the runtime's environment supplies (Secrets are never in the manifests). */
  readonly secretEnv: readonly SecretEnvVar[];
}

const ConfigMapDataSchema = z.record(z.string(), z.string());

function configMapData(resources: readonly Resource[], namespace: string | undefined, name: string): Record<string, string> | undefined {
  const found = resources.find((r) => r.kind === 'ConfigMap' && r.apiVersion === 'v1' && r.metadata.name === name && r.metadata.namespace === namespace);
  if (found === undefined) return undefined;
  const data = ConfigMapDataSchema.safeParse(found.data ?? {});
  if (!data.success) throw new ManifestError('knative/base', `ConfigMap ${name}: data: expected string values`);
  return data.data;
}

/** The env of one container of `service` (a Resource of the manifests `resources`). */
export function containerEnv(
  service: Resource,
  container: { readonly env: ReadonlyArray<z.output<typeof EnvVarSchema>>; readonly envFrom: ReadonlyArray<z.output<typeof EnvFromSchema>> },
  resources: readonly Resource[],
): ContainerEnv {
  const where = `Service ${service.metadata.name}`;
  const values = new Map<string, string>();
  const secrets = new Map<string, SecretEnvVar>();
  const set = (name: string, value: string): void => {
    secrets.delete(name);
    values.delete(name);
    values.set(name, value);
  };
  for (const source of container.envFrom) {
    if (!('configMapRef' in source)) continue;
    const data = configMapData(resources, service.metadata.namespace, source.configMapRef.name);
    if (data === undefined) {
      if (source.configMapRef.optional) continue;
      throw new ManifestError('knative/base', `${where}: envFrom names ConfigMap ${source.configMapRef.name}, which is not in the manifests`);
    }
    for (const [key, value] of Object.entries(data)) set(`${source.prefix ?? ''}${key}`, value);
  }
  for (const entry of container.env) {
    if (entry.valueFrom === undefined) {
      set(entry.name, entry.value);
    } else if ('configMapKeyRef' in entry.valueFrom) {
      const ref = entry.valueFrom.configMapKeyRef;
      const value = configMapData(resources, service.metadata.namespace, ref.name)?.[ref.key];
      if (value !== undefined) set(entry.name, value);
      else if (!ref.optional) throw new ManifestError('knative/base', `${where}: env ${entry.name}: no key ${ref.key} in ConfigMap ${ref.name}`);
    } else {
      const ref = entry.valueFrom.secretKeyRef;
      values.delete(entry.name);
      secrets.set(entry.name, { name: entry.name, secret: ref.name, key: ref.key, optional: ref.optional });
    }
  }
  return { env: [...values].map(([name, value]) => ({ name, value })), secretEnv: [...secrets.values()] };
}

/** Each `secretKeyRef` env var with its value from `runtimeEnv`; a required one it lacks is a ManifestError. */
export function secretValues(service: string, secretEnv: readonly SecretEnvVar[], runtimeEnv: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ref of secretEnv) {
    const value = runtimeEnv[ref.name];
    if (value !== undefined && value !== '') out[ref.name] = value;
    else if (!ref.optional) {
      throw new ManifestError(
        'knative/base',
        `Service ${service}: env ${ref.name} comes from Secret ${ref.secret} (key ${ref.key}); locally, set ${ref.name} in the environment of movierec up`,
      );
    }
  }
  return out;
}
