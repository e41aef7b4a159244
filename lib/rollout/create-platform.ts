import { readFile } from 'node:fs/promises';
import type { PlatformEnv } from '../ops/config.js';
import { ConfigError } from '../ops/config.js';
import { createKubeClient } from './kube-client.js';
import { createKnativePlatform } from './knative-platform.js';
import { createLocalPlatform } from './local-platform.js';
import type { ServingPlatform } from './platform.js';

/** The chosen adapter, and where it points (for a log line or an error message). */
export interface ChosenPlatform {
  readonly platform: ServingPlatform;
  readonly kind: PlatformEnv['PLATFORM'];
  /** `http://127.0.0.1:8080` or `https://10.0.0.1:443 namespace movierec service recommend`. */
  readonly target: string;
}

/**
 * The ServingPlatform `PLATFORM` names: `local` → the local runtime's ingress
 * at `PLATFORM_URL`; `knative` → the Kubernetes API at
 * `https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT`, trusting the CA
 * file, with the token file re-read as it rotates, in `KUBE_NAMESPACE` (else
 * the pod's namespace file). A missing value or unreadable file is a
 * ConfigError naming the variable.
 */
export async function createPlatform(config: PlatformEnv): Promise<ChosenPlatform> {
  if (config.PLATFORM === 'local') {
    if (config.PLATFORM_URL === undefined) throw new ConfigError(['PLATFORM_URL: required when PLATFORM=local (the local runtime ingress URL)']);
    return { platform: createLocalPlatform({ url: config.PLATFORM_URL }), kind: 'local', target: config.PLATFORM_URL };
  }
  const issues: string[] = [];
  if (config.KUBERNETES_SERVICE_HOST === undefined) issues.push('KUBERNETES_SERVICE_HOST: required when PLATFORM=knative (Kubernetes sets it in every pod)');
  const ca = await readFile(config.KUBE_CA_FILE, 'utf8').catch(() => {
    issues.push(`KUBE_CA_FILE: cannot read ${config.KUBE_CA_FILE}`);
    return '';
  });
  const namespace =
    config.KUBE_NAMESPACE ??
    (await readFile(config.KUBE_NAMESPACE_FILE, 'utf8').then(
      (text) => text.trim(),
      () => {
        issues.push(`KUBE_NAMESPACE: unset, and ${config.KUBE_NAMESPACE_FILE} (KUBE_NAMESPACE_FILE) cannot be read`);
        return '';
      },
    ));
  if (issues.length > 0 || config.KUBERNETES_SERVICE_HOST === undefined) throw new ConfigError(issues);
  const host = config.KUBERNETES_SERVICE_HOST.includes(':') ? `[${config.KUBERNETES_SERVICE_HOST}]` : config.KUBERNETES_SERVICE_HOST;
  const server = `https://${host}:${config.KUBERNETES_SERVICE_PORT}`;
  const client = createKubeClient({ server, tokenFile: config.KUBE_TOKEN_FILE, ca });
  return {
    platform: createKnativePlatform({ client, namespace, service: config.KNATIVE_SERVICE }),
    kind: 'knative',
    target: `${server} namespace ${namespace} service ${config.KNATIVE_SERVICE}`,
  };
}
