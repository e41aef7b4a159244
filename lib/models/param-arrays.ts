import { BundleError, InvalidArgumentError } from '../errors.js';
import type { ModelShape, ParamArray, ParamArrays } from './model.js';

type ArrayKind = 'Float32Array' | 'Float64Array';
type ArrayOf<K extends ArrayKind> = K extends 'Float32Array' ? Float32Array : Float64Array;

function isKind<K extends ArrayKind>(array: ParamArray, kind: K): array is ArrayOf<K> {
  return kind === 'Float32Array' ? array instanceof Float32Array : array instanceof Float64Array;
}

/**
 * The array `name` from a bundle's `arrays`, checked to be a `kind` of
 * exactly `length` elements. A missing, mistyped or mis-sized array is a
 * BundleError located at `<algorithm> parameters` that says what was
 * expected and what was found.
 */
export function takeArray<K extends ArrayKind>(
  algorithm: string,
  arrays: ParamArrays,
  name: string,
  kind: K,
  length: number,
  why: string,
): ArrayOf<K> {
  const location = `${algorithm} parameters`;
  const array = Object.hasOwn(arrays, name) ? arrays[name] : undefined;
  if (array === undefined) throw new BundleError(location, `array "${name}" is missing`);
  if (!isKind(array, kind)) {
    throw new BundleError(location, `array "${name}" is a ${array.constructor.name}, expected a ${kind}`);
  }
  if (array.length !== length) {
    throw new BundleError(location, `array "${name}" has ${array.length} elements, expected ${length} (${why})`);
  }
  return array;
}

/** Check that a shape has whole, non-negative sizes and a sensible scale. */
export function checkShape(algorithm: string, shape: ModelShape): void {
  const { nUsers, nMovies, scale } = shape;
  if (!Number.isSafeInteger(nUsers) || nUsers < 0 || !Number.isSafeInteger(nMovies) || nMovies < 0) {
    throw new InvalidArgumentError(`${algorithm}: shape ${nUsers} users × ${nMovies} movies is not a pair of whole sizes`);
  }
  if (!(scale.min <= scale.max)) {
    throw new InvalidArgumentError(`${algorithm}: rating scale ${scale.min}–${scale.max} is empty`);
  }
}
