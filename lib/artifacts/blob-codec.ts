import { InvalidArgumentError } from '../errors.js';
import type { ParamArray } from '../models/model.js';
import type { NumericDtype } from './manifest.js';

/**
 * Blob encodings. Numeric blobs are the raw little-endian bytes of a typed
 * array; `utf8-lines` blobs are UTF-8 text with every id followed by `\n`.
 * On a little-endian host (every host Node runs on in practice) encoding and
 * decoding are views, not copies.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reports a decoding problem; the caller turns it into an error naming the blob. */
export type Fail = (what: string) => never;

export const FILE_SUFFIX: Readonly<Record<NumericDtype, string>> = { float32: 'f32', float64: 'f64', int32: 'i32' };

export function dtypeOf(array: ParamArray): NumericDtype {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  return 'int32';
}

/** The little-endian bytes of `array`. */
export function arrayBytes(array: ParamArray): Uint8Array {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const swapped = Buffer.from(new Uint8Array(bytes).buffer);
  return array.BYTES_PER_ELEMENT === 8 ? swapped.swap64() : swapped.swap32();
}

/** Bytes that a `size`-byte typed array can view: `bytes` itself when aligned and little-endian, else a fixed copy. */
function viewable(bytes: Uint8Array, size: number): Uint8Array {
  if (LITTLE_ENDIAN && bytes.byteOffset % size === 0) return bytes;
  const copy = new Uint8Array(bytes); // its own memory, byteOffset 0
  if (LITTLE_ENDIAN) return copy;
  const swapped = Buffer.from(copy.buffer);
  return size === 8 ? swapped.swap64() : swapped.swap32();
}

export function viewInt32(bytes: Uint8Array): Int32Array {
  const b = viewable(bytes, 4);
  return new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

export function viewFloat32(bytes: Uint8Array): Float32Array {
  const b = viewable(bytes, 4);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

export function viewFloat64(bytes: Uint8Array): Float64Array {
  const b = viewable(bytes, 8);
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
}

/** A typed array of `dtype` over little-endian `bytes` (whose length the caller has checked). */
export function viewArray(dtype: NumericDtype, bytes: Uint8Array): ParamArray {
  switch (dtype) {
    case 'float32':
      return viewFloat32(bytes);
    case 'float64':
      return viewFloat64(bytes);
    case 'int32':
      return viewInt32(bytes);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Encodes ids one per line. An id must be non-empty, hold no line break
 * (`\n` or `\r`) and be well-formed Unicode (no lone surrogates), or it would
 * not come back the same; `what` names the ids in the error ("user id").
 */
export function encodeLines(ids: readonly string[], what: string): Uint8Array {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id.length === 0) throw new InvalidArgumentError(`${what} ${i} is empty`);
    if (id.includes('\n') || id.includes('\r')) {
      throw new InvalidArgumentError(`${what} ${i} ${JSON.stringify(id)} contains a line break`);
    }
  }
  const text = ids.length === 0 ? '' : `${ids.join('\n')}\n`;
  const bad = LONE_SURROGATE.exec(text);
  if (bad !== null) {
    const line = text.slice(0, bad.index).split('\n').length - 1;
    throw new InvalidArgumentError(`${what} ${line} ${JSON.stringify(ids[line])} is not well-formed Unicode`);
  }
  return Buffer.from(text, 'utf8');
}

/** Decodes `utf8-lines` bytes into exactly `expected` non-empty ids. */
export function decodeLines(bytes: Uint8Array, expected: number, fail: Fail): string[] {
  if (bytes.length === 0) {
    if (expected !== 0) fail(`holds no lines, manifest says ${expected}`);
    return [];
  }
  if (bytes[bytes.length - 1] !== 0x0a) fail('does not end with a newline');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength - 1).toString('utf8');
  const ids = text.split('\n');
  if (ids.length !== expected) fail(`holds ${ids.length} lines, manifest says ${expected}`);
  for (let i = 0; i < ids.length; i++) {
    if (ids[i].length === 0) fail(`line ${i + 1} is empty`);
  }
  return ids;
}
