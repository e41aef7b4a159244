import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Env } from '../../lib/ops/config.js';
import type { Logger } from '../../lib/ops/logger.js';
import type { ServingPlatform } from '../../lib/rollout/platform.js';
import type { Route } from '../http-route.js';
import type { Resource } from '../manifests/load-manifests.js';
import { ManifestError } from '../manifests/load-manifests.js';
import { bundleVersion, holdsBundle } from './bundle-probe.js';
import { secretValues } from './container-env.js';
import { functionEnv, mapDataPath, revisionName, sourcePath } from './function-env.js';
import { startFunctionProcess } from './function-process.js';
import { RecommendRevisions } from './recommend-revisions.js';
import type { RevisionPhase, RevisionStatus } from './revision.js';
import { createServingRoutes } from './serving-routes.js';
import type { FunctionSpec } from './service-specs.js';
import { functionSpecs, sinkBoundServices } from './service-specs.js';
import type { SupervisedFunction } from './supervised-function.js';
import { superviseFunction } from './supervised-function.js';

export interface ServingOptions {
  /** `loadManifests(knative/base)`. */
  readonly resources: readonly Resource[];
  /** Where `/var/lib/movierec/…` lives locally; logs go to `<dataDir>/logs`. */
  readonly dataDir: string;
  /** The package whose `dist/` and `node_modules/` the functions run from. */
  readonly packageRoot: string;
  /** The Broker ingress URL: `K_SINK` of the Services the SinkBinding selects. */
  readonly brokerUrl: string;
  /** Where a `secretKeyRef` env var takes its value, by the var's name (the runtime's environment); default none. */
  readonly secretEnv?: Env;
  /** Added to every function's env (e.g. `PLATFORM_URL`, `LOG_LEVEL`). */
  readonly extraEnv?: Readonly<Record<string, string>>;
  readonly logger: Logger;
  /** A function or revision not ready within this long has failed. Default 120 s. */
  readonly readyTimeoutMs?: number;
  /** The traffic split's dice, uniform in [0, 1). Default Math.random. */
  readonly random?: () => number;
  /** Between SIGTERM and SIGKILL. Default 5 s. */
  readonly graceMs?: number;
  /** The Services run as one supervised process each. Default ingest, train, evaluate. */
  readonly functions?: readonly string[];
}

export interface FunctionStatus {
  readonly name: string;
  readonly url: string | null;
  readonly pid: number | null;
  readonly ready: boolean;
  readonly restarts: number;
}

/** The ServingPlatform, plus a way to wait for a deployed revision to settle. */
export interface RecommendPlatform extends ServingPlatform {
  /** Resolves with `ready`, `failed` or `draining` once the revision's start has played out. */
  settled(revision: string): Promise<RevisionPhase>;
}

export interface Serving {
  /** For the ingress: `/recommend/*`, then the platform API. */
  readonly routes: Route[];
  readonly platform: RecommendPlatform;
  /** The URL of a supervised function's process while it is ready; undefined otherwise. */
  resolve(service: string): string | undefined;
  status(): { functions: FunctionStatus[]; revisions: RevisionStatus[] };
  /** Start the supervised functions found in dist/ and, when the manifest's MODEL_URI holds a bundle, `recommend-00001`. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const SUPERVISED = ['ingest', 'train', 'evaluate'] as const;

/** The serving half of the local runtime: function processes, `recommend` revisions, their traffic and the platform API. */
export function createServing(options: ServingOptions): Serving {
  const logger = options.logger.child({ component: 'serving' });
  const dataDir = resolve(options.dataDir);
  const packageRoot = resolve(options.packageRoot);
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  const specs = functionSpecs(options.resources);
  const bound = sinkBoundServices(options.resources, specs.values());
  // A required Secret value the runtime lacks fails here, before any process starts.
  const secrets = new Map([...specs.values()].map((spec) => [spec.name, secretValues(spec.name, spec.secretEnv, options.secretEnv ?? {})]));
  const recommend = specs.get('recommend');
  if (recommend === undefined) throw new ManifestError('knative/base', 'no Service named recommend');

  const launch = (spec: FunctionSpec, revision: string, overrides: Record<string, string> = {}) =>
    startFunctionProcess({
      spec,
      revision,
      packageRoot,
      dataDir,
      logger,
      env: functionEnv({
        spec,
        dataDir,
        revision,
        sink: bound.has(spec.name) ? options.brokerUrl : undefined,
        secrets: secrets.get(spec.name) ?? {},
        extraEnv: options.extraEnv,
        overrides,
      }),
      ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
    });

  const revisions = new RecommendRevisions({
    launch: (revision, modelUri) => launch(recommend, revision, { MODEL_URI: modelUri }),
    modelVersion: (modelUri) => bundleVersion(mapDataPath(modelUri, dataDir)),
    logger,
    readyTimeoutMs,
  });
  const serving = createServingRoutes({ revisions, logger, ...(options.random === undefined ? {} : { random: options.random }) });
  const supervisors = new Map<string, SupervisedFunction>();

  const startSupervised = async (name: string): Promise<void> => {
    const spec = specs.get(name);
    if (spec === undefined) return logger.warning('no Service of that name in the manifests; not started', { service: name });
    const source = sourcePath(spec, packageRoot);
    if (!existsSync(source)) return logger.warning('function not built; not started', { service: name, source });
    const supervisor = superviseFunction({ name, launch: () => launch(spec, revisionName(name, 1)), logger, readyTimeoutMs });
    supervisors.set(name, supervisor);
    await supervisor.start();
  };

  const startFirstRevision = async (): Promise<void> => {
    const modelUri = recommend.env.find((e) => e.name === 'MODEL_URI')?.value;
    if (modelUri === undefined || !(await holdsBundle(mapDataPath(modelUri, dataDir)))) {
      return logger.info('no bundle at the manifest MODEL_URI; no recommend revision until a deploy', { modelUri });
    }
    const { revision } = await revisions.deploy({ modelUri, percent: 100, tag: 'champion' });
    const phase = await revisions.settled(revision);
    if (phase !== 'ready') logger.warning('the first recommend revision did not get ready', { revision, phase });
  };

  const stop = async (): Promise<void> => {
    await Promise.allSettled([revisions.close(), ...[...supervisors.values()].map((s) => s.stop())]);
    serving.close();
  };

  return {
    routes: serving.routes,
    platform: revisions,
    resolve(service) {
      const current = supervisors.get(service)?.current;
      return current?.ready === true ? current.url : undefined;
    },
    status() {
      const functions = [...supervisors.values()].map((s) => ({
        name: s.name,
        url: s.current?.url ?? null,
        pid: s.current?.pid ?? null,
        ready: s.current?.ready ?? false,
        restarts: s.restarts,
      }));
      return { functions, revisions: revisions.statuses() };
    },
    async start() {
      const names = options.functions ?? SUPERVISED;
      const results = await Promise.allSettled([...names.map(startSupervised), startFirstRevision()]);
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure !== undefined) {
        await stop();
        throw failure.reason;
      }
    },
    stop,
  };
}
