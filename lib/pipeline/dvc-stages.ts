import { parseDocument } from 'yaml';
import { z } from 'zod';
import { DataFileError, formatIssues } from '../errors.js';

/**
 * `dvc.yaml` read the way DVC reads the parts movierec uses: stages in file
 * order, `foreach` over a list (`${train.algorithms}` from params.yaml, or
 * literal) expanded to `<stage>@<item>`, and `${…}` in every string filled
 * from params.yaml and `item`. Outputs may be plain paths or one-key maps
 * (`- metrics/svd.json: {cache: false}`). Used by `movierec pipeline` (DVC's
 * repro, without DVC) and by the test that checks every stage's declared
 * deps and outs.
 */

const PathEntrySchema = z.union([z.string().min(1), z.record(z.string(), z.unknown()).refine((m) => Object.keys(m).length === 1, 'expected one path')]);

const StageBodySchema = z.strictObject({
  cmd: z.string().min(1),
  deps: z.array(z.string().min(1)).default([]),
  params: z.array(z.string().min(1)).default([]),
  outs: z.array(PathEntrySchema).default([]),
  metrics: z.array(PathEntrySchema).default([]),
  plots: z.array(PathEntrySchema).default([]),
  desc: z.string().optional(),
});

const StageSchema = z.union([z.strictObject({ foreach: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]), do: StageBodySchema }), StageBodySchema]);

const DvcFileSchema = z.object({ stages: z.record(z.string(), StageSchema) });

export interface DvcStage {
  /** `prepare`, or `train@svd` for a foreach item. */
  readonly name: string;
  readonly cmd: string;
  readonly deps: readonly string[];
  readonly params: readonly string[];
  readonly outs: readonly string[];
  readonly metrics: readonly string[];
  readonly plots: readonly string[];
}

/** The stages of `dvcText` in order, expanded and interpolated with `paramsText` (params.yaml). */
export function dvcStages(dvcText: string, paramsText: string, file = 'dvc.yaml'): DvcStage[] {
  const parsed = DvcFileSchema.safeParse(yamlValue(dvcText, file));
  if (!parsed.success) throw new DataFileError(file, undefined, formatIssues(parsed.error.issues));
  const vars = yamlValue(paramsText, 'params.yaml');
  const out: DvcStage[] = [];
  for (const [name, stage] of Object.entries(parsed.data.stages)) {
    if (!('foreach' in stage)) {
      out.push(expand(name, stage, vars, undefined, file));
      continue;
    }
    const items = typeof stage.foreach === 'string' ? lookup(vars, exactReference(stage.foreach, file), file) : stage.foreach;
    if (!Array.isArray(items)) throw new DataFileError(file, undefined, `stages.${name}.foreach: expected a list`);
    for (const item of items) out.push(expand(`${name}@${String(item)}`, stage.do, vars, item, file));
  }
  return out;
}

/** Whether params.yaml (as text) holds the dotted key `path` (e.g. `algorithms.svd`). */
export function hasParam(paramsText: string, path: string): boolean {
  return resolvePath(yamlValue(paramsText, 'params.yaml'), path).found;
}

/** The path of an output entry (a string, or the key of a one-key map). */
function entryPath(entry: z.infer<typeof PathEntrySchema>): string {
  return typeof entry === 'string' ? entry : Object.keys(entry)[0];
}

function expand(name: string, body: z.infer<typeof StageBodySchema>, vars: unknown, item: unknown, file: string): DvcStage {
  const fill = (text: string) => interpolate(text, vars, item, file);
  return {
    name,
    cmd: fill(body.cmd),
    deps: body.deps.map(fill),
    params: body.params.map(fill),
    outs: body.outs.map((e) => fill(entryPath(e))),
    metrics: body.metrics.map((e) => fill(entryPath(e))),
    plots: body.plots.map((e) => fill(entryPath(e))),
  };
}

function interpolate(text: string, vars: unknown, item: unknown, file: string): string {
  return text.replace(/\$\{\s*([A-Za-z_][\w.]*)\s*\}/g, (_all, path: string) => {
    const value = path === 'item' ? item : lookup(vars, path, file);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new DataFileError(file, undefined, `\${${path}} is not a scalar`);
    }
    return String(value);
  });
}

function exactReference(text: string, file: string): string {
  const match = /^\$\{\s*([A-Za-z_][\w.]*)\s*\}$/.exec(text);
  if (match === null) throw new DataFileError(file, undefined, `foreach: expected a list or \${name}, got ${JSON.stringify(text)}`);
  return match[1];
}

function lookup(vars: unknown, path: string, file: string): unknown {
  const resolved = resolvePath(vars, path);
  if (!resolved.found) throw new DataFileError(file, undefined, `\${${path}}: params.yaml has no ${path}`);
  return resolved.value;
}

/** The value at a dotted path of a YAML value. */
function resolvePath(root: unknown, path: string): { readonly found: boolean; readonly value?: unknown } {
  let at = root;
  for (const part of path.split('.')) {
    const entry = typeof at === 'object' && at !== null ? Object.entries(at).find(([key]) => key === part) : undefined;
    if (entry === undefined) return { found: false };
    at = entry[1];
  }
  return { found: true, value: at };
}

function yamlValue(text: string, file: string): unknown {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new DataFileError(file, undefined, `invalid YAML: ${document.errors[0].message}`);
  return document.toJS();
}
