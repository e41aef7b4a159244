import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { formatIssues, InvalidArgumentError } from '../errors.js';
import { CanarySectionSchema } from './canary-params.js';

export { DEFAULT_CANARY, type CanaryParams } from './canary-params.js';

/**
 * evaluate's part of the DVC `params.yaml`: the `evaluate:` key, nothing
 * else (train owns the other keys and evaluate ignores them).
 *
 * ```yaml
 * evaluate:
 *   gate:
 *     rmse_margin: 0.01   # candidate RMSE may exceed the champion's by this much
 *     ndcg_margin: 0.01   # candidate NDCG@20 may fall below the champion's by this much
 *     min_ratings: 50     # fewer held-out ratings than this: RMSE is not gated, ranking only
 *   canary:               # the online canary analysis: see canary-params.ts for every key
 *     margin: 0.05
 * ```
 * A missing section or key takes the default shown.
 */

export const DEFAULT_GATE = Object.freeze({ rmseMargin: 0.01, ndcgMargin: 0.01, minRatings: 50 });

const margin = z.number({ error: 'expected a number' }).finite().min(0, 'expected a number ≥ 0');

const GateSectionSchema = z
  .strictObject(
    {
      rmse_margin: margin.default(DEFAULT_GATE.rmseMargin),
      ndcg_margin: margin.default(DEFAULT_GATE.ndcgMargin),
      min_ratings: z.int({ error: 'expected a whole number' }).min(0, 'expected a whole number ≥ 0').default(DEFAULT_GATE.minRatings),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : 'expected a mapping') },
  )
  .transform((gate) => ({ rmseMargin: gate.rmse_margin, ndcgMargin: gate.ndcg_margin, minRatings: gate.min_ratings }));

/** The `evaluate:` section: `gate` (offline) and `canary` (online); other keys are left for later sections. */
export const EvaluateParamsSchema = z.object(
  {
    gate: z.preprocess((value) => value ?? {}, GateSectionSchema),
    canary: z.preprocess((value) => value ?? {}, CanarySectionSchema),
  },
  { error: 'expected a mapping' },
);
export type EvaluateParams = z.output<typeof EvaluateParamsSchema>;
export type GateParams = EvaluateParams['gate'];

export interface LoadedEvaluateParams {
  readonly params: EvaluateParams;
  /** False when the file does not exist (every value is the default). */
  readonly found: boolean;
}

/** Parse the `evaluate:` key of a params file's text; `file` names it in errors. */
export function parseEvaluateParams(text: string, file: string): EvaluateParams {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`${file}: not valid YAML (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (document === null || document === undefined) return EvaluateParamsSchema.parse({});
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new InvalidArgumentError(`${file}: expected a mapping of sections at the top`);
  }
  const section = 'evaluate' in document ? document.evaluate : undefined;
  const parsed = EvaluateParamsSchema.safeParse(section ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ ...issue, path: ['evaluate', ...issue.path] }));
    throw new InvalidArgumentError(`${file}: ${formatIssues(issues)}`);
  }
  return parsed.data;
}

/**
 * Read the params file at `path`. A file that does not exist gives the
 * defaults (`found: false`, for the caller to log); a file that exists but
 * holds a bad `evaluate:` section is an InvalidArgumentError naming the key.
 */
export async function loadEvaluateParams(path: string): Promise<LoadedEvaluateParams> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      return { params: parseEvaluateParams('', path), found: false };
    }
    throw new InvalidArgumentError(`${path}: cannot read (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  return { params: parseEvaluateParams(text, path), found: true };
}
