import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listBundleVersions } from '../../lib/artifacts/bundle-catalog.js';
import { versionTime } from '../../lib/artifacts/bundle-version.js';
import { MANIFEST_FILE, parseManifest } from '../../lib/artifacts/manifest.js';
import { isAlgorithm } from '../../lib/models/model.js';
import type { TrainingEntry } from './dashboard-data.js';

/**
 * The training history: the newest model manifests under the runtime's
 * models folder (`<algorithm>/<version>/manifest.json`), schema-checked by
 * the bundle code. Versions are immutable, so a manifest is read once and
 * remembered; one that does not parse is left out (and tried again later).
 */

export interface TrainingHistory {
  /** The newest `limit` models, newest first. */
  read(limit?: number): Promise<TrainingEntry[]>;
}

export function trainingHistory(modelsDir: string): TrainingHistory {
  const known = new Map<string, TrainingEntry>();

  const entryOf = async (algorithm: string, version: string): Promise<TrainingEntry | undefined> => {
    const key = `${algorithm}/${version}`;
    const cached = known.get(key);
    if (cached !== undefined) return cached;
    const dir = join(modelsDir, algorithm, version);
    try {
      const manifest = parseManifest(dir, await readFile(join(dir, MANIFEST_FILE)));
      const entry: TrainingEntry = {
        version: manifest.version,
        algorithm: manifest.algorithm,
        createdAt: manifest.createdAt,
        metrics: manifest.metrics,
        counts: manifest.data.counts,
      };
      known.set(key, entry);
      return entry;
    } catch {
      return undefined;
    }
  };

  return {
    async read(limit = 50) {
      const folders = await readdir(modelsDir, { withFileTypes: true }).catch(() => []);
      const versions: Array<{ algorithm: string; version: string; time: number }> = [];
      for (const folder of folders) {
        if (!folder.isDirectory() || !isAlgorithm(folder.name)) continue;
        const listed = await listBundleVersions(modelsDir, folder.name).catch(() => []);
        for (const version of listed) versions.push({ algorithm: folder.name, version, time: versionTime(version)?.getTime() ?? 0 });
      }
      versions.sort((a, b) => b.time - a.time || (a.version < b.version ? 1 : -1));
      const entries: TrainingEntry[] = [];
      for (const { algorithm, version } of versions) {
        if (entries.length >= limit) break;
        const entry = await entryOf(algorithm, version);
        if (entry !== undefined) entries.push(entry);
      }
      return entries;
    },
  };
}
