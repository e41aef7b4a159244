import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import type { Fail } from './blob-codec.js';
import { arrayBytes, decodeLines, dtypeOf, encodeLines, viewArray, viewFloat64, viewInt32 } from './blob-codec.js';

const fail: Fail = (what) => {
  throw new Error(what);
};

describe('numeric blobs', () => {
  it('are the little-endian bytes of the array, viewed back without a copy', () => {
    const array = new Int32Array([1, -2, 0x01020304]);
    const bytes = arrayBytes(array);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([1, 0, 0, 0]);
    expect(Array.from(bytes.subarray(8, 12))).toEqual([4, 3, 2, 1]);
    const back = viewInt32(bytes);
    expect(Array.from(back)).toEqual([1, -2, 0x01020304]);
    expect(back.buffer).toBe(array.buffer);
  });

  it('round-trip every dtype, keeping the element type', () => {
    for (const array of [new Float32Array([1.5, -0.25]), new Float64Array([Math.PI, -1e300]), new Int32Array([7, -7])]) {
      const back = viewArray(dtypeOf(array), arrayBytes(array));
      expect(back.constructor).toBe(array.constructor);
      expect(Array.from(back)).toEqual(Array.from(array));
    }
  });

  it('copy bytes that sit at an unaligned offset instead of failing', () => {
    const padded = new Uint8Array(17);
    padded.set(arrayBytes(new Float64Array([2.5, -3])), 1);
    const view = viewFloat64(padded.subarray(1));
    expect(Array.from(view)).toEqual([2.5, -3]);
    expect(view.byteOffset % 8).toBe(0);
  });
});

describe('utf8-lines blobs', () => {
  it('hold one id per line, every line ended by a newline', () => {
    expect(Buffer.from(encodeLines(['a', 'b+c'], 'id')).toString()).toBe('a\nb+c\n');
    expect(encodeLines([], 'id').length).toBe(0);
  });

  it('round-trip unicode, +, % and spaces', () => {
    const ids = ['amélie+2001', 'am%C3%A9lie', 'a b', '🎬', '"q"', 'tab\there'];
    expect(decodeLines(encodeLines(ids, 'id'), ids.length, fail)).toEqual(ids);
    expect(decodeLines(new Uint8Array(), 0, fail)).toEqual([]);
  });

  it.each([
    ['line\nbreak', 'user id 1 "line\\nbreak" contains a line break'],
    ['cr\r', 'contains a line break'],
    ['', 'user id 1 is empty'],
    ['\uDC00x', 'user id 1 "\\udc00x" is not well-formed Unicode'],
  ])('refuse to encode %j', (id, message) => {
    expect(() => encodeLines(['ok', id, 'ok2'], 'user id')).toThrow(InvalidArgumentError);
    expect(() => encodeLines(['ok', id, 'ok2'], 'user id')).toThrow(message);
  });

  it.each([
    ['a\nb', 2, 'does not end with a newline'],
    ['a\nb\n', 3, 'holds 2 lines, manifest says 3'],
    ['a\n\nb\n', 3, 'line 2 is empty'],
    ['', 1, 'holds no lines, manifest says 1'],
  ])('refuse to decode %j as %i ids', (text, expected, message) => {
    expect(() => decodeLines(Buffer.from(text), expected, fail)).toThrow(message);
  });
});
