import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/**
 * ../shared/datasets relative to the project root, where the team keeps
 * MovieLens and captured course data. It is never committed; tests that need
 * it skip with a message when it is absent.
 */
export const SHARED_DATASETS = fileURLToPath(new URL('../../../shared/datasets', import.meta.url));

export function sharedDataset(...parts: string[]): string | undefined {
  const path = join(SHARED_DATASETS, ...parts);
  return existsSync(path) ? path : undefined;
}

export const NO_DATASETS = `skipped: ${SHARED_DATASETS} is absent (shared datasets are not part of the project)`;
