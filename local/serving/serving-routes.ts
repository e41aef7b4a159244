import { Agent } from 'node:http';
import type { Logger } from '../../lib/ops/logger.js';
import type { ServingPlatform } from '../../lib/rollout/platform.js';
import type { Route } from '../http-route.js';
import { platformRoutes } from './platform-routes.js';
import type { RevisionPicker } from './recommend-proxy.js';
import { recommendProxy } from './recommend-proxy.js';

export interface ServingRoutesOptions {
  /** The revision table: picks and counts for the proxy, the platform for the API. */
  readonly revisions: RevisionPicker & ServingPlatform;
  readonly logger: Logger;
  /** Uniform in [0, 1): the traffic split's dice. Default Math.random; seeded in tests. */
  readonly random?: () => number;
  /** An upstream silent this long answers 504. Default 30 s. */
  readonly upstreamTimeoutMs?: number;
}

export interface ServingRoutes {
  /** `/recommend/*` to a ready revision, then the platform API. */
  readonly routes: Route[];
  /** Close the kept-alive upstream sockets. */
  close(): void;
}

/**
 * The serving half of the ingress. Upstream sockets are kept alive; the
 * agent's idle timeout lets the revision's `Keep-Alive: timeout=N` hint win,
 * so the proxy gives up an idle socket a second before the revision would.
 */
export function createServingRoutes(options: ServingRoutesOptions): ServingRoutes {
  const agent = new Agent({ keepAlive: true, timeout: 60_000, scheduling: 'lifo' });
  const logger = options.logger.child({ component: 'serving' });
  const proxy = recommendProxy({
    revisions: options.revisions,
    random: options.random ?? Math.random,
    agent,
    logger,
    ...(options.upstreamTimeoutMs === undefined ? {} : { timeoutMs: options.upstreamTimeoutMs }),
  });
  return {
    routes: [proxy, platformRoutes(options.revisions, logger)],
    close: () => agent.destroy(),
  };
}
