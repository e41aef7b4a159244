import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { z } from 'zod';
import { formatIssues } from '../errors.js';
import type { KubeClient } from './kube-client.js';
import { KubeConflict } from './kube-client.js';
import type { KnativeService } from './knative-shapes.js';
import { KnativeRevisionListSchema, KnativeServiceSchema, MODEL_URI_ANNOTATION, MODEL_URI_ENV, MODEL_VERSION_ANNOTATION } from './knative-shapes.js';
import { nextSplit, serviceStateOf, specSplit } from './knative-state.js';
import type { DeployRequest, ServiceState, ServingPlatform, TrafficTarget } from './platform.js';
import { DeployRequestSchema, ServiceStateSchema, TrafficTargetSchema } from './platform.js';
import type { PlatformOperation } from './platform-error.js';
import { PlatformError } from './platform-error.js';

/**
 * The ServingPlatform of a cluster: the `recommend` Knative Service through
 * the Kubernetes API (serving.knative.dev/v1).
 *
 * | operation  | requests                                                                                   |
 * |------------|--------------------------------------------------------------------------------------------|
 * | describe   | `GET …/services/recommend`, `GET …/revisions?labelSelector=serving.knative.dev/service=recommend` |
 * | deploy     | `GET …/services/recommend`, `PATCH` it (`application/merge-patch+json`): `spec.template` + `spec.traffic` |
 * | setTraffic | `GET …/services/recommend`, `PATCH` its `spec.traffic`                                     |
 *
 * Every PATCH carries the `metadata.resourceVersion` it was computed from, so
 * a concurrent writer makes it fail with 409 instead of being overwritten; a
 * 409 re-reads the Service and recomputes the patch (up to `conflictAttempts`).
 *
 * **Why a rollout has no downtime.** `deploy` names the new revision in
 * `spec.template.metadata.name` and gives it its share in `spec.traffic` in
 * the same write. Knative's Route reconciler programs the ingress with a
 * traffic split only once every revision it names is Ready; until then
 * `status.traffic` — what actually routes — keeps the previous split, so
 * requests keep going to revisions that are ready. A revision that never gets
 * ready leaves the Route on its old split (Route `Ready=False`,
 * `RevisionFailed`) and takes nothing. A revision dropped from the split stops
 * receiving new requests when the ingress is reprogrammed; its queue-proxy
 * lets in-flight ones finish before the pod stops. `describe` reports percents
 * and tags from `status.traffic`, so a deployed revision shows 0 % until it
 * really serves — the port's contract.
 *
 * A revision is listed while it is routed (`status.traffic`), named in
 * `spec.traffic`, or is the latest created and not failed; revisions Knative
 * keeps for history with no traffic count as drained. `modelVersion` is the
 * `movierec.io/model-version` annotation `deploy` sets (the bundle folder's
 * name, which is its version), reported once the revision is Ready.
 */

export interface KnativePlatformOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  /** The Knative Service. Default `recommend`. */
  readonly service?: string;
  /** PATCHes retried after a 409. Default 5. */
  readonly conflictAttempts?: number;
  /** The new revision's name suffix; default 6 random hex digits. */
  readonly revisionSuffix?: () => string;
}

export function createKnativePlatform(options: KnativePlatformOptions): ServingPlatform {
  const { client, namespace } = options;
  const service = options.service ?? 'recommend';
  const conflictAttempts = Math.max(1, options.conflictAttempts ?? 5);
  const suffix = options.revisionSuffix ?? (() => randomBytes(3).toString('hex'));
  const base = `/apis/serving.knative.dev/v1/namespaces/${encodeURIComponent(namespace)}`;
  const servicePath = `${base}/services/${encodeURIComponent(service)}`;
  const revisionsPath = `${base}/revisions?labelSelector=${encodeURIComponent(`serving.knative.dev/service=${service}`)}`;

  async function readService(operation: PlatformOperation): Promise<KnativeService> {
    return parse(operation, KnativeServiceSchema, await client.get(operation, servicePath), 'Service');
  }

  /** Read, compute a patch, write; on 409 read again. */
  async function patchService(operation: PlatformOperation, compute: (current: KnativeService) => Record<string, unknown>): Promise<void> {
    let conflict: KubeConflict | undefined;
    for (let attempt = 1; attempt <= conflictAttempts; attempt++) {
      const current = await readService(operation);
      const patch = { metadata: { resourceVersion: current.metadata.resourceVersion }, ...compute(current) };
      try {
        parse(operation, KnativeServiceSchema, await client.mergePatch(operation, servicePath, patch), 'Service');
        return;
      } catch (error) {
        if (!(error instanceof KubeConflict)) throw error;
        conflict = error;
      }
    }
    throw new PlatformError(operation, `the Service kept changing under us (${conflictAttempts} conflicts)`, {
      status: 409,
      reasons: conflict?.reasons ?? [],
      retriable: true,
    });
  }

  return {
    async describe(): Promise<ServiceState> {
      const current = await readService('describe');
      const list = parse('describe', KnativeRevisionListSchema, await client.get('describe', revisionsPath), 'RevisionList');
      const state = serviceStateOf(current, list.items);
      return parse('describe', ServiceStateSchema, state, 'ServiceState');
    },

    async deploy(input: DeployRequest): Promise<{ readonly revision: string }> {
      const parsed = DeployRequestSchema.safeParse(input);
      if (!parsed.success) throw new PlatformError('deploy', 'invalid request', { reasons: [formatIssues(parsed.error.issues)] });
      const request = parsed.data;
      const revision = `${service}-${suffix()}`;
      await patchService('deploy', (current) => {
        const containers = current.spec.template.spec.containers;
        const at = Math.max(0, containers.findIndex((c) => c.env?.some((e) => e.name === MODEL_URI_ENV)));
        const withModel = containers.map((container, i) =>
          i !== at ? container : { ...container, env: [...(container.env ?? []).filter((e) => e.name !== MODEL_URI_ENV), { name: MODEL_URI_ENV, value: request.modelUri }] },
        );
        const annotations = { [MODEL_URI_ANNOTATION]: request.modelUri, [MODEL_VERSION_ANNOTATION]: basename(request.modelUri.replace(/\/+$/, '')) };
        return {
          spec: {
            template: { metadata: { name: revision, annotations }, spec: { containers: withModel } },
            traffic: nextSplit(specSplit(current), { revisionName: revision, percent: request.percent, tag: request.tag }),
          },
        };
      });
      return { revision };
    },

    async setTraffic(input: readonly TrafficTarget[]): Promise<void> {
      const parsed = z.array(TrafficTargetSchema).min(1).safeParse(input);
      if (!parsed.success) throw new PlatformError('setTraffic', 'invalid request', { reasons: [formatIssues(parsed.error.issues)] });
      const traffic = parsed.data.map((t) => ({ revisionName: t.revision, percent: t.percent, ...(t.tag === null ? {} : { tag: t.tag }) }));
      await patchService('setTraffic', () => ({ spec: { traffic } }));
    },
  };
}

function parse<S extends z.ZodType>(operation: PlatformOperation, schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new PlatformError(operation, `unexpected answer (not a ${what})`, { reasons: [formatIssues(parsed.error.issues)] });
  return parsed.data;
}
