import type { TrainSet } from '../data/train-set.js';
import { InvalidArgumentError } from '../errors.js';
import { alsAlgorithm } from './als.js';
import { baselineAlgorithm } from './baseline.js';
import type { Algorithm, AlgorithmSpec, FitOptions, Model, ModelShape, ParamArrays } from './model.js';
import { ALGORITHMS } from './model.js';
import { parseParams } from './parse-params.js';
import { popularityAlgorithm } from './popularity.js';
import { svdAlgorithm } from './svd.js';
import { svdppAlgorithm } from './svdpp.js';

/** An algorithm with validated hyper-parameters, ready to fit or to restore. */
export interface PreparedAlgorithm {
  readonly algorithm: Algorithm;
  readonly params: Readonly<Record<string, number>>;
  fit(train: TrainSet, options?: FitOptions): Promise<Model>;
  restore(arrays: ParamArrays, shape: ModelShape): Model;
}

function prepareWith<P extends Record<string, number>>(
  spec: AlgorithmSpec<P>,
  raw: Readonly<Record<string, number>>,
): PreparedAlgorithm {
  const params = parseParams(spec.name, spec.paramsSchema, raw);
  const known = Object.keys(params);
  const unknown = Object.keys(raw).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    const allowed = known.length > 0 ? known.join(', ') : 'none';
    throw new InvalidArgumentError(`${spec.name} has no hyper-parameter ${unknown.join(', ')} (it takes: ${allowed})`);
  }
  return {
    algorithm: spec.name,
    params: Object.freeze({ ...params }),
    fit: (train, options) => spec.fit(train, params, options),
    restore: (arrays, shape) => spec.restore(params, arrays, shape),
  };
}

const PREPARERS: Record<Algorithm, (raw: Readonly<Record<string, number>>) => PreparedAlgorithm> = {
  popularity: (raw) => prepareWith(popularityAlgorithm, raw),
  baseline: (raw) => prepareWith(baselineAlgorithm, raw),
  svd: (raw) => prepareWith(svdAlgorithm, raw),
  svdpp: (raw) => prepareWith(svdppAlgorithm, raw),
  als: (raw) => prepareWith(alsAlgorithm, raw),
};

/**
 * Validate `raw` hyper-parameters for `algorithm`, filling the defaults.
 * Throws InvalidArgumentError naming the bad or unknown parameter.
 */
export function prepareAlgorithm(algorithm: Algorithm, raw: Readonly<Record<string, number>> = {}): PreparedAlgorithm {
  return PREPARERS[algorithm](raw);
}

/** The default hyper-parameters of every algorithm (for help texts and params.yaml). */
export function defaultParams(): Record<Algorithm, Readonly<Record<string, number>>> {
  const out = {} as Record<Algorithm, Readonly<Record<string, number>>>;
  for (const name of ALGORITHMS) out[name] = prepareAlgorithm(name).params;
  return out;
}
