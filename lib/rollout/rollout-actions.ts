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

/** What a canary move did; `null` from the functions below when there was no candidate to move. */
export interface TrafficMove {
  /** The candidate revision moved. */
  readonly revision: string;
  /** The champion before the move. */
  readonly champion: string;
  /** The candidate's share after the move (0 after a rollback). */
  readonly percent: number;
}

/**
 * The candidate takes all traffic and the `champion` tag; the old champion
 * (and any other revision) is left out of the split, so the platform drains
 * it. Null when there is no candidate, or nothing serves to replace.
 */
export async function promote(platform: ServingPlatform): Promise<TrafficMove | null> {
  const { champion, candidate } = serviceRoles(await platform.describe());
  if (candidate === null) return null;
  await platform.setTraffic([{ revision: candidate.name, percent: 100, tag: 'champion' }]);
  return { revision: candidate.name, champion: champion?.name ?? candidate.name, percent: 100 };
}

/**
 * The candidate goes to 0 % and is removed (`trafficWithout`): its share goes
 * back to the champion. Null when there is no candidate or no champion to
 * take its traffic back.
 */
export async function rollBack(platform: ServingPlatform): Promise<TrafficMove | null> {
  const state = await platform.describe();
  const { champion, candidate } = serviceRoles(state);
  if (candidate === null || champion === null) return null;
  await platform.setTraffic(trafficWithout(state, candidate.name, champion.name));
  return { revision: candidate.name, champion: champion.name, percent: 0 };
}

/**
 * The candidate's share becomes `percent` (1–99), the champion holds the
 * rest; other revisions are left out. Null when there is no candidate or no
 * champion.
 */
export async function setCanaryShare(platform: ServingPlatform, percent: number): Promise<TrafficMove | null> {
  const { champion, candidate } = serviceRoles(await platform.describe());
  if (candidate === null || champion === null) return null;
  const share = Math.min(99, Math.max(1, Math.round(percent)));
  await platform.setTraffic([
    { revision: champion.name, percent: 100 - share, tag: 'champion' },
    { revision: candidate.name, percent: share, tag: 'candidate' },
  ]);
  return { revision: candidate.name, champion: champion.name, percent: share };
}
