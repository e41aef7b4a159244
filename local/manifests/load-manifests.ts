import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { formatIssues, MovierecError } from '../../lib/errors.js';

/**
 * Reads a kustomize folder (`knative/base`) the way `kubectl kustomize` would
 * for the features it uses: `resources` (files or folders, in order) and
 * `namespace`. Every document becomes a typed `Resource`; each kind's `spec`
 * is checked by the part of the runtime that runs it.
 */

export const ResourceSchema = z.object({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.object({
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.unknown().optional(),
  /** A ConfigMap's (or Secret's) data, checked by its reader. */
  data: z.unknown().optional(),
});
export type Resource = z.infer<typeof ResourceSchema>;

const KustomizationSchema = z.object({
  kind: z.literal('Kustomization').optional(),
  namespace: z.string().min(1).optional(),
  resources: z.array(z.string().min(1)).min(1),
});

export class ManifestError extends MovierecError {
  constructor(
    readonly file: string,
    readonly what: string,
  ) {
    super(`${file}: ${what}`, { retriable: false });
    this.name = 'ManifestError';
  }
}

async function readYaml(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ManifestError(file, `cannot read (${error instanceof Error ? error.message : String(error)})`);
  }
  const documents = parseAllDocuments(text);
  const values: unknown[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) throw new ManifestError(file, `invalid YAML: ${document.errors[0]?.message ?? ''}`);
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

/** All resources of the kustomization in `folder`, with its namespace applied. */
export async function loadManifests(folder: string): Promise<Resource[]> {
  const file = join(folder, 'kustomization.yaml');
  const [raw] = await readYaml(file);
  const kustomization = KustomizationSchema.safeParse(raw);
  if (!kustomization.success) throw new ManifestError(file, formatIssues(kustomization.error.issues));
  const resources: Resource[] = [];
  for (const entry of kustomization.data.resources) {
    const path = join(folder, entry);
    const nested = entry.endsWith('.yaml') || entry.endsWith('.yml') ? null : await loadManifests(path);
    const documents = nested ?? (await readYaml(path));
    for (const document of documents) {
      const parsed = ResourceSchema.safeParse(document);
      if (!parsed.success) throw new ManifestError(path, formatIssues(parsed.error.issues));
      const namespace = kustomization.data.namespace ?? parsed.data.metadata.namespace;
      resources.push({ ...parsed.data, metadata: { ...parsed.data.metadata, ...(namespace === undefined ? {} : { namespace }) } });
    }
  }
  return resources;
}

/** The resources of one kind (and API group, when given), each spec checked by `schema`. */
export function resourcesOf<S extends z.ZodType>(
  resources: readonly Resource[],
  kind: string,
  schema: S,
  source = 'knative/base',
): Array<Resource & { readonly spec: z.output<S> }> {
  const out: Array<Resource & { readonly spec: z.output<S> }> = [];
  for (const resource of resources) {
    if (resource.kind !== kind) continue;
    const spec = schema.safeParse(resource.spec);
    if (!spec.success) throw new ManifestError(source, `${kind} ${resource.metadata.name}: ${formatIssues(spec.error.issues)}`);
    out.push({ ...resource, spec: spec.data });
  }
  return out;
}

/** `knative/base` of the package this module belongs to (run from source or from `dist/`). */
export function defaultManifestsFolder(moduleUrl: string = import.meta.url): string {
  let folder = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(join(folder, 'package.json'))) return join(folder, 'knative', 'base');
    const parent = dirname(folder);
    if (parent === folder) throw new ManifestError(fileURLToPath(moduleUrl), 'no package.json above this module');
    folder = parent;
  }
}
