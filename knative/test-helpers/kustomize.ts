import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

/** `kubectl kustomize` (offline: it reads only the folder) of a kustomization under `knative/`. */

const run = promisify(execFile);

export const KUBECTL = '/usr/bin/kubectl';
export const KNATIVE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO_ROOT = dirname(KNATIVE_DIR);
export const KUSTOMIZATIONS = ['base', 'overlays/dev', 'overlays/prod'] as const;

/** One document of a build, as plain data. */
export type Document = Record<string, unknown>;

export async function kustomize(folder: string): Promise<Document[]> {
  if (!existsSync(KUBECTL)) {
    throw new Error(`kubectl not found at ${KUBECTL}: install kubectl (v1.32+, kustomize v5)`);
  }
  const { stdout } = await run(KUBECTL, ['kustomize', join(KNATIVE_DIR, folder)], { maxBuffer: 16 * 1024 * 1024 });
  return parseAllDocuments(stdout).map((document) => {
    if (document.errors.length > 0) throw new Error(`${folder}: kustomize printed invalid YAML: ${document.errors[0]?.message ?? ''}`);
    const value: unknown = document.toJS();
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${folder}: a document is not an object`);
    return Object.fromEntries(Object.entries(value));
  });
}
