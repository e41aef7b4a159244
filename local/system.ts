import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Channel } from '../lib/messaging/channel.js';
import { createChannel } from '../lib/messaging/create-channel.js';
import type { Env, LogLevel } from '../lib/ops/config.js';
import type { Logger } from '../lib/ops/logger.js';
import type { AudienceInput } from '../sim/audience-options.js';
import type { AudienceStats } from '../sim/audience.js';
import type { Audience } from '../sim/audience.js';
import { createAudience } from '../sim/audience.js';
import type { Eventing, EventingStatus } from './eventing/create-eventing.js';
import { createEventing } from './eventing/create-eventing.js';
import type { Route } from './http-route.js';
import type { Ingress } from './ingress.js';
import { createIngress } from './ingress.js';
import { defaultManifestsFolder, loadManifests } from './manifests/load-manifests.js';
import type { FunctionStatus, Serving } from './serving/create-serving.js';
import { createServing } from './serving/create-serving.js';
import type { RevisionStatus } from './serving/revision.js';
import { statusRoute } from './status-route.js';
import { ingestStats, type IngestStats } from './ingest-stats.js';
import { collectDashboardData } from './dashboard/collect-data.js';
import { dashboardRoute } from './dashboard/dashboard-route.js';
import { createIngestSampler } from './dashboard/ingest-sampler.js';
import { trainingHistory } from './dashboard/training-history.js';

/**
 * The whole system on one machine, from the `knative/` manifests: the
 * ingress first (its URL is every function's Broker and the platform's
 * address), then the channel, eventing and serving halves, then — unless
 * switched off — the simulated audience. The ingress also serves the
 * dashboard (`GET /`, `GET /dashboard/data`). `stop` undoes it in reverse.
 */

export type SimOptions = Omit<AudienceInput, 'ingressUrl'>;

export interface SystemOptions {
  /** Ingress port; 0 picks a free one. */
  readonly port: number;
  /** Where the events store, models, logs and dead letters live. */
  readonly dataDir: string;
  /** The kustomize folder to run (default: the package's `knative/base`). */
  readonly manifests?: string;
  /** The package whose `dist/` the functions run from (default: this one). */
  readonly packageRoot?: string;
  /** PingSource clock speed-up (1 = real time). */
  readonly speed: number;
  /** `KAFKA_BROKERS` is read from here for the channel, and the value of each `secretKeyRef` env var of a Service under its own name. */
  readonly env: Env;
  /** The simulated audience; null for none. */
  readonly sim: SimOptions | null;
  readonly logger: Logger;
  readonly logLevel?: LogLevel;
  /** Extra env for every function (e.g. `LOG_LEVEL`, `APPENDED_EVERY_MS` for tests). */
  readonly functionEnv?: Readonly<Record<string, string>>;
}

export interface SystemStatus {
  readonly ingress: string;
  readonly dataDir: string;
  readonly channel: 'memory' | 'kafka';
  readonly functions: FunctionStatus[];
  readonly revisions: RevisionStatus[];
  readonly sources: EventingStatus['sources'];
  readonly events: EventingStatus['events'];
  readonly ingest: IngestStats | null;
  /** Model bundles published under `<dataDir>/models`. */
  readonly models: number;
  readonly sim: AudienceStats | null;
}

export interface RunningSystem {
  readonly url: string;
  readonly dataDir: string;
  status(): Promise<SystemStatus>;
  /** The simulated audience, when there is one. */
  readonly audience: Audience | null;
  stop(): Promise<void>;
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const { logger } = options;
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const manifestsDir = options.manifests ?? defaultManifestsFolder(import.meta.url);
  // The functions run from this package's build, wherever the manifests come from.
  const packageRoot = options.packageRoot ?? dirname(dirname(defaultManifestsFolder(import.meta.url)));
  const resources = await loadManifests(manifestsDir);

  // Routes are filled in once the halves exist; the ingress must listen first so its URL is known.
  const routes: Route[] = [];
  const ingress: Ingress = await createIngress({ port: options.port, routes, logger: logger.child({ component: 'ingress' }) });
  const stack: Array<() => Promise<void>> = [() => ingress.close()];
  const undo = async (): Promise<void> => {
    for (const step of stack.reverse()) {
      try {
        await step();
      } catch (error) {
        logger.warning('stop step failed', { error });
      }
    }
  };

  try {
    const channel: Channel = createChannel(options.env, {
      logger: logger.child({ component: 'channel' }),
      ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    });
    stack.push(() => channel.close());
    const kafka = (options.env.KAFKA_BROKERS ?? '').trim() !== '';

    // Sinks resolve at delivery time, after serving exists.
    const eventing: Eventing = createEventing({
      resources,
      channel,
      resolveSink: (ref) => (ref.kind === 'Service' ? servingHalf.resolve(ref.name) : undefined),
      ingressUrl: ingress.url,
      dataDir,
      speed: options.speed,
      logger: logger.child({ component: 'eventing' }),
    });
    const servingHalf: Serving = createServing({
      resources,
      dataDir,
      packageRoot,
      brokerUrl: eventing.brokerUrl,
      secretEnv: options.env,
      extraEnv: { PLATFORM_URL: ingress.url, ...(options.logLevel === undefined ? {} : { LOG_LEVEL: options.logLevel }), ...options.functionEnv },
      logger: logger.child({ component: 'serving' }),
    });

    let audience: Audience | null = null;
    const status = async (): Promise<SystemStatus> => {
      const served = servingHalf.status();
      const events = eventing.status();
      return {
        ingress: ingress.url,
        dataDir,
        channel: kafka ? 'kafka' : 'memory',
        functions: served.functions,
        revisions: served.revisions,
        sources: events.sources,
        events: events.events,
        ingest: await ingestStats(servingHalf.resolve('ingest')),
        models: await countBundles(join(dataDir, 'models')),
        sim: audience === null ? null : audience.stats(),
      };
    };
    const ingestSampler = createIngestSampler({ read: () => ingestStats(servingHalf.resolve('ingest')) });
    const training = trainingHistory(join(dataDir, 'models'));
    const dashboard = dashboardRoute(() =>
      collectDashboardData({
        status,
        evaluateUrl: () => servingHalf.resolve('evaluate'),
        decisions: () => eventing.decisions(),
        training,
        ingestRates: () => ingestSampler.rates(),
      }),
    );
    routes.push(statusRoute(status), dashboard, ...servingHalf.routes, ...eventing.routes);

    stack.push(() => servingHalf.stop());
    await servingHalf.start();
    stack.push(() => eventing.stop());
    await eventing.start();
    ingestSampler.start();
    stack.push(async () => ingestSampler.stop());

    if (options.sim !== null) {
      audience = createAudience({ ...options.sim, ingressUrl: ingress.url, logger: logger.child({ component: 'sim' }) });
      const running = audience;
      stack.push(() => running.stop());
      running.start();
    }
    logger.info('system up', { ingress: ingress.url, dataDir, channel: kafka ? 'kafka' : 'memory' });
    return { url: ingress.url, dataDir, status, audience, stop: undo };
  } catch (error) {
    await undo();
    throw error;
  }
}

/** Bundles under a models root (`<algorithm>/<version>/`); 0 when there is none yet. */
async function countBundles(root: string): Promise<number> {
  let total = 0;
  const algorithms = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const algorithm of algorithms) {
    if (!algorithm.isDirectory()) continue;
    const versions = await readdir(join(root, algorithm.name), { withFileTypes: true }).catch(() => []);
    total += versions.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).length;
  }
  return total;
}
