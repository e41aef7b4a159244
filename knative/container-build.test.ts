import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { FUNCTION_NAMES } from '../lib/messaging/event-types.js';
import type { Dockerfile, Stage } from './test-helpers/dockerfile.js';
import { contextSources, execForm, parseDockerfile } from './test-helpers/dockerfile.js';
import type { Document } from './test-helpers/kustomize.js';
import { kustomize, REPO_ROOT } from './test-helpers/kustomize.js';

/**
 * The container build, checked without a Docker engine: the Dockerfile's
 * stages, what it copies from the context, the non-root runtime and its
 * entrypoint; that every Service's `--source` is a file `npm run build`
 * produces; and that each functions/<name>/func.yaml agrees with its Service.
 */

const Container = z.looseObject({
  image: z.string(),
  args: z.array(z.string()),
  env: z.array(z.looseObject({ name: z.string() })).default([]),
  readinessProbe: z.looseObject({ httpGet: z.looseObject({ path: z.string() }) }),
});
const ServiceShape = z.looseObject({
  metadata: z.looseObject({ name: z.string() }),
  spec: z.looseObject({
    template: z.looseObject({
      metadata: z.looseObject({ annotations: z.record(z.string(), z.string()) }),
      spec: z.looseObject({ serviceAccountName: z.string().optional(), containers: z.tuple([Container]) }),
    }),
  }),
});
const FuncYaml = z.looseObject({
  name: z.string(),
  image: z.string(),
  build: z.looseObject({ buildEnvs: z.array(z.looseObject({ name: z.string(), value: z.string() })) }),
  run: z.looseObject({ envs: z.array(z.looseObject({ name: z.string(), value: z.string() })) }),
  deploy: z.looseObject({
    namespace: z.string(),
    serviceAccountName: z.string().optional(),
    healthEndpoints: z.looseObject({ readiness: z.string() }),
    annotations: z.record(z.string(), z.string()),
  }),
});

let dockerfile: Dockerfile;
let dockerignore: string[];
let base: Document[];
const services = () => base.filter((d) => d.kind === 'Service').map((d) => ServiceShape.parse(d));
const stage = (name: string): Stage => {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no stage ${name}`);
  return found;
};
const instructions = (name: string, keyword: string) => stage(name).instructions.filter((i) => i.keyword === keyword);

beforeAll(async () => {
  dockerfile = parseDockerfile(await readFile(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
  dockerignore = (await readFile(join(REPO_ROOT, '.dockerignore'), 'utf8')).split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  base = await kustomize('base');
});

describe('the Dockerfile', () => {
  it('builds every stage on Node 24 slim, the last one running any function', () => {
    expect(dockerfile.globalArgs.NODE_IMAGE).toBe('node:24-slim');
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', 'runtime', ...FUNCTION_NAMES, 'movierec']);
    expect(stage('build').from).toBe('${NODE_IMAGE}');
    expect(stage('runtime').from).toBe('${NODE_IMAGE}');
    for (const name of [...FUNCTION_NAMES, 'movierec']) expect(stage(name).from).toBe('runtime');
    expect(instructions('movierec', 'CMD')).toEqual([]);
  });

  it('copies only sources that exist and the .dockerignore lets through', () => {
    const sources = dockerfile.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'COPY').flatMap(contextSources));
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'lib', 'functions', 'params.yaml']));
    for (const source of sources) {
      expect(existsSync(join(REPO_ROOT, source)), `${source} exists`).toBe(true);
      expect(dockerignore, `${source} is not ignored`).not.toContain(source);
    }
    expect(dockerignore).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', '**/*.test.ts']));
  });

  it('installs from the lockfile, builds, and keeps production dependencies only', () => {
    const runs = instructions('build', 'RUN').map((i) => i.args);
    expect(runs[0]).toMatch(/^npm ci\b/);
    expect(runs.at(-1)).toMatch(/npm run build && npm prune --omit=dev/);
    const copiedFromBuild = instructions('runtime', 'COPY').map((i) => i.args);
    expect(copiedFromBuild.every((args) => args.startsWith('--from=build '))).toBe(true);
    expect(copiedFromBuild.map((args) => args.split(/\s+/)[1])).toEqual(['/app/package.json', '/app/params.yaml', '/app/node_modules', '/app/dist']);
  });

  it('runs as the unprivileged node user, through the functions-framework bin of the installed package', () => {
    expect(instructions('runtime', 'USER').map((i) => i.args)).toEqual(['node']);
    const [entrypoint] = instructions('runtime', 'ENTRYPOINT');
    const command = execForm(entrypoint?.args ?? '');
    expect(command?.[0]).toBe('node');
    const bin = command?.[1] ?? '';
    expect(existsSync(join(REPO_ROOT, bin)), `${bin} exists`).toBe(true);
    const framework = z.looseObject({ bin: z.record(z.string(), z.string()) }).parse(
      JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/@google-cloud/functions-framework/package.json'), 'utf8')),
    );
    expect(join('node_modules/@google-cloud/functions-framework', framework.bin['functions-framework'] ?? '')).toBe(bin);
  });

  it('gives each function stage the args of its Service', () => {
    for (const service of services()) {
      const [cmd] = instructions(service.metadata.name, 'CMD');
      expect(execForm(cmd?.args ?? ''), service.metadata.name).toEqual(service.spec.template.spec.containers[0].args);
    }
  });
});

describe('the Services', () => {
  it('name a function file that npm run build produces', () => {
    for (const service of services()) {
      const { args } = service.spec.template.spec.containers[0];
      const name = service.metadata.name;
      expect(args).toEqual([`--target=${name}`, `--source=dist/functions/${name}/index.js`]);
      expect(existsSync(join(REPO_ROOT, 'functions', name, 'index.ts'))).toBe(true);
      const built = join(REPO_ROOT, 'dist', 'functions', name, 'index.js');
      expect(existsSync(built), `${built} is missing: run npm run build first`).toBe(true);
    }
  });
});

describe.each(FUNCTION_NAMES)('functions/%s/func.yaml', (name) => {
  it('agrees with the knative/base Service', async () => {
    const func = FuncYaml.parse(parse(await readFile(join(REPO_ROOT, 'functions', name, 'func.yaml'), 'utf8')));
    const service = services().find((s) => s.metadata.name === name);
    if (service === undefined) throw new Error(`no Service ${name}`);
    const { template } = service.spec;
    const [container] = template.spec.containers;
    expect(func.name).toBe(name);
    expect(func.image).toBe(container.image);
    expect(func.build.buildEnvs).toContainEqual({ name: 'FUNCTION_TARGET', value: name });
    expect(func.deploy.namespace).toBe('movierec');
    expect(func.deploy.serviceAccountName).toBe(template.spec.serviceAccountName);
    expect(func.deploy.healthEndpoints.readiness).toBe(container.readinessProbe.httpGet.path);
    expect(func.deploy.annotations).toEqual(template.metadata.annotations);
    const config = z.looseObject({ data: z.record(z.string(), z.string()) }).parse(base.find((d) => d.kind === 'ConfigMap')).data;
    const serviceEnv = new Map<string, string | undefined>([
      ...Object.entries(config),
      ...container.env.map((e): [string, string | undefined] => [e.name, typeof e.value === 'string' ? e.value : undefined]),
    ]);
    for (const env of func.run.envs) expect(serviceEnv.get(env.name), `${name} ${env.name}`).toBe(env.value);
  });
});
