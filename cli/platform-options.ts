import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError as CommanderArgumentError, Option } from 'commander';
import { InvalidArgumentError, MovierecError } from '../lib/errors.js';
import { loadConfig, PlatformEnvSchema } from '../lib/ops/config.js';
import { createKubeClient } from '../lib/rollout/kube-client.js';
import { createKnativePlatform } from '../lib/rollout/knative-platform.js';
import { createLocalPlatform } from '../lib/rollout/local-platform.js';
import type { ServingPlatform } from '../lib/rollout/platform.js';
import { PlatformError } from '../lib/rollout/platform-error.js';

/**
 * Where `rollout`, `promote`, `rollback` and `status` act: the local
 * runtime's ingress (`--to`, default http://127.0.0.1:8080), or a cluster's
 * Kubernetes API (`--kube`: in-cluster settings from the environment through
 * lib/ops/config, each overridable with `--server`, `--token-file`,
 * `--namespace`, `--service`).
 */

export const DEFAULT_INGRESS = 'http://127.0.0.1:8080';

export interface PlatformFlags {
  to?: string;
  kube?: boolean;
  server?: string;
  tokenFile?: string;
  caFile?: string;
  namespace?: string;
  service?: string;
}

export interface Target {
  readonly platform: ServingPlatform;
  /** The local runtime's ingress; null for a cluster. */
  readonly ingress: string | null;
  /** For messages: the URL, or `namespace/service at server`. */
  readonly label: string;
}

export function httpUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new CommanderArgumentError('expected an http(s) URL');
  return url.href.replace(/\/+$/, '');
}

export function addPlatformOptions(command: Command): Command {
  return command
    .addOption(new Option('--to <url>', `the local runtime's ingress (default: ${DEFAULT_INGRESS})`).argParser(httpUrl))
    .option('--kube', 'act on a cluster through the Kubernetes API (in-cluster service account, or the flags below)')
    .addOption(new Option('--server <url>', 'with --kube: the API server (default: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT)').argParser(httpUrl))
    .option('--token-file <file>', 'with --kube: a bearer token file (default: the service-account token)')
    .option('--ca-file <file>', 'with --kube: the CA bundle to trust (default: the service-account ca.crt)')
    .option('--namespace <ns>', "with --kube: the namespace (default: the service account's)")
    .option('--service <name>', 'with --kube: the Knative Service (default: recommend)');
}

const KUBE_ONLY = ['server', 'tokenFile', 'caFile', 'namespace', 'service'] as const;

export async function resolveTarget(flags: PlatformFlags): Promise<Target> {
  if (flags.kube !== true) {
    const given = KUBE_ONLY.filter((key) => flags[key] !== undefined);
    if (given.length > 0) throw new InvalidArgumentError(`--${given[0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --kube`);
    const url = flags.to ?? DEFAULT_INGRESS;
    return { platform: createLocalPlatform({ url, maxAttempts: 2, baseDelayMs: 100 }), ingress: url, label: url };
  }
  if (flags.to !== undefined) throw new InvalidArgumentError('--to and --kube name two different platforms: give one');
  // Only lib/ops/config reads the environment: the in-cluster defaults come from there.
  const env = loadConfig(PlatformEnvSchema);
  const host = env.KUBERNETES_SERVICE_HOST;
  const server = flags.server ?? (host === undefined ? undefined : `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`);
  if (server === undefined) throw new InvalidArgumentError('--kube outside a pod needs --server (KUBERNETES_SERVICE_HOST is not set)');
  const caFile = flags.caFile ?? env.KUBE_CA_FILE;
  const ca = server.startsWith('https:') ? await readFile(caFile, 'utf8').catch(() => undefined) : undefined;
  if (server.startsWith('https:') && ca === undefined && flags.caFile !== undefined) throw new MovierecError(`${caFile}: cannot read the CA file`);
  const namespace =
    flags.namespace ??
    env.KUBE_NAMESPACE ??
    (await readFile(env.KUBE_NAMESPACE_FILE, 'utf8').then(
      (text) => text.trim(),
      () => {
        throw new InvalidArgumentError(`--kube needs --namespace (${env.KUBE_NAMESPACE_FILE} cannot be read)`);
      },
    ));
  const service = flags.service ?? env.KNATIVE_SERVICE;
  const client = createKubeClient({ server, tokenFile: flags.tokenFile ?? env.KUBE_TOKEN_FILE, maxAttempts: 2, baseDelayMs: 100, ...(ca === undefined ? {} : { ca }) });
  return { platform: createKnativePlatform({ client, namespace, service }), ingress: null, label: `${namespace}/${service} at ${server}` };
}

/** A platform call, with an unreachable platform turned into one line that says what to do. */
export async function onPlatform<T>(target: Target, work: (platform: ServingPlatform) => Promise<T>): Promise<T> {
  try {
    return await work(target.platform);
  } catch (error) {
    if (error instanceof PlatformError && error.retriable && error.status === undefined) {
      const hint = target.ingress === null ? 'is the API server reachable from here?' : 'is it running? start it with `movierec up`';
      throw new MovierecError(`cannot reach the serving platform at ${target.label}; ${hint}`, { cause: error });
    }
    throw error;
  }
}
