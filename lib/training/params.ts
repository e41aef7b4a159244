import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { RatingScale } from '../data/records.js';
import { MovierecError } from '../errors.js';
import type { Algorithm } from '../models/model.js';
import { ALGORITHMS } from '../models/model.js';
import type { PreparedAlgorithm } from '../models/registry.js';
import { prepareAlgorithm } from '../models/registry.js';

/**
 * The training parameters (`params.yaml`, which DVC reads too): the `train`
 * section (what to fit, on which slice, when to retrain) and the
 * `algorithms` section (hyper-parameters per algorithm, named as
 * `prepareAlgorithm` takes them). Other top-level sections (`evaluate`, …)
 * belong to other readers and are ignored here; unknown fields inside these
 * two sections are typos and rejected.
 */

const count = (what: string) => z.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`);

const TrainSectionSchema = z.strictObject({
  algorithms: z
    .array(z.enum(ALGORITHMS, { error: `expected one of ${ALGORITHMS.join(', ')}` }))
    .min(1, 'name at least one algorithm')
    .refine((names) => new Set(names).size === names.length, 'lists an algorithm twice')
    .default(['svd', 'svdpp']),
  window_days: count('window_days').min(1, 'window_days must be at least 1').max(3650).default(14),
  validation: z
    .number({ error: 'validation must be a number' })
    .min(0, 'validation must be in [0, 1)')
    .lt(1, 'validation must be in [0, 1)')
    .default(0.1),
  seed: count('seed').min(0, 'seed must not be negative').max(0xffffffff, 'seed must fit in 32 bits').default(42),
  k: count('k').min(1, 'k must be at least 1').max(1000, 'k must be at most 1000').default(20),
  scale: z
    .strictObject({ min: z.number({ error: 'scale.min must be a number' }), max: z.number({ error: 'scale.max must be a number' }) })
    .refine((scale) => scale.min < scale.max, 'scale.min must be below scale.max')
    .default({ min: 1, max: 5 }),
  min_interactions: count('min_interactions').min(1, 'min_interactions must be at least 1').default(200),
  new_data_threshold: count('new_data_threshold').min(1, 'new_data_threshold must be at least 1').default(5000),
});

const HyperParametersSchema = z.record(z.string(), z.number({ error: 'expected a number' }));

const ParamsFileSchema = z.object({
  train: TrainSectionSchema.default(() => TrainSectionSchema.parse({})),
  algorithms: z
    .strictObject(Object.fromEntries(ALGORITHMS.map((name) => [name, HyperParametersSchema.optional()])))
    .default({}),
});

/** The algorithms section, keeping every entry that parses (to check hyper-parameters when other parts are bad). */
const LooseAlgorithmsSchema = z
  .object({
    algorithms: z
      .object(Object.fromEntries(ALGORITHMS.map((name) => [name, HyperParametersSchema.optional().catch(undefined)])))
      .optional()
      .catch(undefined),
  })
  .catch({});

export interface TrainParams {
  /** Fitted on every run unless a request names others. */
  readonly algorithms: readonly Algorithm[];
  readonly windowDays: number;
  /** The newest share of interactions held out for offline metrics (0: none). */
  readonly validation: number;
  readonly seed: number;
  /** Ranking cutoff of the offline metrics. */
  readonly k: number;
  readonly scale: RatingScale;
  /** A window with fewer (user, movie) interactions is not trained on. */
  readonly minInteractions: number;
  /** Records stored since the last run that start a new one. */
  readonly newDataThreshold: number;
  /** Hyper-parameters as written per algorithm (validated); `train.seed` fills an absent `seed` at preparation. */
  readonly hyperParameters: Readonly<Partial<Record<Algorithm, Readonly<Record<string, number>>>>>;
}

/** A params file that cannot be used: `file: field: what is wrong` (every problem, `; `-separated). */
export class ParamsError extends MovierecError {
  readonly file: string;
  readonly fields: readonly string[];

  constructor(file: string, problems: ReadonlyArray<{ readonly field: string; readonly what: string }>) {
    super(`${file}: ${problems.map((p) => (p.field === '' ? p.what : `${p.field}: ${p.what}`)).join('; ')}`);
    this.file = file;
    this.fields = Object.freeze(problems.map((p) => p.field));
  }
}

/** Read and validate a params file; the result is deeply frozen. */
export async function loadParams(file: string): Promise<TrainParams> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new ParamsError(file, [{ field: '', what: code === 'ENOENT' ? 'file not found' : `cannot read (${String(error)})` }]);
  }
  return parseParams(text, file);
}

/** Validate params.yaml text; `file` names it in errors. */
export function parseParams(text: string, file: string): TrainParams {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new ParamsError(file, [{ field: '', what: `invalid YAML: ${document.errors[0].message}` }]);
  const raw: unknown = document.toJS() ?? {};
  const parsed = ParamsFileSchema.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.flatMap(describeIssue);
  // Hyper-parameters are checked even when the train section has problems, so one pass names them all.
  const sections = parsed.success ? parsed.data : LooseAlgorithmsSchema.parse(raw);
  const seed = parsed.success ? parsed.data.train.seed : 42;
  const hyperParameters: Partial<Record<Algorithm, Readonly<Record<string, number>>>> = {};
  for (const name of ALGORITHMS) {
    const given = sections.algorithms?.[name];
    if (given === undefined) continue;
    try {
      prepareAlgorithm(name, withSeed(name, seed, given));
      hyperParameters[name] = Object.freeze({ ...given });
    } catch (error) {
      problems.push({ field: `algorithms.${name}`, what: error instanceof Error ? error.message : String(error) });
    }
  }
  if (!parsed.success || problems.length > 0) throw new ParamsError(file, problems);
  const { train } = parsed.data;
  return Object.freeze({
    algorithms: Object.freeze([...train.algorithms]),
    windowDays: train.window_days,
    validation: train.validation,
    seed: train.seed,
    k: train.k,
    scale: Object.freeze({ ...train.scale }),
    minInteractions: train.min_interactions,
    newDataThreshold: train.new_data_threshold,
    hyperParameters: Object.freeze(hyperParameters),
  });
}

/** `algorithm` with the file's hyper-parameters (and `train.seed` when it sets none), validated and defaults filled. */
export function prepareFromParams(params: TrainParams, algorithm: Algorithm): PreparedAlgorithm {
  return prepareAlgorithm(algorithm, withSeed(algorithm, params.seed, params.hyperParameters[algorithm] ?? {}));
}

/** `given`, plus the run's seed for an algorithm that takes one and was given none. */
function withSeed(algorithm: Algorithm, seed: number, given: Readonly<Record<string, number>>): Record<string, number> {
  return 'seed' in prepareAlgorithm(algorithm).params ? { seed, ...given } : { ...given };
}

function describeIssue(issue: z.core.$ZodIssue): Array<{ field: string; what: string }> {
  const at = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: at === '' ? key : `${at}.${key}`, what: 'unknown field' }));
  }
  return [{ field: at, what: issue.message }];
}
