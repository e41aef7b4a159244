import { createHash } from 'node:crypto';
import type { Provenance } from './manifest.js';

/**
 * A model version id: `<algorithm>-<UTC yyyymmddThhmmss.mmmZ>-<8 hex>`, e.g.
 * `svd-20240318T061247.123Z-3fa9c2d1`. Versions of one algorithm sort by
 * creation time as plain strings. The hash is of the recipe (algorithm,
 * hyper-parameters, shape, data snapshot and code version), so it is known
 * before any blob is written, and two bundles trained from the same recipe in
 * the same millisecond get the same id — the second write is then refused
 * unless it is byte-identical.
 */
export function bundleVersion(provenance: Omit<Provenance, 'metrics'>, createdAt: Date): string {
  const stamp = createdAt.toISOString().replace(/[-:]/g, '');
  const { algorithm, params, shape, data, code } = provenance;
  const recipe = JSON.stringify([algorithm, sortedEntries(params), shape, data, code]);
  const hash = createHash('sha256').update(recipe).digest('hex').slice(0, 8);
  return `${algorithm}-${stamp}-${hash}`;
}

function sortedEntries(record: Readonly<Record<string, number>>): Array<[string, number]> {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The creation time encoded in a version id, or undefined if it holds none. */
export function versionTime(version: string): Date | undefined {
  const match = /-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z-[0-9a-f]{8}$/.exec(version);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, ms] = match;
  const time = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
  return Number.isNaN(time.getTime()) ? undefined : time;
}
