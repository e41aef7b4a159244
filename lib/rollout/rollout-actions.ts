import type { ServingPlatform } from './platform.js';
import { serviceRoles, trafficWithout } from './service-roles.js';

/**
 * The traffic moves evaluate makes, on any ServingPlatform. Each reads the
 * service's state first, so a redelivered decision finds the work done or
 * redoes it, never doubles it. The canary analysis adds `promote` (candidate
 * to 100 % as champion) and `rollBack` (`trafficWithout` the candidate) here.
 */

export interface Rollout {
  /** The revision now serving the model. */
  readonly revision: string;
  /** Its share once ready. */
  readonly percent: number;
  readonly stage: 'canary' | 'full';
  /** An older canary whose traffic went back to the champion; null when there was none. */
  readonly replaced: string | null;
}

/** Nothing serves yet: the model takes all traffic as champion. */
export async function deployFirst(platform: ServingPlatform, modelUri: string): Promise<Rollout> {
  const { revision } = await platform.deploy({ modelUri, percent: 100, tag: 'champion' });
  return { revision, percent: 100, stage: 'full', replaced: null };
}

/**
 * A new canary at `percent`, tagged `candidate`. An older candidate is
 * replaced first: its share goes back to the champion and the platform
 * drains it, so at most one canary runs.
 */
export async function startCanary(platform: ServingPlatform, modelUri: string, percent: number): Promise<Rollout> {
  const state = await platform.describe();
  const { champion, candidate } = serviceRoles(state);
  let replaced: string | null = null;
  if (candidate !== null && champion !== null) {
    await platform.setTraffic(trafficWithout(state, candidate.name, champion.name));
    replaced = candidate.name;
  }
  const { revision } = await platform.deploy({ modelUri, percent, tag: 'candidate' });
  return { revision, percent, stage: 'canary', replaced };
}
