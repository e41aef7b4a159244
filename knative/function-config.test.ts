import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EvaluateConfigSchema, IngestConfigSchema, RecommendConfigSchema, TrainConfigSchema } from '../lib/ops/config.js';
import type { Resource } from '../local/manifests/load-manifests.js';
import { ResourceSchema } from '../local/manifests/load-manifests.js';
import type { FunctionSpec } from '../local/serving/service-specs.js';
import { functionSpecs, sinkBoundServices } from '../local/serving/service-specs.js';
import { kustomize, KUSTOMIZATIONS } from './test-helpers/kustomize.js';

/**
 * Each function's env as a cluster renders it — its ConfigMap, its literal
 * env, what Knative injects — parses with that function's own config schema
 * (lib/ops/config.ts), so every variable a schema requires is set and every
 * value is one it accepts. Secret-held values are left out: their refs are
 * optional, so a function must start without them. The env is resolved by
 * the local runtime's reader (local/serving), which thereby reads the
 * overlays' builds too.
 */

const SCHEMAS: Readonly<Record<string, z.ZodObject>> = {
  ingest: IngestConfigSchema,
  train: TrainConfigSchema,
  recommend: RecommendConfigSchema,
  evaluate: EvaluateConfigSchema,
};

/** Whether this checkout's config schemas take object-store URIs (the S3 store adds them). */
const objectStoreUris = IngestConfigSchema.safeParse({ EVENTS_URI: 's3://bucket/events' }).success;

const built = new Map<string, Resource[]>();
beforeAll(async () => {
  for (const folder of KUSTOMIZATIONS) built.set(folder, (await kustomize(folder)).map((document) => ResourceSchema.parse(document)));
});

function renderedEnvs(folder: string): Array<{ spec: FunctionSpec; env: Record<string, string> }> {
  const resources = built.get(folder) ?? [];
  const specs = functionSpecs(resources);
  const bound = sinkBoundServices(resources, specs.values());
  return [...specs.values()].map((spec) => {
    const env: Record<string, string> = Object.fromEntries(spec.env.map(({ name, value }) => [name, value]));
    // What Knative Serving and the SinkBinding inject.
    Object.assign(env, { PORT: '8080', K_SERVICE: spec.name, K_CONFIGURATION: spec.name, K_REVISION: `${spec.name}-00001` });
    if (bound.has(spec.name)) env.K_SINK = 'http://broker-ingress.knative-eventing.svc.cluster.local/movierec/default';
    return { spec, env };
  });
}

function problems(folder: string): string[] {
  return renderedEnvs(folder).flatMap(({ spec, env }) => {
    const schema = SCHEMAS[spec.name];
    if (schema === undefined) return [`${spec.name}: no config schema`];
    const parsed = schema.safeParse(env);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${spec.name}: ${issue.path.join('.')}: ${issue.message}`);
  });
}

describe('the functions of knative/base', () => {
  it('get every variable their config requires, with values it accepts', () => {
    expect(renderedEnvs('base').map(({ spec }) => spec.name).sort()).toEqual(Object.keys(SCHEMAS).sort());
    expect(problems('base')).toEqual([]);
  });

  it('set no variable of their own that their config does not know (a misspelt name would be ignored)', () => {
    const Container = z.looseObject({ env: z.array(z.looseObject({ name: z.string(), value: z.string().optional() })).default([]) });
    const Spec = z.looseObject({ template: z.looseObject({ spec: z.looseObject({ containers: z.array(Container) }) }) });
    for (const service of (built.get('base') ?? []).filter((r) => r.kind === 'Service')) {
      const known = Object.keys(SCHEMAS[service.metadata.name]?.shape ?? {});
      const literal = Spec.parse(service.spec).template.spec.containers.flatMap((c) => c.env.filter((e) => e.value !== undefined).map((e) => e.name));
      expect(literal.length, service.metadata.name).toBeGreaterThan(0);
      expect(literal.filter((name) => !known.includes(name)), service.metadata.name).toEqual([]);
    }
  });

  it('are refused when a required variable is missing (the check can fail)', () => {
    const [recommend] = renderedEnvs('base').filter(({ spec }) => spec.name === 'recommend');
    const { MODEL_URI: _dropped, ...rest } = recommend?.env ?? {};
    expect(RecommendConfigSchema.safeParse(rest).success).toBe(false);
  });
});

describe.each(['overlays/dev', 'overlays/prod'])('the functions of knative/%s', (folder) => {
  it('point every store at the overlay bucket, and evaluate at the Kubernetes API', () => {
    for (const { spec, env } of renderedEnvs(folder)) {
      for (const key of ['EVENTS_URI', 'MODELS_URI', 'MODEL_URI'] as const) {
        if (env[key] !== undefined) expect(env[key], `${spec.name} ${key}`).toMatch(/^s3:\/\/movierec-(dev|prod)\//);
      }
      expect(env.PLATFORM).toBe('knative');
      expect(env.AWS_REGION).toBeTruthy();
    }
  });

  // Runs once the S3 store's config accepts s3:// URIs (until then lib/ops/config.ts refuses them by design).
  it.skipIf(!objectStoreUris)('get every variable their config requires, with values it accepts', () => {
    expect(problems(folder)).toEqual([]);
  });
});
