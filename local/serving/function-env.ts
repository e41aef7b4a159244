import { isAbsolute, join, resolve } from 'node:path';
import type { FunctionSpec } from './service-specs.js';

/** The volume the manifests mount in a cluster; locally it lives under the runtime's data dir. */
export const CLUSTER_DATA_ROOT = '/var/lib/movierec';

/** `/var/lib/movierec/models/x` → `<dataDir>/models/x`; any other value unchanged. */
export function mapDataPath(value: string, dataDir: string): string {
  if (value === CLUSTER_DATA_ROOT) return dataDir;
  if (!value.startsWith(`${CLUSTER_DATA_ROOT}/`)) return value;
  return join(dataDir, value.slice(CLUSTER_DATA_ROOT.length + 1));
}

/** The revision name Knative gives the n-th revision of a Service: `recommend-00003`. */
export function revisionName(service: string, n: number): string {
  return `${service}-${String(n).padStart(5, '0')}`;
}

export interface FunctionEnvOptions {
  readonly spec: FunctionSpec;
  readonly dataDir: string;
  readonly revision: string;
  /** The Broker ingress URL, for Services a SinkBinding selects; undefined otherwise. */
  readonly sink: string | undefined;
  /** The values of the Service's `secretKeyRef` env vars (`secretValues`); wins over the manifest. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Added to every function (e.g. `PLATFORM_URL`, `LOG_LEVEL`); wins over the manifest. */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** Per-revision values (e.g. a deploy's `MODEL_URI`); win over everything, mapped like the manifest's. */
  readonly overrides?: Readonly<Record<string, string>>;
}

/**
 * The environment of one function process: the container's env with cluster
 * paths mapped under the data dir, then its Secret-held values, then what Knative injects (`K_SERVICE`,
 * `K_CONFIGURATION`, `K_REVISION`, and `K_SINK` from the SinkBinding), then
 * the caller's extras, then per-revision overrides. Nothing is inherited
 * from the runtime's own environment. `PORT` is the process launcher's.
 */
export function functionEnv(options: FunctionEnvOptions): Record<string, string> {
  const dataDir = resolve(options.dataDir);
  const env: Record<string, string> = {};
  for (const { name, value } of options.spec.env) env[name] = mapDataPath(value, dataDir);
  Object.assign(env, options.secrets ?? {});
  env.K_SERVICE = options.spec.name;
  env.K_CONFIGURATION = options.spec.name;
  env.K_REVISION = options.revision;
  if (options.sink !== undefined) env.K_SINK = options.sink;
  Object.assign(env, options.extraEnv ?? {});
  for (const [name, value] of Object.entries(options.overrides ?? {})) env[name] = mapDataPath(value, dataDir);
  return env;
}

/** The functions-framework CLI args of a Service, with `--source` resolved against the package root. */
export function functionArgs(spec: FunctionSpec, packageRoot: string): string[] {
  return spec.args.map((arg) => {
    if (!arg.startsWith('--source=')) return arg;
    const source = arg.slice('--source='.length);
    return `--source=${isAbsolute(source) ? source : resolve(packageRoot, source)}`;
  });
}

/** The absolute path of a Service's `--source` file. */
export function sourcePath(spec: FunctionSpec, packageRoot: string): string {
  return isAbsolute(spec.source) ? spec.source : resolve(packageRoot, spec.source);
}
