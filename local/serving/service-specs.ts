import { z } from 'zod';
import type { Resource } from '../manifests/load-manifests.js';
import { ManifestError, resourcesOf } from '../manifests/load-manifests.js';
import type { SecretEnvVar } from './container-env.js';
import { containerEnv, EnvFromSchema, EnvVarSchema } from './container-env.js';

/**
 * What the local runtime needs from a Knative Service and a SinkBinding of
 * `knative/base`: the container's functions-framework `args`, its env (with
 * `envFrom` ConfigMaps resolved, container-env.ts), its readiness probe;
 * which Services the SinkBinding selects.
 */

const ContainerSchema = z.object({
  args: z.array(z.string()).default([]),
  env: z.array(EnvVarSchema).default([]),
  envFrom: z.array(EnvFromSchema).default([]),
  readinessProbe: z.object({ httpGet: z.object({ path: z.string().startsWith('/') }).optional() }).optional(),
});

export const ServiceSpecSchema = z.object({
  template: z.object({
    spec: z.object({ containers: z.array(ContainerSchema).length(1, 'expected exactly one container') }),
  }),
});

export const SinkBindingSpecSchema = z.object({
  subject: z.object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    name: z.string().min(1).optional(),
    selector: z.object({ matchLabels: z.record(z.string(), z.string()).default({}) }).optional(),
  }),
});

/** One Service as the local runtime runs it. */
export interface FunctionSpec {
  /** The Service name (`K_SERVICE`). */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The functions-framework CLI args, as the container says (`--source` still relative to the package root). */
  readonly args: readonly string[];
  /** `--target=…` */
  readonly target: string;
  /** `--source=…`, relative to the package root. */
  readonly source: string;
  /** The container's env with its ConfigMaps resolved, in Kubernetes precedence, unmapped. */
  readonly env: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** Env vars from Secrets: the local runtime takes them from its own environment. */
  readonly secretEnv: readonly SecretEnvVar[];
  /** The readiness probe's HTTP path; null when the manifest has none (Knative then probes the TCP port). */
  readonly readinessPath: string | null;
}

const SERVICE_API = 'serving.knative.dev/v1';

function flag(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

/** Every Knative Service of the manifests, by name. */
export function functionSpecs(resources: readonly Resource[]): Map<string, FunctionSpec> {
  const specs = new Map<string, FunctionSpec>();
  for (const service of resourcesOf(resources, 'Service', ServiceSpecSchema)) {
    if (service.apiVersion !== SERVICE_API) continue;
    const name = service.metadata.name;
    const [container] = service.spec.template.spec.containers;
    const target = flag(container.args, 'target');
    const source = flag(container.args, 'source');
    if (target === undefined || source === undefined) {
      throw new ManifestError('knative/base', `Service ${name}: container args need --target=… and --source=…`);
    }
    specs.set(name, {
      name,
      labels: service.metadata.labels ?? {},
      args: container.args,
      target,
      source,
      ...containerEnv(service, container, resources),
      readinessPath: container.readinessProbe?.httpGet?.path ?? null,
    });
  }
  return specs;
}

/** The names of the Services some SinkBinding binds (by label selector or by name), so they get `K_SINK`. */
export function sinkBoundServices(resources: readonly Resource[], services: Iterable<FunctionSpec>): Set<string> {
  const bound = new Set<string>();
  const bindings = resourcesOf(resources, 'SinkBinding', SinkBindingSpecSchema);
  for (const spec of services) {
    for (const binding of bindings) {
      const { subject } = binding.spec;
      if (subject.kind !== 'Service' || subject.apiVersion !== SERVICE_API) continue;
      const byName = subject.name !== undefined && subject.name === spec.name;
      const matchLabels = subject.selector?.matchLabels;
      const byLabels =
        subject.name === undefined &&
        matchLabels !== undefined &&
        Object.entries(matchLabels).every(([key, value]) => spec.labels[key] === value);
      if (byName || byLabels) bound.add(spec.name);
    }
  }
  return bound;
}
